/**
 * The first two principal components of the feature rows, for the cluster scatter plot.
 * Power iteration on XᵀX through X (never forming the d×d covariance, which for deep
 * features would be 10⁶ entries); deterministic start, sign fixed so the largest
 * loading is positive.
 */
import { createRng } from '../random';

function topComponent(x: Float64Array[], dim: number, against: Float64Array | null): Float64Array {
  const rng = createRng(0x9e3779b9);
  let v = new Float64Array(dim);
  for (let j = 0; j < dim; j++) v[j] = rng.next() - 0.5;
  const orth = (u: Float64Array): void => {
    if (!against) return;
    let dot = 0;
    for (let j = 0; j < dim; j++) dot += u[j] * against[j];
    for (let j = 0; j < dim; j++) u[j] -= dot * against[j];
  };
  const norm = (u: Float64Array): number => Math.sqrt(u.reduce((s, t) => s + t * t, 0));
  orth(v);
  let len = norm(v);
  if (len === 0) return v;
  for (let j = 0; j < dim; j++) v[j] /= len;
  for (let iter = 0; iter < 1000; iter++) {
    const next = new Float64Array(dim);
    for (const row of x) {
      let p = 0;
      for (let j = 0; j < dim; j++) p += row[j] * v[j];
      for (let j = 0; j < dim; j++) next[j] += p * row[j];
    }
    orth(next);
    len = norm(next);
    if (len < 1e-300) return new Float64Array(dim);
    let change = 0;
    for (let j = 0; j < dim; j++) {
      next[j] /= len;
      change = Math.max(change, Math.abs(next[j] - v[j]));
    }
    v = next;
    if (change < 1e-12) break;
  }
  let big = 0;
  for (let j = 1; j < dim; j++) if (Math.abs(v[j]) > Math.abs(v[big])) big = j;
  if (v[big] < 0) for (let j = 0; j < dim; j++) v[j] = -v[j];
  return v;
}

export function pca2(points: readonly Float64Array[]): [number, number][] {
  const n = points.length;
  if (n === 0) return [];
  const dim = points[0].length;
  const mean = new Float64Array(dim);
  for (const p of points) for (let j = 0; j < dim; j++) mean[j] += p[j] / n;
  const x = points.map((p) => p.map((t, j) => t - mean[j]));
  const v1 = topComponent(x, dim, null);
  const v2 = topComponent(x, dim, v1);
  return x.map((row) => {
    let a = 0;
    let b = 0;
    for (let j = 0; j < dim; j++) {
      a += row[j] * v1[j];
      b += row[j] * v2[j];
    }
    return [a, b];
  });
}
