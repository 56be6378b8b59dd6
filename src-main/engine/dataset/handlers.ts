/** dataset.*: import a dataset, browse its images and per-item errors, edit the few-shot split (METHOD.md §0). */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiError, type ParsedArgs } from '../../api/contract';
import type { StartedJob } from '../../api/types';
import { setSplitSeed } from '../../store/categories';
import { listItemErrors } from '../../store/errors';
import { clearManualSplits, listImages, setImageSplit } from '../../store/images';
import type { EngineContext, NamespaceHandlers } from '../context';
import { redrawFewShotSplit } from './few-shot-split';
import type { ImportParams } from './job';

/** The dataset folder as an absolute path, or an ApiError saying why it cannot be imported from. */
export function checkDatasetFolder(dir: string): string {
  const source = resolve(dir);
  if (!existsSync(source)) throw new ApiError('not_found', `dataset folder not found: ${source}`);
  if (!statSync(source).isDirectory()) throw new ApiError('bad_request', `${source} is a file; choose the dataset folder`);
  return source;
}

/** Starts an import after checking the folder, so a typo is an immediate, clear error. */
export function startImport(ctx: EngineContext, params: ImportParams): StartedJob {
  ctx.session();
  return ctx.startJob('import', { ...params, source: checkDatasetFolder(params.source) });
}

export function datasetHandlers(ctx: EngineContext): NamespaceHandlers<'dataset'> {
  return {
    'dataset.import': (a) => startImport(ctx, { source: a.source, layout: a.layout }),
    'dataset.listImages': (a) => {
      const { offset, limit, ...filter } = a as ParsedArgs<'dataset.listImages'> & { offset: number; limit: number };
      return { offset, ...listImages(ctx.session().db, filter, offset, limit) };
    },
    'dataset.image': (a) => ctx.image(a.imageId),
    'dataset.errors': (a) => ({ offset: a.offset, ...listItemErrors(ctx.session().db, a.offset, a.limit) }),
    'dataset.setFewShot': (a) => {
      const img = ctx.image(a.imageId);
      if (img.kind !== 'anomaly') throw new ApiError('bad_request', `image ${a.imageId} is a normal image; only anomalies have a few-shot split`);
      if (img.hasError) throw new ApiError('bad_request', `image ${a.imageId} (${img.relPath}) has errors and cannot be learned from`);
      setImageSplit(ctx.session().db, a.imageId, a.fewShot ? 'fewshot' : 'heldout', true);
      ctx.emit('project.changed', ctx.info());
      return ctx.image(a.imageId);
    },
    'dataset.resplit': (a) => {
      const db = ctx.session().db;
      const categoryId = ctx.category(a.categoryId);
      db.transaction(() => {
        setSplitSeed(db, categoryId, a.seed);
        // A redraw is explicit: hand-moved images join the draw again.
        clearManualSplits(db, categoryId);
        redrawFewShotSplit(db, categoryId);
      })();
      const info = ctx.info();
      ctx.emit('project.changed', info);
      return info;
    },
  };
}
