import { ApiError } from '../../api/contract';
import type { AnomalyKindChoice, ClusterState, PlacementRule } from '../../api/types';
import { calinskiHarabasz, daviesBouldin, kmeansPlusPlus, selectK } from '../../core/cluster';
import { assembleFeatureMatrix, type FeatureBlock } from '../../core/features';
import {
  clusterNames,
  clusterState,
  createCluster,
  emptyClusters,
  fewShotAnomalies,
  getClusterRow,
  memberCluster,
  moveAllMembers,
  pushHistory,
  removeClusters,
  setMember,
  travel,
  updateCluster,
} from '../../store/clusters';
import { getImage } from '../../store/images';
import type { Db } from '../../store/db';
import { defaultRuleFor, featuresOf } from './job';

/**
 * The user's overrides of the clustering (METHOD.md §1 "Review"). Each is one transaction that
 * first records the state before it, so undo restores it exactly.
 */
export class ClusterEdits {
  constructor(private readonly db: Db) {}

  /** The category's clusters, with the CH/DB of their partition as it is now (after every edit). */
  state(categoryId: number): ClusterState {
    const state = clusterState(this.db, categoryId);
    return { ...state, partition: this.partitionFigures(state) };
  }

  rename(clusterId: number, name: string): ClusterState {
    const c = this.cluster(clusterId);
    return this.edit(c.category_id, 'rename', () => updateCluster(this.db, clusterId, { name }));
  }

  setLock(clusterId: number, locked: boolean): ClusterState {
    const c = this.cluster(clusterId);
    return this.edit(c.category_id, locked ? 'lock' : 'unlock', () => updateCluster(this.db, clusterId, { locked }));
  }

  setRule(clusterId: number, kind: AnomalyKindChoice, rule: PlacementRule): ClusterState {
    const c = this.cluster(clusterId);
    if (kind === 'logical' && rule.mode !== 'logical') throw new ApiError('bad_request', 'a logical cluster uses the logical placement mode');
    if (kind === 'combined' && rule.mode !== 'combined') throw new ApiError('bad_request', 'a combined cluster uses the combined placement mode');
    if (kind === 'structural' && (rule.mode === 'logical' || rule.mode === 'combined'))
      throw new ApiError('bad_request', `a structural cluster is placed inside, on an edge or on a centreline, not "${rule.mode}"`);
    return this.edit(c.category_id, 'rule', () => updateCluster(this.db, clusterId, { kind, rule }));
  }

  merge(clusterIds: number[], name?: string): ClusterState {
    const rows = [...new Set(clusterIds)].map((id) => this.cluster(id));
    if (rows.length < 2) throw new ApiError('bad_request', 'merge needs at least two different clusters');
    const categoryId = rows[0].category_id;
    if (rows.some((r) => r.category_id !== categoryId)) throw new ApiError('bad_request', 'clusters of different categories cannot be merged');
    const locked = rows.find((r) => r.locked === 1);
    if (locked) throw new ApiError('conflict', `cluster "${locked.name}" is locked; unlock it to merge`);
    return this.edit(categoryId, 'merge', (historyEntry) => {
      const [target, ...rest] = rows;
      for (const r of rest) moveAllMembers(this.db, r.id, target.id);
      if (name) updateCluster(this.db, target.id, { name });
      // The merged clusters' masks and pairs follow their members into the survivor.
      removeClusters(this.db, categoryId, rest.map((r) => r.id), historyEntry);
      // No split made the merged cluster: its figures are those of the partition the merge left.
      const figures = this.partitionFigures(clusterState(this.db, categoryId));
      updateCluster(this.db, target.id, { ch: figures?.ch ?? null, db: figures?.db ?? null });
    });
  }

  /** Splits into k, or into the K that METHOD.md's CH/DB criterion picks. */
  split(clusterId: number, k: number | undefined, seed = 0): ClusterState {
    const c = this.cluster(clusterId);
    if (c.locked === 1) throw new ApiError('conflict', `cluster "${c.name}" is locked; unlock it to split`);
    const state = clusterState(this.db, c.category_id);
    const members = state.clusters.find((x) => x.id === clusterId)?.members ?? [];
    if (members.length < 2) throw new ApiError('bad_request', `cluster "${c.name}" has ${members.length} member(s); nothing to split`);
    // The features the current clusters were made from (with the deep block when that run had a backbone).
    const feats = featuresOf(this.db, members, state.run?.featuresVersion);
    if (!feats) throw new ApiError('conflict', 'features are missing for some members; run the clustering first');
    const { matrix } = assembleFeatureMatrix(feats, runWeights(state.run));
    const labels =
      k === undefined ? selectK(matrix, { seed }).labels : kmeansPlusPlus(matrix, Math.min(k, members.length), { seed }).labels;
    const groups = new Map<number, number[]>();
    labels.forEach((l, i) => groups.set(l, [...(groups.get(l) ?? []), members[i].imageId]));
    if (groups.size < 2) throw new ApiError('bad_request', `the members of "${c.name}" cannot be told apart; nothing to split`);
    // The clusters this split makes carry its CH/DB, as a run's clusters carry their split's.
    // The indices need fewer clusters than points: a split into singletons has none.
    const indexed = groups.size < members.length;
    const ch = indexed ? calinskiHarabasz(matrix, labels) : null;
    const db = indexed ? daviesBouldin(matrix, labels) : null;
    return this.edit(c.category_id, 'split', () => {
      const ordered = [...groups.values()];
      ordered.slice(1).forEach((ids, i) => {
        const id = createCluster(this.db, {
          categoryId: c.category_id,
          runId: c.run_id,
          nodeId: null,
          name: `${c.name}.${i + 2}`,
          ch,
          db,
          kind: c.kind,
          rule: JSON.parse(c.rule) as PlacementRule,
        });
        for (const imageId of ids) setMember(this.db, imageId, id, false);
      });
      updateCluster(this.db, c.id, { name: `${c.name}.1`, ch, db });
    });
  }

