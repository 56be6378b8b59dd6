/**
 * Thin-plate spline (Bookstein 1989) through 2-D control points: the smooth interpolation
 * that undoes Eq. (5)'s random vertex perturbation for every pixel, not only the vertices.
 * It interpolates the control points exactly, is affine far from them, and needs no
 * triangulation, so it also works for polygons that are not star-shaped about the centroid.
 */
import type { Point } from '../masks/transform';

export type PointMap = (x: number, y: number) => Point;

/** U(r) = r² log r, written in r² so no square root is taken. */
function kernel(r2: number): number {
  return r2 > 0 ? 0.5 * r2 * Math.log(r2) : 0;
}

/** Solves A x = b in place (A row-major n × n) by Gaussian elimination with partial pivoting. */
function solveDense(a: Float64Array, b: Float64Array[], n: number): boolean {
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r * n + col]) > Math.abs(a[piv * n + col])) piv = r;
    if (Math.abs(a[piv * n + col]) < 1e-12) return false;
    if (piv !== col) {
      for (let c = 0; c < n; c++) {
        const t = a[col * n + c];
        a[col * n + c] = a[piv * n + c];
        a[piv * n + c] = t;
      }
      for (const rhs of b) {
        const t = rhs[col];
        rhs[col] = rhs[piv];
        rhs[piv] = t;
      }
    }
    const p = a[col * n + col];
    for (let r = col + 1; r < n; r++) {
      const m = a[r * n + col] / p;
      if (m === 0) continue;
      for (let c = col; c < n; c++) a[r * n + c] -= m * a[col * n + c];
      for (const rhs of b) rhs[r] -= m * rhs[col];
    }
  }
  for (const rhs of b) {
    for (let r = n - 1; r >= 0; r--) {
      let s = rhs[r];
      for (let c = r + 1; c < n; c++) s -= a[r * n + c] * rhs[c];
      rhs[r] = s / a[r * n + r];
    }
  }
  return true;
}

/**
 * The thin-plate spline taking each `from[i]` to `to[i]`. Coincident control points are
 * merged (first one wins); with fewer than three non-collinear points the affine part is
 * undetermined and the map falls back to the mean displacement.
 */
export function fitThinPlate(from: readonly Point[], to: readonly Point[]): PointMap {
  let cx = 0;
  let cy = 0;
  for (const p of from) {
    cx += p[0];
    cy += p[1];
  }
  cx /= Math.max(1, from.length);
  cy /= Math.max(1, from.length);
  let scale = 0;
  for (const p of from) scale = Math.max(scale, Math.hypot(p[0] - cx, p[1] - cy));
  if (scale === 0) scale = 1;

  // Normalised coordinates keep the system well conditioned whatever the mask's size.
  const px: number[] = [];
  const py: number[] = [];
  const dx: number[] = [];
  const dy: number[] = [];
  for (let i = 0; i < from.length; i++) {
    const u = (from[i][0] - cx) / scale;
    const v = (from[i][1] - cy) / scale;
    let duplicate = false;
    for (let j = 0; j < px.length && !duplicate; j++) duplicate = Math.hypot(px[j] - u, py[j] - v) < 1e-9;
    if (duplicate) continue;
    px.push(u);
    py.push(v);
    dx.push(to[i][0] - from[i][0]);
    dy.push(to[i][1] - from[i][1]);
  }
  const n = px.length;
  const meanDx = dx.reduce((s, v) => s + v, 0) / Math.max(1, n);
  const meanDy = dy.reduce((s, v) => s + v, 0) / Math.max(1, n);
  const fallback: PointMap = (x, y) => [x + meanDx, y + meanDy];
  if (n < 3) return fallback;

  const m = n + 3;
  const a = new Float64Array(m * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const ddx = px[i] - px[j];
      const ddy = py[i] - py[j];
      a[i * m + j] = kernel(ddx * ddx + ddy * ddy);
    }
    a[i * m + n] = 1;
    a[i * m + n + 1] = px[i];
    a[i * m + n + 2] = py[i];
    a[n * m + i] = 1;
    a[(n + 1) * m + i] = px[i];
    a[(n + 2) * m + i] = py[i];
  }
  const bx = new Float64Array(m);
  const by = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    bx[i] = dx[i];
    by[i] = dy[i];
  }
  if (!solveDense(a, [bx, by], m)) return fallback;

  return (x, y) => {
    const u = (x - cx) / scale;
    const v = (y - cy) / scale;
    let ox = bx[n] + bx[n + 1] * u + bx[n + 2] * v;
    let oy = by[n] + by[n + 1] * u + by[n + 2] * v;
    for (let i = 0; i < n; i++) {
      const du = u - px[i];
      const dv = v - py[i];
      const k = kernel(du * du + dv * dv);
      ox += bx[i] * k;
      oy += by[i] * k;
    }
    return [x + ox, y + oy];
  };
}
