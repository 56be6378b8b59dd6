import type { SynthPlan } from '../../api/types';
import { deriveSeed } from '../../core/random';
import { alignedMasksToSynthesise, type AlignedMaskToSynthesise } from '../../store/aligned-masks';
import type { Db } from '../../store/db';
import { sampleExists } from '../../store/samples';

/** The pair of aligned mask `maskId` is made with this seed: the job and its plan agree on it. */
export const pairSeed = (seed: number, maskId: number): number => deriveSeed(seed, maskId);

/**
 * What a synthesis run makes: per cluster the first `perCluster` aligned masks, less those that
 * already have a pair from this generator and seed. Masks that lost their cluster (orphaned)
 * are left out. `madeByJob`: keys a running job committed already, which it still counts (its
 * total stays what it was planned at).
 */
export function synthPlan(
  db: Db,
  a: { categoryId: number; clusterId: number | null; perCluster: number; generator: string; seed: number; caps?: Record<string, number> },
  madeByJob: ReadonlySet<string> = new Set(),
): { plan: SynthPlan; rows: AlignedMaskToSynthesise[] } {
  const perCluster = new Map<number, { name: string; masks: AlignedMaskToSynthesise[] }>();
  for (const r of alignedMasksToSynthesise(db, a.categoryId, a.clusterId)) {
    if (r.cluster_id === null) continue;
    const entry = perCluster.get(r.cluster_id) ?? { name: r.cluster_name, masks: [] };
    entry.masks.push(r);
    perCluster.set(r.cluster_id, entry);
  }
  const rows: AlignedMaskToSynthesise[] = [];
  const clusters: SynthPlan['clusters'] = [];
  for (const [clusterId, { name, masks }] of perCluster) {
    // A shared total (`caps`, by cluster id) limits a cluster below n_gen.
    const cap = Math.min(a.perCluster, a.caps?.[String(clusterId)] ?? a.perCluster);
    const used = masks.slice(0, cap);
    const todo = used.filter((r) => madeByJob.has(`sample:${r.id}`) || !sampleExists(db, r.id, a.generator, pairSeed(a.seed, r.id)));
    rows.push(...todo);
    clusters.push({ clusterId, name, cap, masks: masks.length, used: used.length, alreadyMade: used.length - todo.length, toMake: todo.length });
  }
  return {
    plan: {
      perCluster: a.perCluster,
      clusters,
      toMake: rows.length,
      alreadyMade: clusters.reduce((n, c) => n + c.alreadyMade, 0),
    },
    rows,
  };
}
