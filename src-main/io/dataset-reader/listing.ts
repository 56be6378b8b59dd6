/** Folder listings for the layout readers: sub-folders and image files, naturally sorted. */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isImageName, naturalCompare } from '../../core/dataset/names';
import type { ScanError } from '../../core/dataset/types';

export interface Listing {
  /** Absolute folder that was listed. */
  dir: string;
  /** Names of sub-folders, naturally sorted, hidden ones left out. */
  dirs: string[];
  /** Names of image files, naturally sorted, hidden ones and non-images left out. */
  images: string[];
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
