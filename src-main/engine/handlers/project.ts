import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiError } from '../../api/contract';
import type { StartedJob } from '../../api/types';
import type { EngineContext, HandlerMap } from '../context';
import type { ImportParams } from '../import-job';

/** Starts an import after checking the folder, so a typo is an immediate, clear error. */
export function startImport(ctx: EngineContext, params: ImportParams): StartedJob {
  ctx.session();
  const source = resolve(params.source);
  if (!existsSync(source)) throw new ApiError('not_found', `dataset folder not found: ${source}`);
  if (!statSync(source).isDirectory()) throw new ApiError('bad_request', `${source} is a file; choose the dataset folder`);
  return ctx.startJob('import', { ...params, source });
}

export function projectHandlers(ctx: EngineContext): HandlerMap<'project.info' | 'dataset.import'> {
  return {
    'project.info': () => ctx.info(),
    'dataset.import': (a) => startImport(ctx, { source: a.source, layout: a.layout }),
  };
}
