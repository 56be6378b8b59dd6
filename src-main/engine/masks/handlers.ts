/** masks.*: region-aligned anomaly masks (RAMS, METHOD.md §3). */
import { listAlignedMasks } from '../../store/aligned-masks';
import type { EngineContext, NamespaceHandlers } from '../context';
import type { MasksParams } from './job';

export function masksHandlers(ctx: EngineContext): NamespaceHandlers<'masks'> {
  return {
    'masks.generate': (a) => {
      const params: MasksParams = { categoryId: ctx.category(a.categoryId), clusterId: a.clusterId, count: a.count, seed: a.seed };
      return ctx.startJob('masks', params);
    },
    'masks.list': (a) => {
      const { db, blobs } = ctx.session();
      const page = listAlignedMasks(db, ctx.category(a.categoryId), a.clusterId, a.offset, a.limit);
      return {
        offset: a.offset,
        total: page.total,
        items: page.items.map(({ blob, sourceMaskBlob, ...m }) => ({
          ...m,
          file: blobs.path(blob),
          sourceMaskFile: sourceMaskBlob === null ? null : blobs.path(sourceMaskBlob),
        })),
      };
    },
  };
}
