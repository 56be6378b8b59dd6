/**
 * Stale work (issue 12, item 2). Each aligned mask records what it was made from: its cluster's
 * kind, placement rule and members (as one fingerprint) and the region mask it was placed in. A
 * mask whose cluster or region has changed since is stale, and so are its pair and the pair's
 * score. Fingerprints are of content, not counters: undoing an edit makes the work current again.
 */
import { createHash } from 'node:crypto';
import type { ClusterSummary, StaleSummary } from '../../api/types';
import { clusterState } from '../../store/clusters';
import type { Db } from '../../store/db';
import { categoryIds, maskProvenance, pairsOfCategory, regionBlobsOfCategory } from '../../store/provenance';

export { regionBlobOf } from '../../store/provenance';

/** What an aligned mask depends on in its cluster: kind, rule and the few-shot masks it draws from. */
export function clusterFingerprint(c: Pick<ClusterSummary, 'kind' | 'rule' | 'members'>): string {
  const members = c.members.map((m) => m.maskId).sort((a, b) => a - b);
  const rule = Object.fromEntries(Object.entries(c.rule).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha1').update(JSON.stringify({ kind: c.kind, rule, members })).digest('hex').slice(0, 16);
}

export type StaleReason = 'cluster' | 'region';

/** The category's stale aligned masks (id → why). Masks made before provenance was recorded are never stale. */
export function staleMasks(db: Db, categoryId: number): Map<number, StaleReason> {
  const current = new Map(clusterState(db, categoryId).clusters.map((c) => [c.id, clusterFingerprint(c)]));
  const regionBlobs = regionBlobsOfCategory(db, categoryId);
  const stale = new Map<number, StaleReason>();
  for (const r of maskProvenance(db, categoryId)) {
    if (r.madeFrom === null || r.clusterId === null) continue;
    if (current.get(r.clusterId) !== r.madeFrom) stale.set(r.id, 'cluster');
    else if (r.region !== null && regionBlobs.get(`${r.imageId}\u0000${r.region}`) !== r.regionBlob) stale.set(r.id, 'region');
  }
  return stale;
}

/** Ids of the category's pairs made on a stale mask (or of every category's, for `null`). */
export function stalePairIds(db: Db, categoryId: number | null): Set<number> {
  const out = new Set<number>();
  for (const cat of categoryId === null ? categoryIds(db) : [categoryId]) {
    const stale = staleMasks(db, cat);
    if (stale.size === 0) continue;
    for (const r of pairsOfCategory(db, cat)) if (stale.has(r.maskId)) out.add(r.id);
  }
  return out;
}

/** Per cluster: its masks and pairs, how many are stale and why, and its pairs without a score. */
export function staleSummary(db: Db, categoryId: number): StaleSummary {
  const stale = staleMasks(db, categoryId);
  const state = clusterState(db, categoryId);
  const masks = maskProvenance(db, categoryId);
  const pairs = pairsOfCategory(db, categoryId);
  const clusters = state.clusters.map((c) => {
    const own = masks.filter((m) => m.clusterId === c.id);
    const ownPairs = pairs.filter((p) => p.clusterId === c.id);
    const reasons = { cluster: 0, region: 0 };
    for (const m of own) {
      const why = stale.get(m.id);
      if (why) reasons[why]++;
    }
    return {
      clusterId: c.id,
      name: c.name,
      masks: own.length,
      staleMasks: reasons.cluster + reasons.region,
      pairs: ownPairs.length,
      stalePairs: ownPairs.filter((p) => stale.has(p.maskId)).length,
      unscoredPairs: ownPairs.filter((p) => p.ars === null).length,
      reasons,
    };
  });
  const sum = (k: 'staleMasks' | 'stalePairs' | 'unscoredPairs') => clusters.reduce((n, c) => n + c[k], 0);
  return { categoryId, clusters, staleMasks: sum('staleMasks'), stalePairs: sum('stalePairs'), unscoredPairs: sum('unscoredPairs') };
}
