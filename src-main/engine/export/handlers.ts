/** export.*: one-click export of the chosen pairs to training folder layouts (METHOD.md §6). */
import type { EngineContext, NamespaceHandlers } from '../context';
import type { ExportParams } from './job';

export function exportHandlers(ctx: EngineContext): NamespaceHandlers<'export'> {
  return {
    'export.run': (a) => {
      ctx.session();
      const params: ExportParams = {
        outDir: a.outDir,
        name: a.name,
        formats: a.formats,
        selection: a.selection,
        includeReal: a.includeReal,
        realShare: a.realShare,
        includeNormals: a.includeNormals,
        categoryId: a.categoryId === null ? null : ctx.category(a.categoryId),
      };
      return ctx.startJob('export', params);
    },
  };
}
