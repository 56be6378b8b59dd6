/** clusters.*: AMFC on a category's few-shot anomalies and the user's overrides of it (METHOD.md §1). */
import type { EngineContext, NamespaceHandlers } from '../context';
import { ClusterEdits } from './edits';
import type { ClusterParams } from './job';
import { resolveBackboneChoice } from '../backbone-choice';

export function clusterHandlers(ctx: EngineContext, userDataDir: string): NamespaceHandlers<'clusters'> {
  const edits = () => new ClusterEdits(ctx.session().db);
  return {
    'clusters.run': async (a) => {
      const params: ClusterParams = {
        categoryId: ctx.category(a.categoryId),
        perType: a.perType,
        rounds: a.rounds,
        seed: a.seed,
        minMeanClusterSize: a.minMeanClusterSize,
        weights: a.weights,
        ...(a.backbonePack !== undefined ? { backbone: await resolveBackboneChoice(userDataDir, a.backbonePack) } : {}),
      };
      return ctx.startJob('cluster', params);
    },
    'clusters.get': (a) => edits().state(ctx.category(a.categoryId)),
    'clusters.rename': (a) => edits().rename(a.clusterId, a.name),
    'clusters.merge': (a) => edits().merge(a.clusterIds, a.name),
    'clusters.split': (a) => edits().split(a.clusterId, a.k),
    'clusters.move': (a) => edits().move(a.imageIds, a.toClusterId),
    'clusters.setLock': (a) => edits().setLock(a.clusterId, a.locked),
    'clusters.setRule': (a) => edits().setRule(a.clusterId, a.kind, a.rule),
    'clusters.undo': (a) => edits().undo(ctx.category(a.categoryId)),
    'clusters.redo': (a) => edits().redo(ctx.category(a.categoryId)),
  };
}
