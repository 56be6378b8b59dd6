import type { MasksPlan } from '../../api/types';
import { alignedMaskCounts } from '../../store/aligned-masks';
import { clusterState } from '../../store/clusters';
import type { Db } from '../../store/db';

/**
 * "Make N" fills each cluster (with members) up to N aligned masks (`counts`: a target per
 * cluster id, as a shared total gives; a cluster it does not name gets none): the screen's label,
 * the job's total and what the job makes all come from this one plan. `jobId`: a running masks
 * job plans from the masks that were there before it, so a resume keeps its total.
 */
export function masksPlan(
  db: Db,
  a: { categoryId: number; clusterId: number | null; count: number; counts?: Record<string, number> },
  jobId: number | null = null,
): MasksPlan {
  const counts = alignedMaskCounts(db, a.categoryId, jobId);
  const clusters = clusterState(db, a.categoryId)
    .clusters.filter((c) => (a.clusterId === null || c.id === a.clusterId) && c.size > 0)
    .map((c) => {
      const existing = counts.get(c.id) ?? 0;
      const target = a.counts ? (a.counts[String(c.id)] ?? 0) : a.count;
      return { clusterId: c.id, name: c.name, existing, toMake: Math.max(0, target - existing) };
    });
  return { count: a.count, clusters, toMake: clusters.reduce((n, c) => n + c.toMake, 0) };
}
