/** Folder listings for the layout readers: sub-folders and image files, naturally sorted. */
import { readdir, readlink, stat } from 'node:fs/promises';
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
  /** Symbolic links with an image's name that cannot be followed (a loop, a missing target): name → why. */
  brokenLinks: Map<string, string>;
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
  const brokenLinks = new Map<string, string>();
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const link = path.join(dir, entry.name);
      let failure: unknown = null;
      const target = await stat(link).catch((e: unknown) => ((failure = e), null));
      if (!target) {
        const reason = await brokenLinkReason(link, failure);
        errors.push({ file: link, reason });
        if (isImageName(entry.name)) brokenLinks.set(entry.name, reason);
        continue;
      }
      isDir = target.isDirectory();
      isFile = target.isFile();
    }
    if (isDir) dirs.push(entry.name);
    else if (isFile && isImageName(entry.name)) images.push(entry.name);
  }
  dirs.sort(naturalCompare);
  images.sort(naturalCompare);
  return { dir, dirs, images, brokenLinks };
}

/** Why a symbolic link cannot be followed, in words a user can act on. */
async function brokenLinkReason(link: string, failure: unknown): Promise<string> {
  const code = errorCode(failure);
  const to = await readlink(link).catch(() => null);
  if (code === 'ELOOP') return `symbolic link loop: following ${to ?? 'it'} leads back round (ELOOP); skipped`;
  if (code === 'ENOENT' || code === 'ENOTDIR') return `dangling symbolic link: its target ${to ?? ''} does not exist; skipped`;
  return `symbolic link cannot be followed (${code}); skipped`;
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

/** A listing's unfollowable image-named links as absolute paths (for pairing's messages). */
export function brokenPaths(listing: Listing | null): Map<string, string> {
  return new Map([...(listing?.brokenLinks ?? [])].map(([name, why]) => [path.join(listing!.dir, name), why]));
}
