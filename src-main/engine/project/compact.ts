/**
 * "Compact project": removes what a killed write left in the blob store (temporary files never
 * renamed) and blobs that no record names any more (replaced masks, deleted samples). A dry run
 * counts what would go. Files younger than a grace period stay: a blob is written a moment before
 * the transaction that names it.
 */
import { rmSync, statSync } from 'node:fs';
import type { ProjectCompactResult } from '../../api/types';
import { listBlobFiles, type BlobFile } from '../../store/blobs';
import { referencedBlobNames } from '../../store/compact';
import type { ProjectSession } from '../session';

export const COMPACT_GRACE_MS = 15 * 60 * 1000;

export function compactProject(session: ProjectSession, dryRun: boolean, now = Date.now()): ProjectCompactResult {
  const { blobs, temporary } = listBlobFiles(session.dir);
  const named = referencedBlobNames(session.db);
  const old = (f: BlobFile) => {
    try {
      return now - statSync(f.path).mtimeMs > COMPACT_GRACE_MS;
    } catch {
      return false;
    }
  };
  const tmp = temporary.filter(old);
  const unreferenced = blobs.filter((b) => !named.has(b.name) && old(b));
  let removed = 0;
  if (!dryRun) {
    for (const f of [...tmp, ...unreferenced]) {
      try {
        rmSync(f.path);
        removed++;
      } catch {
        // Gone already, or not ours to force.
      }
    }
  }
  const sum = (fs: BlobFile[]) => fs.reduce((a, f) => a + f.bytes, 0);
  return {
    dryRun,
    temporary: { files: tmp.length, bytes: sum(tmp) },
    unreferenced: { files: unreferenced.length, bytes: sum(unreferenced) },
    kept: blobs.length - unreferenced.length,
    removed,
  };
}
