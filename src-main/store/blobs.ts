import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const BLOBS_DIR = 'blobs';

/**
 * Content-addressed files next to the database: `blobs/ab/ab12….png`. The same bytes are
 * stored once; a write is tmp-file + fsync + rename (+ fsync of the folder), so a crash never
 * leaves a half blob under a real name, and a blob is on disk before the transaction that names
 * it commits (the database is synchronous=FULL: a row must never outlive its file).
 */
export class BlobStore {
  constructor(readonly projectDir: string) {}

  put(bytes: Uint8Array, ext: string): string {
    if (!/^[a-z0-9]{1,8}$/.test(ext)) throw new Error(`bad blob extension: ${ext}`);
    const hash = createHash('sha256').update(bytes).digest('hex');
    const name = `${hash.slice(0, 2)}/${hash}.${ext}`;
    const full = this.path(name);
    if (existsSync(full)) return name;
    const dir = join(this.projectDir, BLOBS_DIR, hash.slice(0, 2));
    const made = mkdirSync(dir, { recursive: true });
    const tmp = `${full}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const fd = openSync(tmp, 'w');
      try {
        for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, full);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
    syncFolder(dir);
    if (made) syncFolder(join(this.projectDir, BLOBS_DIR));
    return name;
  }

  /** Absolute path of a stored blob name; names come only from our own records. */
  path(name: string): string {
    if (!/^[0-9a-f]{2}\/[0-9a-f]{64}\.[a-z0-9]{1,8}$/.test(name)) throw new Error(`bad blob name: ${name}`);
    return join(this.projectDir, BLOBS_DIR, name);
  }
}

/** Makes a rename or a new entry in `dir` durable; folders cannot be opened for sync on Windows, where this is skipped. */
function syncFolder(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Best effort.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

const BLOB_FILE = /^[0-9a-f]{64}\.[a-z0-9]{1,8}$/;
const TMP_FILE = /^[0-9a-f]{64}\.[a-z0-9]{1,8}\.[0-9a-f]{12}\.tmp$/;

/** A blob-store file that compaction would remove. */
export interface BlobFile {
  /** `ab/ab12….png` for a blob, the file's own name under its folder for a temporary file. */
  name: string;
  path: string;
  bytes: number;
}

/** Every blob file and every leftover temporary file (a write killed before its rename) under the project's blobs folder. */
export function listBlobFiles(projectDir: string): { blobs: BlobFile[]; temporary: BlobFile[] } {
  const root = join(projectDir, BLOBS_DIR);
  const blobs: BlobFile[] = [];
  const temporary: BlobFile[] = [];
  let folders: string[];
  try {
    folders = readdirSync(root).filter((f) => /^[0-9a-f]{2}$/.test(f));
  } catch {
    return { blobs, temporary };
  }
  for (const folder of folders) {
    let names: string[];
    try {
      names = readdirSync(join(root, folder));
    } catch {
      continue;
    }
    for (const n of names) {
      const path = join(root, folder, n);
      if (BLOB_FILE.test(n) && n.startsWith(folder)) blobs.push({ name: `${folder}/${n}`, path, bytes: statSync(path).size });
      else if (TMP_FILE.test(n)) temporary.push({ name: `${folder}/${n}`, path, bytes: statSync(path).size });
    }
  }
  return { blobs, temporary };
}
