import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { NUTBOX_ANOMALIES, NUTBOX_REGIONS } from './nutbox';
import { planDataset, type PlannedItem } from './plan';
import { parseRecipe, type Recipe } from './recipe';
import { renderItem } from './render';
import { TILE_DEFECTS } from './tile';
import { makeStagingDir, publish, readJsonOrNull, removeStaleStaging, writeJson, writePng } from './write';

/**
 * The built-in demo dataset: a seeded, procedurally photographed MVTec-AD-layout dataset
 * (a texture category and a LOCO-style object category) plus hidden ground truth that
 * tests use to judge the pipeline and the pipeline itself never reads.
 */

export interface DemoCategorySummary {
  name: string;
  normal: number;
  anomaly: number;
  /** Anomaly images per folder under test/ (the coarse type the importer sees). */
  defectTypes: Record<string, number>;
  /** Anomaly images per hidden subtype (what clustering should recover). */
  subtypes: Record<string, number>;
  sizes: [number, number][];
}

export interface DemoSummary {
  /** The MVTec-layout dataset root, `<outDir>/mvtec`. */
  root: string;
  /** `<outDir>/truth/truth.json`. */
  truthPath: string;
  categories: DemoCategorySummary[];
  /** False when the same recipe version, seed and scale were already there. */
  generated: boolean;
}

export interface DemoTruth {
  version: string;
  seed: number;
  scale: number;
  categories: Record<
    string,
    {
      anomalies: Record<string, { subtype: string; kind: 'structural' | 'logical'; mask: string }>;
      regions: { names: string[]; images: Record<string, Record<string, string>> };
    }
  >;
}

interface Stamp {
  version: string;
  seed: number;
  scale: number;
  categories: DemoCategorySummary[];
}

const STAMP = 'demo.json';
/** Encodes in flight while the next image is drawn; sharp encodes on libuv's thread pool. */
const MAX_PENDING_WRITES = 6;

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
  const recipe = parseRecipe(JSON.parse(readFileSync(path, 'utf8')));
  // Fail on an unknown subtype or region before drawing anything, not halfway through.
  for (const cat of recipe.categories) {
    const known: readonly string[] = cat.generator === 'tile' ? TILE_DEFECTS : NUTBOX_ANOMALIES;
    for (const a of cat.anomalies) {
      if (!known.includes(a.subtype)) throw new Error(`demo recipe: ${cat.name} has no anomaly subtype "${a.subtype}" (known: ${known.join(', ')})`);
    }
    if (cat.generator !== 'nutbox') continue;
    const unknown = cat.scene.regions.filter((r) => !(NUTBOX_REGIONS as readonly string[]).includes(r));
    if (unknown.length) throw new Error(`demo recipe: nutbox regions ${unknown.join(', ')} are not drawn (known: ${NUTBOX_REGIONS.join(', ')})`);
  }
  return recipe;
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
  const items = planDataset(recipe, seed, scale);
  const truth: DemoTruth = { version: recipe.version, seed, scale, categories: {} };
  for (const cat of recipe.categories) {
    const names = cat.generator === 'nutbox' ? [...cat.scene.regions] : [];
    truth.categories[cat.name] = { anomalies: {}, regions: { names, images: {} } };
  }

  const pending: Promise<void>[] = [];
  for (const item of items) {
    const shot = renderItem(item, seed);
    const writes: Promise<void>[] = [writePng(join(staging, 'mvtec', item.relPath), shot.pixels, item.width, item.height, 3)];
    const catTruth = truth.categories[item.category.name];
    if (item.anomaly && item.maskPath && shot.mask) {
      writes.push(writePng(join(staging, 'mvtec', item.maskPath), shot.mask, item.width, item.height, 1));
      catTruth.anomalies[item.relPath] = { subtype: item.anomaly.subtype, kind: item.anomaly.kind, mask: item.maskPath };
    }
    if (shot.regions && catTruth.regions.names.length) {
      const entry: Record<string, string> = {};
      for (const name of catTruth.regions.names) {
        const rel = `regions/${item.relPath.replace(/\.png$/, '')}_${name}.png`;
        entry[name] = rel;
        writes.push(writePng(join(staging, 'truth', rel), shot.regions[name], item.width, item.height, 1));
      }
      catTruth.regions.images[item.relPath] = entry;
    }
    pending.push(Promise.all(writes).then(() => undefined));
    if (pending.length >= MAX_PENDING_WRITES) await pending.shift();
  }
  await Promise.all(pending);
  await writeJson(join(staging, 'truth', 'truth.json'), truth);

  const categories = summarise(recipe, items);
  await publish(staging, out, ['mvtec', 'truth'], STAMP, { version: recipe.version, seed, scale, categories } satisfies Stamp);
  return { root, truthPath, categories, generated: true };
}

function summarise(recipe: Recipe, items: PlannedItem[]): DemoCategorySummary[] {
  return recipe.categories.map((cat) => {
    const mine = items.filter((i) => i.category.name === cat.name);
    const defectTypes: Record<string, number> = {};
    const subtypes: Record<string, number> = {};
    const sizes = new Map<string, [number, number]>();
    for (const i of mine) {
      sizes.set(`${i.width}x${i.height}`, [i.width, i.height]);
      if (!i.anomaly) continue;
      defectTypes[i.anomaly.folder] = (defectTypes[i.anomaly.folder] ?? 0) + 1;
      subtypes[i.anomaly.subtype] = (subtypes[i.anomaly.subtype] ?? 0) + 1;
    }
    return {
      name: cat.name,
      normal: mine.filter((i) => !i.anomaly).length,
      anomaly: mine.filter((i) => i.anomaly).length,
      defectTypes,
      subtypes,
      sizes: [...sizes.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]),
    };
  });
}
