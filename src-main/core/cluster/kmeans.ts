/**
 * k-means with k-means++ seeding (Arthur & Vassilvitskii 2007), best inertia over
 * seeded restarts (METHOD.md §1: 10 restarts). Lloyd iterations in Float64.
 */
import { createRng, deriveSeed, type Rng } from '../random';

export interface KMeansOptions {
  seed: number;
  restarts?: number;
  maxIter?: number;
}

export interface KMeansResult {
  labels: Int32Array;
  centroids: Float64Array[];
  /** Sum of squared distances of points to their centroid. */
  inertia: number;
}

export function squaredDistance(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
  return s;
}

function seedCentres(points: readonly Float64Array[], k: number, rng: Rng): Float64Array[] {
  const n = points.length;
  const centres = [Float64Array.from(points[rng.int(n)])];
  const d2 = new Float64Array(n);
  for (let i = 0; i < n; i++) d2[i] = squaredDistance(points[i], centres[0]);
  while (centres.length < k) {
    let total = 0;
    for (let i = 0; i < n; i++) total += d2[i];
    let pick = -1;
    if (total > 0) {
      let r = rng.next() * total;
      for (let i = 0; i < n; i++) {
        r -= d2[i];
        if (r < 0) {
          pick = i;
          break;
        }
      }
      // Rounding can leave r ≥ 0 after the last point: take the last with weight.
      if (pick < 0) for (let i = n - 1; i >= 0 && pick < 0; i--) if (d2[i] > 0) pick = i;
    } else pick = rng.int(n);
    const c = Float64Array.from(points[pick]);
    centres.push(c);
    for (let i = 0; i < n; i++) d2[i] = Math.min(d2[i], squaredDistance(points[i], c));
  }
  return centres;
}

function lloyd(points: readonly Float64Array[], centres: Float64Array[], maxIter: number): KMeansResult {
  const n = points.length;
  const k = centres.length;
  const dim = points[0].length;
  const labels = new Int32Array(n).fill(-1);
  const dist = new Float64Array(n);
  for (let iter = 0; iter < maxIter; iter++) {
    let changed = false;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const d = squaredDistance(points[i], centres[c]);
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      dist[i] = bestD;
      if (labels[i] !== best) {
        labels[i] = best;
        changed = true;
      }
    }
    if (!changed && iter > 0) break;
    const counts = new Int32Array(k);
    for (const c of centres) c.fill(0);
    for (let i = 0; i < n; i++) {
      const c = centres[labels[i]];
      const p = points[i];
      for (let j = 0; j < dim; j++) c[j] += p[j];
      counts[labels[i]]++;
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] > 0) {
        for (let j = 0; j < dim; j++) centres[c][j] /= counts[c];
        continue;
      }
      // Empty cluster: restart it on the point worst served by its own centre.
      let far = 0;
      for (let i = 1; i < n; i++) if (dist[i] > dist[far]) far = i;
      centres[c].set(points[far]);
      dist[far] = 0;
      labels[far] = c;
      changed = true;
    }
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestD = Infinity;
    for (let c = 0; c < k; c++) {
      const d = squaredDistance(points[i], centres[c]);
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
    labels[i] = best;
    inertia += bestD;
  }
  return { labels, centroids: centres, inertia };
}

export function kmeansPlusPlus(points: readonly Float64Array[], k: number, opts: KMeansOptions): KMeansResult {
  const n = points.length;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new Error(`k must be an integer in 1..${n}, got ${k}`);
  const restarts = opts.restarts ?? 10;
  const maxIter = opts.maxIter ?? 300;
  let best: KMeansResult | null = null;
  for (let r = 0; r < restarts; r++) {
    const rng = createRng(deriveSeed(opts.seed, 'kmeans', k, r));
    const result = lloyd(points, seedCentres(points, k, rng), maxIter);
    if (!best || result.inertia < best.inertia) best = result;
  }
  return best!;
}
