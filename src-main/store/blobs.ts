import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const BLOBS_DIR = 'blobs';

/**
 * Content-addressed files next to the database: `blobs/ab/ab12….png`. The same bytes are
 * stored once; a write is tmp-file + rename, so a crash never leaves a half blob under a real name.
 */
export class BlobStore {
  constructor(readonly projectDir: string) {}

  put(bytes: Uint8Array, ext: string): string {
    if (!/^[a-z0-9]{1,8}$/.test(ext)) throw new Error(`bad blob extension: ${ext}`);
    const hash = createHash('sha256').update(bytes).digest('hex');
    const name = `${hash.slice(0, 2)}/${hash}.${ext}`;
    const full = this.path(name);
    if (existsSync(full)) return name;
    mkdirSync(join(this.projectDir, BLOBS_DIR, hash.slice(0, 2)), { recursive: true });
    const tmp = `${full}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      writeFileSync(tmp, bytes);
      renameSync(tmp, full);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
    return name;
  }

  /** Absolute path of a stored blob name; names come only from our own records. */
  path(name: string): string {
    if (!/^[0-9a-f]{2}\/[0-9a-f]{64}\.[a-z0-9]{1,8}$/.test(name)) throw new Error(`bad blob name: ${name}`);
    return join(this.projectDir, BLOBS_DIR, name);
  }
}
