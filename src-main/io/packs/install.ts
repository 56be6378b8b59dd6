/**
 * Installing, listing and removing model packs (ARCHITECTURE.md "Models"). A pack installs
 * from a folder or a zip with no network: it is staged in a hidden folder inside `packsDir`,
 * validated there, and renamed into place, so a refused or interrupted install leaves nothing
 * that `listPacks` would show.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { PackError, type InstalledPack } from '../../core/onnx/packs';
import { copyPackFolder, extractPackZip } from './files';
import { readManifest, validatePackDir } from './validate';

export interface PackListing {
  packs: InstalledPack[];
  /** Folders in packsDir whose pack.json no longer parses (edited or damaged by hand). */
  broken: { dir: string; reason: string }[];
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const STAGING_PREFIX = '.staging-';

async function findPackRoot(staging: string): Promise<string> {
  if (existsSync(join(staging, 'pack.json'))) return staging;
  // A zip made by compressing the pack folder itself holds one top folder with pack.json in it.
  const entries = await fsp.readdir(staging, { withFileTypes: true });
  if (entries.length === 1 && entries[0].isDirectory() && existsSync(join(staging, entries[0].name, 'pack.json'))) {
    return join(staging, entries[0].name);
  }
  throw new PackError(['pack.json is missing at the pack root']);
}

/**
 * Installs the pack at `source` (a folder, or a `.zip` file) into `packsDir/<name>`. With
 * `replace`, an installed pack of the same name is swapped out only once the new one validated.
 */
export async function installPack(source: string, packsDir: string, options: { replace?: boolean } = {}): Promise<InstalledPack> {
  let stat;
  try {
    stat = await fsp.stat(source);
  } catch {
    throw new PackError([`'${source}' does not exist`]);
  }
  await fsp.mkdir(packsDir, { recursive: true });
  const staging = await fsp.mkdtemp(join(packsDir, STAGING_PREFIX));
  try {
    if (stat.isDirectory()) await copyPackFolder(source, staging);
    else if (stat.isFile()) extractPackZip(source, staging);
    else throw new PackError([`'${source}' is neither a folder nor a zip file`]);
    const root = await findPackRoot(staging);
    const manifest = await validatePackDir(root);
    const target = join(packsDir, manifest.name);
    if (existsSync(target)) {
      if (!options.replace) throw new PackError([`a pack named '${manifest.name}' is already installed`]);
      const old = join(packsDir, `.removing-${manifest.name}-${randomBytes(4).toString('hex')}`);
      await fsp.rename(target, old);
      await fsp.rename(root, target);
      await fsp.rm(old, { recursive: true, force: true });
    } else {
      await fsp.rename(root, target);
    }
    return { name: manifest.name, kind: manifest.kind, dir: target, manifest };
  } finally {
    await fsp.rm(staging, { recursive: true, force: true });
  }
}

/** Reads an installed pack's manifest (already validated at install; files are not re-hashed). */
export async function loadPack(dir: string): Promise<InstalledPack> {
  const manifest = await readManifest(dir);
  return { name: manifest.name, kind: manifest.kind, dir, manifest };
}

export async function listPacks(packsDir: string): Promise<PackListing> {
  const listing: PackListing = { packs: [], broken: [] };
  let entries;
  try {
    entries = await fsp.readdir(packsDir, { withFileTypes: true });
  } catch {
    return listing;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const dir = join(packsDir, e.name);
    try {
      listing.packs.push(await loadPack(dir));
    } catch (err) {
      listing.broken.push({ dir, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return listing;
}

/** Removes an installed pack: renamed away first, so it disappears from listings at once. */
export async function removePack(packsDir: string, name: string): Promise<void> {
  if (!NAME.test(name)) throw new Error(`'${name}' is not a pack name`);
  const target = join(packsDir, name);
  if (!existsSync(target)) throw new Error(`no pack named '${name}' is installed`);
  const old = join(packsDir, `.removing-${name}-${randomBytes(4).toString('hex')}`);
  await fsp.rename(target, old);
  await fsp.rm(old, { recursive: true, force: true });
}
