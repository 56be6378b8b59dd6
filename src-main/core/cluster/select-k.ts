/**
 * Choice of K (paper §3.2, Eq. 2, as METHOD.md §1 corrects it): the printed Eq. (2)
 * minimises w1·CH + w2·DB, but a larger Calinski-Harabasz index is a better partition,
 * so we minimise w1·(1 − CH_norm(k)) + w2·DB_norm(k), both min-max normalised over the
 * candidate ks.
 */
import { calinskiHarabasz, daviesBouldin } from './indices';
import { kmeansPlusPlus } from './kmeans';

export interface SelectKOptions {
  seed: number;
  /** Upper bound on K before the N−1 cap; default 10. */
  kMax?: number;
  restarts?: number;
  w1?: number;
  w2?: number;
}

export interface SelectKPoint {
  k: number;
  ch: number;
  db: number;
  score: number;
  inertia: number;
}

export interface SelectKResult {
  k: number;
  curve: SelectKPoint[];
  /** The chosen k-means partition (all 0 when k = 1). */
  labels: Int32Array;
}

/** Distinct rows: asking k-means for more clusters than distinct points makes empty ones. */
function distinctCount(points: readonly Float64Array[]): number {
  const seen = new Set<string>();
  for (const p of points) seen.add(Array.prototype.join.call(p, ','));
  return seen.size;
}

function normalise(values: number[]): number[] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return values.map((v) => (hi > lo ? (v - lo) / (hi - lo) : 0));
}

export function selectK(points: readonly Float64Array[], opts: SelectKOptions): SelectKResult {
  const n = points.length;
  const single: SelectKResult = { k: 1, curve: [], labels: new Int32Array(n) };
  if (n < 4) return single;
  const kMax = Math.min(opts.kMax ?? 10, n - 1, distinctCount(points));
  if (kMax < 2) return single;
  const w1 = opts.w1 ?? 0.5;
  const w2 = opts.w2 ?? 0.5;
  const runs: { k: number; labels: Int32Array; inertia: number; ch: number; db: number }[] = [];
  for (let k = 2; k <= kMax; k++) {
    const r = kmeansPlusPlus(points, k, { seed: opts.seed, restarts: opts.restarts });
    // Indices are taken over the labels actually used; a partition that collapsed to one
    // cluster has no CH/DB and is no candidate.
    if (new Set(r.labels).size < 2) continue;
    runs.push({ k, labels: r.labels, inertia: r.inertia, ch: calinskiHarabasz(points, r.labels), db: daviesBouldin(points, r.labels) });
  }
  if (runs.length === 0) return single;
  const chN = normalise(runs.map((r) => r.ch));
  const dbN = normalise(runs.map((r) => r.db));
  const curve = runs.map((r, i) => ({ k: r.k, ch: r.ch, db: r.db, score: w1 * (1 - chN[i]) + w2 * dbN[i], inertia: r.inertia }));
  let best = 0;
  for (let i = 1; i < curve.length; i++) if (curve[i].score < curve[best].score) best = i;
  // Zero within-cluster scatter (k = the number of distinct samples) is a perfect
  // partition; scikit-learn's CH convention of 1 there would rank it worst instead.
  const perfect = curve.findIndex((c) => c.inertia === 0);
  if (perfect >= 0) best = perfect;
  return { k: curve[best].k, curve, labels: runs[best].labels };
}
