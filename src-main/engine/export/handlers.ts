/** export.*: one-click export of the chosen pairs to training folder layouts (METHOD.md §6), its preview, and opening a finished one. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiError } from '../../api/contract';
import { refusePseudoFilesystem } from '../../io/folders';
import type { EngineContext, NamespaceHandlers } from '../context';
import { exportPreview, isExportRoot, type ExportParams } from './job';
import type { FolderOpener } from './open-folder';

type ChoiceArgs = Parameters<NamespaceHandlers<'export'>['export.preview']>[0];

export function exportHandlers(ctx: EngineContext, openFolder: FolderOpener): NamespaceHandlers<'export'> {
  /** What to export (the same for the export and its preview), the category checked. */
  const choices = (a: ChoiceArgs) => ({
    formats: a.formats,
    selection: a.selection,
    includeReal: a.includeReal,
    realShare: a.realShare,
    minContrast: a.minContrast,
    includeNormals: a.includeNormals,
    includeHeldOutNormals: a.includeHeldOutNormals,
    categoryId: a.categoryId === null ? null : ctx.category(a.categoryId),
    layout: a.layout,
  });
  return {
    'export.run': async (a) => {
      ctx.session();
      // A destination on /proc would send the writer's mkdir round in a loop: refused before the job starts.
      await refusePseudoFilesystem(a.outDir);
      const params: ExportParams = { ...choices(a), outDir: a.outDir, name: a.name, exact: a.exact };
      return ctx.startJob('export', params);
    },
    'export.preview': (a) => exportPreview(ctx.session(), choices(a)),
    'export.openFolder': async (a) => {
      // Only folders this project exported: the request must not open arbitrary paths.
      if (!isExportRoot(ctx.session(), a.root)) throw new ApiError('not_found', `${a.root} is not an export of this project`);
      if (!existsSync(a.root)) throw new ApiError('not_found', `${a.root} no longer exists`);
      await openFolder(resolve(a.root));
      return { opened: resolve(a.root) };
    },
  };
}
