/** Directory listing and file-name rules shared by the layout readers. */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ScanError } from './types';

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff', '.webp']);

export interface Listing {
  /** Absolute folder that was listed. */
  dir: string;
  /** Names of sub-folders, naturally sorted, hidden ones left out. */
  dirs: string[];
  /** Names of image files, naturally sorted, hidden ones and non-images left out. */
  images: string[];
}

export function isImageName(name: string): boolean {
  return !name.startsWith('.') && IMAGE_EXTENSIONS.has(path.extname(name).toLowerCase());
}

/** File name without its extension. */
export function stemOf(name: string): string {
  return path.basename(name, path.extname(name));
}

/**
 * Key two names are matched on: NFC-normalised, since macOS hands out decomposed (NFD)
 * names and a mask copied from another machine may be composed.
 */
export function stemKey(stem: string): string {
  return stem.normalize('NFC');
}

/** `abc_mask` → `abc`; null when the stem has no mask suffix. */
export function stripMaskSuffix(stem: string): string | null {
  return /_mask$/i.test(stem) ? stem.slice(0, -'_mask'.length) : null;
}

/**
 * Orders `2.png` before `10.png` and `b` after `A`; ties broken by code points, so the order
 * never depends on the machine's locale.
 */
export function naturalCompare(a: string, b: string): number {
  const ca = a.match(/\d+|\D+/g) ?? [];
  const cb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = ca[i];
    const y = cb[i];
    if (x === y) continue;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
      return x.length - y.length;
    }
    const lx = x.toLowerCase();
    const ly = y.toLowerCase();
    if (lx !== ly) return lx < ly ? -1 : 1;
  }
  if (ca.length !== cb.length) return ca.length - cb.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Lists a folder; an unreadable one becomes a ScanError and null, so the scan goes on. */
export async function listDir(dir: string, errors: ScanError[]): Promise<Listing | null> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    errors.push({ file: dir, reason: `cannot read folder (${errorCode(e)})` });
    return null;
  }
  const dirs: string[] = [];
  const images: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await stat(path.join(dir, entry.name)).catch(() => null);
      isDir = target?.isDirectory() ?? false;
      isFile = target?.isFile() ?? false;
    }
    if (isDir) dirs.push(entry.name);
    else if (isFile && isImageName(entry.name)) images.push(entry.name);
  }
  dirs.sort(naturalCompare);
  images.sort(naturalCompare);
  return { dir, dirs, images };
}

/** Sub-folder by name, ignoring case (`Good`, `GROUND_TRUTH` are seen in the wild). */
export function findDir(listing: Listing, name: string): string | null {
  const lower = name.toLowerCase();
  return listing.dirs.find((d) => d.toLowerCase() === lower) ?? null;
}

/** Path relative to the dataset root, forward slashes on every platform. */
export function relPathOf(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

export function errorCode(e: unknown): string {
  if (e && typeof e === 'object' && 'code' in e && typeof e.code === 'string') return e.code;
  return e instanceof Error ? e.message : String(e);
}
