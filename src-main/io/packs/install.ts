/**
 * Installing, listing and removing model packs (ARCHITECTURE.md "Models"). A pack installs
 * from a folder or a zip with no network: it is staged in a hidden folder inside `packsDir`,
 * validated there, and renamed into place, so a refused or interrupted install leaves nothing
 * that `listPacks` would show.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, promises as fsp } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { checkListing, parseManifest } from '../../core/onnx/pack-validate';
import { unsafePathReason } from '../../core/onnx/pack-schema';
import { PackError, type InstalledPack } from '../../core/onnx/packs';
import { insideRoot } from './files';
import { readManifest, validatePackDir } from './validate';
import { extractZipEntry, readZipDirectory, readZipEntry, SizeCap, type ZipEntry } from './zip';

export interface PackListing {
  packs: InstalledPack[];
  /** Folders in packsDir whose pack.json no longer parses (edited or damaged by hand). */
  broken: { dir: string; reason: string }[];
}

/** How far an install is: bytes of the pack's listed files copied so far, of their total. */
export interface PackInstallProgress {
  source: string;
  done: number;
  total: number;
  /** The file being copied (its path in pack.json), or null while the copied pack is checked. */
  file: string | null;
}

export interface InstallOptions {
  /** Swap out an installed pack of the same name once the new one validated. */
  replace?: boolean;
  /** Cancels the install; nothing of it stays behind. */
  signal?: AbortSignal;
  onProgress?: (p: PackInstallProgress) => void;
  /** The most bytes a pack's files may add up to (settings.json `maxPackBytes`). */
  maxBytes?: number;
}

/** The default ceiling on a pack's total size: a float32 Stable Diffusion 1.5 export is about 5 GiB. */
export const DEFAULT_MAX_PACK_BYTES = 32 * 1024 ** 3;
const MAX_MANIFEST_BYTES = 1024 * 1024;
const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const STAGING_PREFIX = '.staging-';
/** What the sweep may remove: an install's staging folder, a replaced or removed pack being deleted, a concepts check. */
const SWEPT = /^\.(staging-|removing-|concepts-import-)/;
/** Written first into every staging folder: the sweep knows by it whose folder it is. */
export const PACK_STAGING_MARKER = '.gaa-pack-staging.json';
const MARKER_APP = 'gaa-workbench pack install';
/** A staging folder without a marker (an older version's, or killed before the marker was written) is swept once this old. */
const UNMARKED_STALE_MS = 60 * 60 * 1000;

/** Staging folders this process is filling now: never swept. */
const active = new Set<string>();

/** One of the pack's listed files, where it comes from and how big it really is. */
interface SourceFile {
  size: number;
  copy(target: string, limit: number, onBytes: (n: number) => void, signal: AbortSignal | undefined, tooLong: () => Error): Promise<number>;
}

interface OpenedSource {
  manifestText: string;
  file(rel: string): Promise<SourceFile | string>;
}

