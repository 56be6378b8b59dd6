import { MAX_PAGE_ITEMS, type ApiClient } from '../api/contract';
import { SMALL_CLUSTER } from '../api/limits';
import { allocateCounts, type Allocation } from '../core/masks/allocation';
import { smallClusterWarnings } from './clusters';
import { waitForJob } from './jobs';

export interface PropagateReport {
  category: string;
  status: 'done' | 'failed' | 'cancelled';
  error: string | null;
  labelled: number;
  propagated: number;
  flagged: number;
  images: { imageId: number; path: string; confidence: number; flagged: boolean }[];
}

/** `gaa regions propagate`: labels every normal image of a category from the labelled ones. */
export async function propagateAndWait(api: ApiClient, category: { id: number; name: string }, seed: number): Promise<PropagateReport> {
  const { jobId } = await api.call('regions.propagate', { categoryId: category.id, seed });
  const finished = await waitForJob(api, 'propagate', jobId);
  const state = await api.call('regions.get', { categoryId: category.id });
  return {
    category: category.name,
    status: finished.status,
    error: finished.error,
    labelled: state.labelled.length,
    propagated: state.propagated.length,
    flagged: state.propagated.filter((p) => p.flagged).length,
    images: state.propagated.map((p) => ({ imageId: p.imageId, path: p.relPath, confidence: Math.round(p.confidence * 1000) / 1000, flagged: p.flagged })),
  };
}

/** How a masks or synth run shared its count over the clusters (`perCluster`: the same count each). */
export interface AllocationReport {
  allocation: 'proportional' | 'equal' | 'perCluster';
  /** Masks (or pairs) asked for over all clusters in scope. */
  total: number;
  clusters: { id: number; name: string; size: number; small: boolean; share: number; asked: number }[];
}

/** The counts each cluster in scope gets: a total by allocation, or the same count each. */
export async function allocationOf(
  api: ApiClient,
  categoryId: number,
  clusterId: number | null,
  how: { total: number; allocation: Allocation } | { perCluster: number },
): Promise<AllocationReport> {
  const state = await api.call('clusters.get', { categoryId });
  const scope = state.clusters.filter((c) => (clusterId === null || c.id === clusterId) && c.size > 0);
  const asked = 'perCluster' in how ? scope.map(() => how.perCluster) : allocateCounts(how.total, scope.map((c) => c.size), how.allocation);
  const sum = asked.reduce((a, b) => a + b, 0);
  return {
    allocation: 'perCluster' in how ? 'perCluster' : how.allocation,
    total: sum,
    clusters: scope.map((c, i) => ({
      id: c.id,
      name: c.name,
      size: c.size,
      small: c.size < SMALL_CLUSTER,
      share: sum ? Math.round((asked[i] / sum) * 1000) / 1000 : 0,
      asked: asked[i],
    })),
  };
}

export interface MasksReport {
  category: string;
  status: 'done' | 'failed' | 'cancelled';
  error: string | null;
  /** Masks this run made, over every cluster in scope. */
  made: number;
  /** Masks the clusters in scope hold now (this run's and earlier ones). */
  total: number;
  allocation: AllocationReport;
  /** Per cluster: asked for, made by this run, held now. */
  perCluster: { cluster: string; size: number; small: boolean; asked: number; made: number; total: number }[];
  warnings: string[];
  failed: { cluster: string; index: number; normalImage: string | null; reason: string }[];
  masks: { id: number; path: string; sourceMask: string | null; normalImage: string; cluster: string; region: string | null; mode: string; insideFraction: number; seed: number }[];
}

/** `gaa masks`: RAMS for a category (or one cluster), reporting each aligned mask and its source. */
export async function masksAndWait(
  api: ApiClient,
  category: { id: number; name: string },
  opts: { clusterId: number | null; seed: number } & ({ total: number; allocation: Allocation } | { perCluster: number }),
): Promise<MasksReport> {
  const allocation = await allocationOf(api, category.id, opts.clusterId, opts);
  const { jobId } = await api.call('masks.generate', {
    categoryId: category.id,
    clusterId: opts.clusterId,
    seed: opts.seed,
    ...('perCluster' in opts ? { count: opts.perCluster } : { total: opts.total, allocation: opts.allocation }),
  });
  const finished = await waitForJob(api, 'masks', jobId);
  const masks: (MasksReport['masks'][number] & { jobId: number | null })[] = [];
  for (let offset = 0; ; offset += MAX_PAGE_ITEMS) {
    const page = await api.call('masks.list', { categoryId: category.id, clusterId: opts.clusterId, offset, limit: MAX_PAGE_ITEMS });
    for (const m of page.items) {
      masks.push({
        id: m.id,
        path: m.file,
        sourceMask: m.sourceMaskFile,
        normalImage: m.normalImageFile,
        cluster: m.cluster,
        region: m.region,
        mode: m.mode,
        insideFraction: Math.round(m.insideFraction * 10000) / 10000,
        seed: m.seed,
        jobId: m.jobId,
      });
    }
    if (masks.length >= page.total || page.items.length === 0) break;
  }
  const madeBy = new Map<string, number>();
  const heldBy = new Map<string, number>();
  for (const m of masks) {
    heldBy.set(m.cluster, (heldBy.get(m.cluster) ?? 0) + 1);
    if (m.jobId === jobId) madeBy.set(m.cluster, (madeBy.get(m.cluster) ?? 0) + 1);
  }
  return {
    category: category.name,
    status: finished.status,
    error: finished.error,
    made: finished.result?.made ?? 0,
    total: masks.length,
    allocation,
    perCluster: allocation.clusters.map((c) => ({ cluster: c.name, size: c.size, small: c.small, asked: c.asked, made: madeBy.get(c.name) ?? 0, total: heldBy.get(c.name) ?? 0 })),
    warnings: [
      ...smallClusterWarnings(allocation.clusters),
      ...(finished.result?.unreadableExemplars ?? []).map((u) => `${u.cluster}: exemplar ${u.file} could not be read (${u.reason}); placement was learnt without it`),
    ],
    failed: finished.result?.failures ?? [],
    masks: masks.map(({ jobId: _job, ...m }) => m),
  };
}
