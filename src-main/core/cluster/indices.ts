/**
 * Internal validity indices used to choose K (paper §3.2, Eq. 2), with the same
 * definitions and degenerate-case conventions as scikit-learn's
 * calinski_harabasz_score and davies_bouldin_score.
 */
import { squaredDistance } from './kmeans';

interface Partition {
  /** Label of each point, renumbered 0..k−1 in order of first appearance. */
  index: Int32Array;
  k: number;
  counts: number[];
  centroids: Float64Array[];
}

function partition(points: readonly Float64Array[], labels: ArrayLike<number>): Partition {
  const n = points.length;
  if (labels.length !== n) throw new Error(`${labels.length} labels for ${n} points`);
  const ids = new Map<number, number>();
  const index = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let id = ids.get(labels[i]);
    if (id === undefined) {
      id = ids.size;
      ids.set(labels[i], id);
    }
    index[i] = id;
  }
  const k = ids.size;
  if (k < 2 || k > n - 1) throw new Error(`number of labels is ${k}; valid values are 2 to n_samples − 1 (${n - 1})`);
  const dim = points[0].length;
  const counts = new Array<number>(k).fill(0);
  const centroids = Array.from({ length: k }, () => new Float64Array(dim));
  for (let i = 0; i < n; i++) {
    counts[index[i]]++;
    const c = centroids[index[i]];
    for (let j = 0; j < dim; j++) c[j] += points[i][j];
  }
  for (let c = 0; c < k; c++) for (let j = 0; j < dim; j++) centroids[c][j] /= counts[c];
  return { index, k, counts, centroids };
}

/**
 * CH = [Tr(B_k)/(k−1)] / [Tr(W_k)/(N−k)]; larger is better. 1 when every point sits on
 * its centroid (W = 0), as scikit-learn returns.
 */
export function calinskiHarabasz(points: readonly Float64Array[], labels: ArrayLike<number>): number {
  const p = partition(points, labels);
  const n = points.length;
  const dim = points[0].length;
  const mean = new Float64Array(dim);
  for (const x of points) for (let j = 0; j < dim; j++) mean[j] += x[j] / n;
  let between = 0;
  for (let c = 0; c < p.k; c++) between += p.counts[c] * squaredDistance(p.centroids[c], mean);
  let within = 0;
  for (let i = 0; i < n; i++) within += squaredDistance(points[i], p.centroids[p.index[i]]);
  if (within === 0) return 1;
  return (between * (n - p.k)) / (within * (p.k - 1));
}

/**
 * DB = (1/k) Σ_i max_{j≠i} (σ_i + σ_j) / d_ij, σ_i the mean distance of cluster i's points
 * to its centroid, d_ij the distance between centroids; smaller is better. 0 when all σ
 * or all d are 0; coincident centroids (d_ij = 0) are ignored, as scikit-learn does.
 */
export function daviesBouldin(points: readonly Float64Array[], labels: ArrayLike<number>): number {
  const p = partition(points, labels);
  const sigma = new Float64Array(p.k);
  for (let i = 0; i < points.length; i++) sigma[p.index[i]] += Math.sqrt(squaredDistance(points[i], p.centroids[p.index[i]]));
  for (let c = 0; c < p.k; c++) sigma[c] /= p.counts[c];
  const d = (i: number, j: number): number => Math.sqrt(squaredDistance(p.centroids[i], p.centroids[j]));
  const tiny = 1e-15;
  let allSigmaZero = true;
  let allDZero = true;
  for (let i = 0; i < p.k; i++) {
    if (Math.abs(sigma[i]) > tiny) allSigmaZero = false;
    for (let j = i + 1; j < p.k; j++) if (Math.abs(d(i, j)) > tiny) allDZero = false;
  }
  if (allSigmaZero || allDZero) return 0;
  let total = 0;
  for (let i = 0; i < p.k; i++) {
    let worst = 0;
    for (let j = 0; j < p.k; j++) {
      if (j === i) continue;
      const dij = d(i, j);
      if (dij === 0) continue;
      worst = Math.max(worst, (sigma[i] + sigma[j]) / dij);
    }
    total += worst;
  }
  return total / p.k;
}
