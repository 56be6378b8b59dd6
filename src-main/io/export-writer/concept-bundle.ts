/**
 * Writes the concept-training bundle (core/export/concept-bundle.ts) like an export: into a
 * hidden folder inside the destination, renamed into place when complete, so a failed or
 * cancelled write leaves nothing behind.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  bundleDocuments,
  bundleJson,
  checkBundleRequest,
  type ConceptBundleRequest,
  type ConceptBundleResult,
} from '../../core/export/concept-bundle';
import { sanitiseSegment } from '../../core/export/names';
import { ExportError } from '../../core/export/types';
import { abortError, codeOf, describeWriteFailure, nodeExportFs } from './node-fs';
import { sweepAbandonedStaging, writeStaged } from './staging';
import type { ExportFs } from './types';

export interface ConceptBundleOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Replaces node file-system operations (tests make a write fail midway). */
  fs?: Partial<ExportFs>;
  now?: () => Date;
}

/** Writes the bundle to `<outDir>/<name>`; nothing is left behind when it fails or is cancelled. */
export async function writeConceptBundle(req: ConceptBundleRequest, opts: ConceptBundleOptions = {}): Promise<ConceptBundleResult> {
  checkBundleRequest(req);
  if (opts.signal?.aborted) throw abortError();
  const fs: ExportFs = { ...nodeExportFs, ...opts.fs };
  const outDir = path.resolve(req.outDir);
  const name = req.name ?? `${sanitiseSegment(req.category, 'category')}-concept-bundle`;
  const alreadyExists = (): ExportError =>
    new ExportError('already-exists', `a folder named "${name}" already exists in ${outDir}; remove it or choose another destination`, outDir);
  const doc = bundleJson(req, (opts.now ?? (() => new Date()))().toISOString());
  const total = req.clusters.reduce((n, c) => n + 2 * c.members.length, 0) + 3;

  let createdOutDir = false;
  try {
    if (!(await fs.exists(outDir))) {
      await fs.mkdir(outDir);
      createdOutDir = true;
    } else await sweepAbandonedStaging(fs, outDir);
    const done = await writeStaged({
      fs,
      outDir,
      name,
      total,
      signal: opts.signal,
      onProgress: opts.onProgress,
      alreadyExists,
      write: async (staging) => {
        for (const [ci, c] of req.clusters.entries()) {
          for (const [mi, m] of c.members.entries()) {
            const rel = doc.clusters[ci].members[mi];
            await staging.write(rel.image, await readSource(m.image, 'image'));
            await staging.write(rel.mask, await readSource(m.mask, 'mask'));
          }
        }
        // bundle.json comes last and is synced: a bundle holding it is complete.
        for (const [rel, text] of bundleDocuments(doc)) await staging.write(rel, text, rel === 'bundle.json');
      },
    });
    return { root: done.root, files: done.files, clusters: req.clusters.map((c) => ({ id: c.id, name: c.name, members: c.members.length })) };
  } catch (e) {
    if (createdOutDir) await fs.removeEmptyDir(outDir).catch(() => undefined);
    throw describeWriteFailure(e, outDir);
  }
}

async function readSource(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    // A project file that could not be read: not the destination's fault, so not reported as a write failure.
    throw new ExportError('source-unreadable', `cannot read the few-shot ${what} ${file}: ${codeOf(e) === 'ENOENT' ? 'the file is missing' : e instanceof Error ? e.message : String(e)}`, file);
  }
}