function errCode(e: unknown): string | undefined {
  return e && typeof e === 'object' && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${n} bytes`;
}

/** A pack folder: pack.json at its root or in its one subfolder; read before anything is copied. */
async function openFolder(source: string): Promise<OpenedSource> {
  let root = source;
  if (!existsSync(join(source, 'pack.json'))) {
    const entries = await fsp.readdir(source, { withFileTypes: true });
    const dirs = entries.filter((e) => e.isDirectory());
    if (entries.length === 1 && dirs.length === 1 && existsSync(join(source, dirs[0].name, 'pack.json'))) root = join(source, dirs[0].name);
    else throw new PackError([`pack.json is missing at the pack root (${source})`]);
  }
  const manifestStat = await fsp.lstat(join(root, 'pack.json'));
  if (!manifestStat.isFile()) throw new PackError(['pack.json is not a regular file']);
  if (manifestStat.size > MAX_MANIFEST_BYTES) throw new PackError([`pack.json is ${manifestStat.size} bytes; at most ${MAX_MANIFEST_BYTES} are read`]);
  const manifestText = await fsp.readFile(join(root, 'pack.json'), 'utf8');
  return {
    manifestText,
    async file(rel) {
      const full = insideRoot(root, rel);
      if (!full) return `file '${rel}' leaves the pack folder`;
      // Every segment is checked: a linked folder on the way could lead anywhere on the machine.
      let at = root;
      for (const part of rel.split('/')) {
        at = join(at, part);
        let st;
        try {
          st = await fsp.lstat(at);
        } catch {
          return `file '${rel}' is missing`;
        }
        if (st.isSymbolicLink()) return `'${rel}' is a symbolic link; packs must contain plain files`;
        if (at === full && !st.isFile()) return `'${rel}' is not a regular file`;
      }
      const { size } = await fsp.stat(full);
      return {
        size,
        async copy(target, limit, onBytes, signal, tooLong) {
          const cap = new SizeCap(limit, tooLong, onBytes);
          await pipeline(createReadStream(full, { highWaterMark: 1 << 20 }), cap, createWriteStream(target, { flags: 'wx' }), { signal });
          return cap.written;
        },
      };
    },
  };
}

/** A pack zip: its directory read and checked (names, duplicates) and pack.json read before anything is extracted. */
async function openZip(source: string): Promise<OpenedSource> {
  const all = await readZipDirectory(source);
  const problems: string[] = [];
  const seen = new Set<string>();
  const files = new Map<string, ZipEntry>();
  for (const e of all) {
    const name = e.name.endsWith('/') ? e.name.slice(0, -1) : e.name;
    const reason = unsafePathReason(name);
    if (reason) {
      problems.push(`zip entry '${e.name}' ${reason}`);
      continue;
    }
    if (seen.has(name)) {
      problems.push(`the zip holds '${name}' more than once; which copy is the pack's cannot be told`);
      continue;
    }
    seen.add(name);
    if (!e.name.endsWith('/')) files.set(name, e);
  }
  if (problems.length > 0) throw new PackError(problems);
  // A zip made by compressing the pack folder itself holds one top folder with pack.json in it.
  let prefix = '';
  if (!files.has('pack.json')) {
    const tops = new Set([...seen].map((n) => n.split('/')[0]));
    const [top] = [...tops];
    if (tops.size === 1 && files.has(`${top}/pack.json`)) prefix = `${top}/`;
    else throw new PackError([`pack.json is missing at the pack root (${source})`]);
  }
  const manifestText = (await readZipEntry(source, files.get(`${prefix}pack.json`)!, MAX_MANIFEST_BYTES)).toString('utf8');
  return {
    manifestText,
    async file(rel) {
      const entry = files.get(prefix + rel);
      if (!entry) return `file '${rel}' is missing`;
      return {
        size: entry.size,
        copy: (target, limit, onBytes, signal, tooLong) => extractZipEntry(source, entry, target, limit, { signal, onBytes, tooLong }),
      };
    },
  };
}

async function isInside(child: string, parent: string): Promise<boolean> {
  const real = async (p: string) => fsp.realpath(p).catch(() => resolve(p));
  const c = await real(child);
  const p = await real(parent);
  return c === p || c.startsWith(p.endsWith(sep) ? p : p + sep);
}

async function makeStaging(packsDir: string, prefix = STAGING_PREFIX): Promise<string> {
  await fsp.mkdir(packsDir, { recursive: true });
  const dir = await fsp.mkdtemp(join(packsDir, prefix));
  active.add(dir);
  await fsp.writeFile(
    join(dir, PACK_STAGING_MARKER),
    JSON.stringify({ app: MARKER_APP, pid: process.pid, host: hostname(), startedAt: new Date().toISOString() }) + '\n',
  );
  return dir;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errCode(e) === 'EPERM';
  }
}

/**
 * Removes what killed installs left in `packsDir`: staging folders (and packs half-way through
 * removal) whose marker names a process of this machine that is gone, or that carry no marker and
 * are over an hour old. A live install's folder, or one of another machine, stays.
 * @returns the folders removed
 */
