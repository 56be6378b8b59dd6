/**
 * Writes a one-click export (core/export/export.ts) to disk: into a temporary folder inside the
 * destination, renamed into place only when complete (METHOD.md §6), with file-system failures
 * turned into messages a user can act on.
 */
import path from 'node:path';
import { checkRequest, DEFAULT_POLYGON_TOLERANCE, plannedFiles, writeExportFiles } from '../../core/export/export';
import { defaultExportName } from '../../core/export/names';
import { ExportError, type ExportFormat, type ExportRequest, type ExportResult } from '../../core/export/types';
import { abortError, describeWriteFailure, nodeExportFs } from './node-fs';
import { codecExportPixels } from './pixels';
import { sweepAbandonedStaging, writeStaged } from './staging';
import type { ExportFs, ExportOptions } from './types';

export async function exportDataset(req: ExportRequest, opts: ExportOptions = {}): Promise<ExportResult> {
  checkRequest(req);
  if (opts.signal?.aborted) throw abortError();
  const fs: ExportFs = { ...nodeExportFs, ...opts.fs };
  const now = (opts.now ?? (() => new Date()))();
  const outDir = path.resolve(req.outDir);
  const name = req.name ?? defaultExportName(now);
  const finalRoot = path.join(outDir, name);
  const alreadyExists = (): ExportError =>
    new ExportError('already-exists', `an export named "${name}" already exists in ${outDir}; choose another name`, outDir);
  // The manifest records source files by absolute path.
  const absolute: ExportRequest = {
    ...req,
    normals: req.normals.map((n) => ({ ...n, path: path.resolve(n.path) })),
    heldOutNormals: req.heldOutNormals?.map((n) => ({ ...n, path: path.resolve(n.path) })),
    pairs: req.pairs.map((p) => ({ ...p, normalImage: p.normalImage === null ? null : path.resolve(p.normalImage) })),
  };

  // The outermost folder this export created on the way to outDir, removed again on failure.
  let createdFrom: string | undefined;
  try {
    if (!(await fs.exists(outDir))) createdFrom = await fs.mkdir(outDir);
    else await sweepAbandonedStaging(fs, outDir);
    const formats = new Set<ExportFormat>(['mvtec', ...req.formats]);
    const done = await writeStaged({
      fs,
      outDir,
      name,
      total: plannedFiles(req, formats),
      signal: opts.signal,
      onProgress: opts.onProgress,
      alreadyExists,
      write: (staging) =>
        writeExportFiles(
          absolute,
          formats,
          {
            write: (rel, data, synced) => staging.write(rel, data, synced),
            throwIfAborted: () => staging.throwIfAborted(),
            finalPath: (rel) => path.join(finalRoot, ...rel.split('/')),
          },
          codecExportPixels,
          now,
          opts.polygonTolerance ?? DEFAULT_POLYGON_TOLERANCE,
        ),
    });
    return {
      root: done.root,
      files: done.files,
      manifestPath: path.join(done.root, 'manifest.json'),
      counts: done.written,
    };
  } catch (e) {
    if (createdFrom !== undefined) await removeCreatedChain(fs, outDir, createdFrom);
    throw describeWriteFailure(e, outDir);
  }
}

/** Removes outDir and each empty parent up to `top`, the first folder the export created. */
async function removeCreatedChain(fs: ExportFs, outDir: string, top: string): Promise<void> {
  const stop = path.resolve(top);
  for (let dir = outDir; ; dir = path.dirname(dir)) {
    await fs.removeEmptyDir(dir).catch(() => undefined);
    if (dir === stop || path.dirname(dir) === dir) return;
  }
}
