/**
 * Writes the demo dataset (core/demo) to disk: the recipe file, PNG encoding, and the
 * build-in-a-temporary-folder-then-rename dance that makes an interrupted run leave no half
 * dataset behind a valid stamp.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { checkRecipe, drawDemoDataset, type DemoCategorySummary } from '../core/demo';
import type { Recipe } from '../core/demo/recipe';
import { writePngFile } from './image-codec';

export interface DemoSummary {
  /** The MVTec-layout dataset root, `<outDir>/mvtec`. */
  root: string;
  /** `<outDir>/truth/truth.json`. */
  truthPath: string;
  categories: DemoCategorySummary[];
  /** False when the same recipe version, seed and scale were already there. */
  generated: boolean;
}

interface Stamp {
  version: string;
  seed: number;
  scale: number;
  categories: DemoCategorySummary[];
}

const STAMP = 'demo.json';

/** Finds resources/demo/recipe.json from the source tree, a bundle in out/, or a packaged app. */
export function defaultRecipePath(): string {
  const rel = join('resources', 'demo', 'recipe.json');
  const starts = [__dirname, process.cwd()];
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  if (packaged) starts.push(packaged, dirname(packaged));
  for (const start of starts) {
    let dir = start;
    for (let up = 0; up < 6; up++) {
      if (existsSync(join(dir, rel))) return join(dir, rel);
      dir = dirname(dir);
    }
  }
  throw new Error(`demo recipe not found: looked for ${rel} above ${starts.join(', ')}`);
}

export function loadRecipe(path: string): Recipe {
  return checkRecipe(JSON.parse(readFileSync(path, 'utf8')));
}

export async function generateDemoDataset(outDir: string, opts: { seed?: number; recipePath?: string; scale?: number } = {}): Promise<DemoSummary> {
  const out = resolve(outDir);
  const recipe = loadRecipe(opts.recipePath ?? defaultRecipePath());
  const seed = opts.seed ?? recipe.seed;
  const scale = opts.scale ?? 1;
  if (!(scale > 0)) throw new Error(`demo: scale must be > 0 (got ${scale})`);
  const root = join(out, 'mvtec');
  const truthPath = join(out, 'truth', 'truth.json');

  const stamp = await readJsonOrNull<Stamp>(join(out, STAMP));
  if (stamp && stamp.version === recipe.version && stamp.seed === seed && stamp.scale === scale && existsSync(root) && existsSync(truthPath)) {
    return { root, truthPath, categories: stamp.categories, generated: false };
  }

  await removeStaleStaging(out);
  const staging = await makeStagingDir(out);
  const { truth, categories } = await drawDemoDataset(recipe, seed, scale, {
    writePng: (tree, rel, pixels, width, height, channels) => writePngFile(join(staging, tree, rel), pixels, width, height, channels),
  });
  await writeJson(join(staging, 'truth', 'truth.json'), truth);
  await publish(staging, out, ['mvtec', 'truth'], STAMP, { version: recipe.version, seed, scale, categories } satisfies Stamp);
  return { root, truthPath, categories, generated: true };
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(value, null, 2) + '\n');
}

async function readJsonOrNull<T>(path: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** A fresh sibling of `outDir` to build into; its name carries our pid so stale ones can be told apart. */
async function makeStagingDir(outDir: string): Promise<string> {
  const staging = `${outDir}.tmp-${process.pid}-${Math.random().toString(16).slice(2, 10)}`;
  await mkdir(staging, { recursive: true });
  return staging;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes staging folders left by runs that were killed (their process no longer exists). */
async function removeStaleStaging(outDir: string): Promise<void> {
  const parent = dirname(outDir);
  const prefix = `${basename(outDir)}.tmp-`;
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) {
      await rm(join(parent, name), { recursive: true, force: true });
    }
  }
}

/**
 * Moves the staged dataset into place. The stamp is written last, so a crash between the
 * moves leaves `outDir` without a valid stamp and the next run regenerates.
 */
async function publish(staging: string, outDir: string, entries: string[], stampName: string, stamp: unknown): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await rm(join(outDir, stampName), { force: true });
  for (const entry of entries) {
    await rm(join(outDir, entry), { recursive: true, force: true });
    await rename(join(staging, entry), join(outDir, entry));
  }
  await writeJson(join(staging, stampName), stamp);
  await rename(join(staging, stampName), join(outDir, stampName));
  await rm(staging, { recursive: true, force: true });
}