  /** Moves members by hand (to a new cluster when toClusterId is null); a re-run keeps them there. */
  move(imageIds: number[], toClusterId: number | null): ClusterState {
    const first = getImage(this.db, imageIds[0]);
    if (!first) throw new ApiError('not_found', `no image ${imageIds[0]}`);
    const categoryId = first.categoryId;
    const types = new Map(fewShotAnomalies(this.db, categoryId).map((a) => [a.imageId, a.defectType]));
    for (const id of imageIds) {
      if (!types.has(id)) throw new ApiError('bad_request', `image ${id} is not a few-shot anomaly of this category`);
    }
    const target = toClusterId === null ? null : this.cluster(toClusterId);
    if (target && target.category_id !== categoryId) throw new ApiError('bad_request', 'the target cluster belongs to another category');
    if (target?.locked === 1) throw new ApiError('conflict', `cluster "${target.name}" is locked; unlock it to add members`);
    const sources = imageIds.map((id) => memberCluster(this.db, id));
    const lockedSource = sources.find((s) => s?.locked === 1);
    if (lockedSource) throw new ApiError('conflict', `cluster "${lockedSource.name}" is locked; unlock it to move its members`);
    return this.edit(categoryId, 'move', (historyEntry) => {
      const to =
        target?.id ??
        createCluster(this.db, {
          categoryId,
          runId: null,
          nodeId: null,
          name: this.freshName(categoryId),
          ch: null,
          db: null,
          ...defaultRuleFor(imageIds.map((id) => types.get(id) ?? '')),
        });
      for (const id of imageIds) setMember(this.db, id, to, true);
      // A cluster emptied by the move disappears; its masks and pairs follow the moved members.
      removeClusters(this.db, categoryId, emptyClusters(this.db, categoryId), historyEntry);
    });
  }

  undo(categoryId: number): ClusterState {
    if (!this.db.transaction(() => travel(this.db, categoryId, 'undo'))()) throw new ApiError('conflict', 'nothing to undo');
    return this.state(categoryId);
  }

  redo(categoryId: number): ClusterState {
    if (!this.db.transaction(() => travel(this.db, categoryId, 'redo'))()) throw new ApiError('conflict', 'nothing to redo');
    return this.state(categoryId);
  }

  private edit(categoryId: number, action: string, change: (historyEntry: number) => void): ClusterState {
    this.db.transaction(() => change(pushHistory(this.db, categoryId, action)))();
    return this.state(categoryId);
  }

  /**
   * CH and DB of the category's clusters as they are (METHOD.md §1's indices over the features
   * the clusters were made from); null unless there are 2 to n−1 non-empty clusters with features.
   */
  private partitionFigures(state: Omit<ClusterState, 'partition'>): ClusterState['partition'] {
    const clusters = state.clusters.filter((c) => c.members.length > 0);
    const members = clusters.flatMap((c) => c.members);
    if (clusters.length < 2 || clusters.length >= members.length) return null;
    const feats = featuresOf(this.db, members, state.run?.featuresVersion);
    if (!feats) return null;
    const { matrix } = assembleFeatureMatrix(feats, runWeights(state.run));
    const labels = Int32Array.from(clusters.flatMap((c, i) => c.members.map(() => i)));
    return { k: clusters.length, ch: calinskiHarabasz(matrix, labels), db: daviesBouldin(matrix, labels) };
  }

  private cluster(id: number) {
    const c = getClusterRow(this.db, id);
    if (!c) throw new ApiError('not_found', `no cluster ${id}`);
    return c;
  }

  private freshName(categoryId: number): string {
    const names = new Set(clusterNames(this.db, categoryId));
    for (let i = 1; ; i++) if (!names.has(`new cluster ${i}`)) return `new cluster ${i}`;
  }
}

/** The block weights the current clusters were made with (a run's `weights` parameter; equal when absent), for splits and partition figures alike. */
function runWeights(run: ClusterState['run']): Partial<Record<FeatureBlock, number>> | undefined {
  return run?.params.weights as Partial<Record<FeatureBlock, number>> | undefined;
}
