/** samples.*: the generated pairs, the user's accept / reject, and the keep filter over their ARS (METHOD.md §5). */
import { decideSamples, listSamples } from '../../store/samples';
import type { EngineContext, NamespaceHandlers } from '../context';
import { applyKeep } from '../score/filter';

export function samplesHandlers(ctx: EngineContext): NamespaceHandlers<'samples'> {
  return {
    'samples.list': (a) => {
      const categoryId = ctx.category(a.categoryId);
      const { db, blobs } = ctx.session();
      const { items, counts } = listSamples(db, { categoryId, clusterId: a.clusterId, sort: a.sort, offset: a.offset, limit: a.limit });
      return {
        total: counts.total,
        offset: a.offset,
        items: items.map(({ imageBlob, maskBlob, ...s }) => ({ ...s, file: blobs.path(imageBlob), maskFile: blobs.path(maskBlob) })),
        counts,
      };
    },
    'samples.decide': (a) => ({ updated: decideSamples(ctx.session().db, a.sampleIds, a.decision) }),
    'samples.filter': (a) => applyKeep(ctx.session().db, ctx.category(a.categoryId), a.keep ?? null, { clusterId: a.clusterId, minArs: a.minArs }),
  };
}
