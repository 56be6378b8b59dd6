/** value.*: "Will this help?" — the value check of what an export would contain (issue 11). */
import { latestValueRecommendation } from '../../store/jobs';
import type { EngineContext, NamespaceHandlers } from '../context';

export function valueHandlers(ctx: EngineContext): NamespaceHandlers<'value'> {
  return {
    'value.run': (a) => {
      ctx.session();
      return ctx.startJob('value', {
        categoryId: ctx.category(a.categoryId),
        seeds: [...new Set(a.seeds)],
        selection: a.selection,
        realShare: a.realShare,
        minContrast: a.minContrast,
        maxPairs: a.maxPairs,
        compare: a.compare,
      });
    },
    'value.recommendation': (a) => latestValueRecommendation(ctx.session().db, ctx.category(a.categoryId)),
  };
}