export async function sweepPackStagings(packsDir: string): Promise<string[]> {
  let entries;
  try {
    entries = await fsp.readdir(packsDir, { withFileTypes: true });
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const e of entries) {
    if (!e.isDirectory() || !SWEPT.test(e.name)) continue;
    const dir = join(packsDir, e.name);
    if (active.has(dir)) continue;
    try {
      let stale: boolean;
      type Marker = { app?: string; pid?: number; host?: string } | null;
      const marker = await fsp
        .readFile(join(dir, PACK_STAGING_MARKER), 'utf8')
        .then((t) => JSON.parse(t) as Marker)
        .catch((): Marker => null);
      if (marker && marker.app === MARKER_APP && Number.isInteger(marker.pid)) {
        stale = marker.host === hostname() && (marker.pid === process.pid || !processAlive(marker.pid!));
      } else {
        stale = Date.now() - (await fsp.stat(dir)).mtimeMs > UNMARKED_STALE_MS;
      }
      if (!stale) continue;
      await fsp.rm(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // Not readable or not removable: left as it is.
    }
  }
  return removed;
}

/** A staging folder for a check outside installPack (concepts import); `release` removes it. */
export async function packStaging(packsDir: string, prefix: string): Promise<{ dir: string; release(): Promise<void> }> {
  await sweepPackStagings(packsDir);
  const dir = await makeStaging(packsDir, prefix);
  return {
    dir,
    async release() {
      await fsp.rm(dir, { recursive: true, force: true });
      active.delete(dir);
    },
  };
}

/**
 * Installs the pack at `source` (a folder, or a `.zip` file) into `packsDir/<name>`. pack.json
 * is read and checked first; then only the files it lists are copied, each stopped at the size
 * it declares and all within `maxBytes`, streamed (zlib inflates off the event loop), with
 * progress and cancel; the copy is validated in a staging folder and renamed into place. With
 * `replace`, an installed pack of the same name is swapped out only once the new one validated.
 */
export async function installPack(source: string, packsDir: string, options: InstallOptions = {}): Promise<InstalledPack> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_PACK_BYTES;
  let stat;
  try {
    stat = await fsp.stat(source);
  } catch {
    throw new PackError([`'${source}' does not exist`]);
  }
  if (await isInside(source, packsDir)) {
    throw new PackError([`'${source}' is inside the packs folder ${packsDir}; install from the folder or zip the pack came in`]);
  }
  let opened: OpenedSource;
  if (stat.isDirectory()) opened = await openFolder(source);
  else if (stat.isFile()) opened = await openZip(source);
  else throw new PackError([`'${source}' is neither a folder nor a zip file`]);
  const manifest = parseManifest(opened.manifestText);
  const listing = checkListing(manifest);
  if (listing.length > 0) throw new PackError(listing);

  const problems: string[] = [];
  const plan: { rel: string; from: SourceFile; limit: number }[] = [];
  let total = 0;
  for (const f of manifest.files) {
    const from = await opened.file(f.path);
    if (typeof from === 'string') {
      problems.push(from);
      continue;
    }
    if (f.bytes !== undefined && from.size !== f.bytes) {
      problems.push(`file '${f.path}' is ${from.size} bytes but pack.json says ${f.bytes}`);
      continue;
    }
    total += from.size;
    plan.push({ rel: f.path, from, limit: f.bytes ?? from.size });
  }
  if (problems.length > 0) throw new PackError(problems);
  if (total > maxBytes) {
    throw new PackError([`the pack's files add up to ${formatBytes(total)}, over the ${formatBytes(maxBytes)} a pack may have (maxPackBytes in settings.json)`]);
  }

  await sweepPackStagings(packsDir);
  const staging = await makeStaging(packsDir);
  const progress = (done: number, file: string | null) => options.onProgress?.({ source, done, total, file });
  try {
    let done = 0;
    progress(0, plan[0]?.rel ?? null);
    for (const item of plan) {
      if (options.signal?.aborted) throw cancelled();
      const target = join(staging, ...item.rel.split('/'));
      await fsp.mkdir(dirname(target), { recursive: true });
      const tooLong = () => new PackError([`file '${item.rel}' is longer than the ${item.limit} bytes pack.json declares; the install stopped there`]);
      try {
        await item.from.copy(target, item.limit, (n) => progress((done += n), item.rel), options.signal, tooLong);
      } catch (e) {
        if (options.signal?.aborted) throw cancelled();
        throw e;
      }
    }
    await fsp.writeFile(join(staging, 'pack.json'), opened.manifestText);
    progress(total, null);
    const checked = await validatePackDir(staging);
    if (options.signal?.aborted) throw cancelled();
    await fsp.rm(join(staging, PACK_STAGING_MARKER), { force: true });
    const target = join(packsDir, checked.name);
    if (existsSync(target)) {
      if (!options.replace) throw new PackError([`a pack named '${checked.name}' is already installed`]);
      const old = join(packsDir, `.removing-${checked.name}-${randomBytes(4).toString('hex')}`);
      await fsp.rename(target, old);
      await fsp.rename(staging, target);
      await fsp.rm(old, { recursive: true, force: true });
    } else {
      await fsp.rename(staging, target);
    }
    return { name: checked.name, kind: checked.kind, dir: target, manifest: checked };
  } finally {
    await fsp.rm(staging, { recursive: true, force: true });
    active.delete(staging);
  }
}

function cancelled(): PackError {
  return new PackError(['the install was cancelled; nothing was installed']);
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
