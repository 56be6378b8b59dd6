/**
 * The dataset files an export copies (real few-shot images, normal images) are the user's, and
 * may have moved or changed since the import. Each is hashed again just before the export and
 * compared with the sha256 the import stored: a missing or changed source is left out of the
 * export and reported with the file and the reason, and the export goes on with the rest.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { ExportSourceProblem } from '../../api/types';

/** What the import recorded about a source file. */
export interface RecordedSource {
  imageId: number;
  /** sha256 of the file's bytes at import; null for an image imported before hashes were kept. */
  hash: string | null;
}

function codeOf(e: unknown): string {
  return e && typeof e === 'object' && 'code' in e && typeof e.code === 'string' ? e.code : e instanceof Error ? e.message : String(e);
}

async function sha256(file: string, signal: AbortSignal | undefined): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { signal })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Checks every source once (a real image copied several times is hashed once).
 * @returns the problems, keyed by path
 */
export async function checkSources(sources: ReadonlyMap<string, RecordedSource>, signal?: AbortSignal): Promise<Map<string, ExportSourceProblem>> {
  const problems = new Map<string, ExportSourceProblem>();
  for (const [file, rec] of sources) {
    if (signal?.aborted) break;
    try {
      const now = await sha256(file, signal);
      // Only a recorded sha256 digest can be compared; an image stored without one is checked for presence only.
      const recorded = rec.hash !== null && /^[0-9a-f]{64}$/.test(rec.hash) ? rec.hash : null;
      if (recorded !== null && now !== recorded) {
        problems.set(file, { imageId: rec.imageId, file, reason: 'the source image changed since it was imported (its sha256 differs); left out' });
      }
    } catch (e) {
      if (signal?.aborted) break;
      const code = codeOf(e);
      const reason =
        code === 'ENOENT' || code === 'ENOTDIR'
          ? 'the source image is missing (moved or deleted since the import); left out'
          : `the source image cannot be read (${code}); left out`;
      problems.set(file, { imageId: rec.imageId, file, reason });
    }
  }
  return problems;
}
