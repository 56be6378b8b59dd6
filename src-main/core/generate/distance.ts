/**
 * Exact Euclidean distance transform and the disc morphology the generator needs.
 * Private to core/generate so it does not wait on `core/image/morphology.ts`; the disc
 * dilation here (all pixels within Euclidean distance r of an "on" pixel) can be swapped
 * for the shared one.
 */
import type { Mask } from '../image/raster';

/** Half-open pixel rectangle [x0, x1) × [y0, y1). */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function boxWidth(b: Box): number {
  return b.x1 - b.x0;
}

export function boxHeight(b: Box): number {
  return b.y1 - b.y0;
}

/** Bounding box of the "on" pixels, or null for an empty mask. */
export function maskBox(mask: Mask): Box | null {
  let x0 = mask.width;
  let y0 = mask.height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < mask.height; y++) {
    const row = y * mask.width;
    for (let x = 0; x < mask.width; x++) {
      if (mask.data[row + x] === 0) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/** The box grown by `m` pixels on every side, clipped to a width × height image. */
export function growBox(b: Box, m: number, width: number, height: number): Box {
  return {
    x0: Math.max(0, b.x0 - m),
    y0: Math.max(0, b.y0 - m),
    x1: Math.min(width, b.x1 + m),
    y1: Math.min(height, b.y1 + m),
  };
}

const INF = 1e20;

/** Felzenszwalb & Huttenlocher (2012) lower envelope of parabolas, one row or column. */
function edt1d(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -INF;
  z[1] = INF;
  for (let q = 1; q < n; q++) {
    let s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    while (s <= z[k]) {
      k--;
      s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = INF;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    const dq = q - v[k];
    d[q] = dq * dq + f[v[k]];
  }
}

/**
 * Squared Euclidean distance from every pixel of a width × height grid to the nearest
 * pixel where `isSeed` is true (0 on seeds; ~1e20 everywhere when there is no seed).
 */
export function squaredDistance(width: number, height: number, isSeed: (i: number) => boolean): Float64Array {
  const out = new Float64Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = isSeed(i) ? 0 : INF;
  const n = Math.max(width, height);
  const f = new Float64Array(n);
  const d = new Float64Array(n);
  const v = new Int32Array(n);
  const z = new Float64Array(n + 1);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) f[y] = out[y * width + x];
    edt1d(f, height, d, v, z);
    for (let y = 0; y < height; y++) out[y * width + x] = d[y];
  }
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) f[x] = out[row + x];
    edt1d(f, width, d, v, z);
    for (let x = 0; x < width; x++) out[row + x] = d[x];
  }
  return out;
}

/** Disc dilation: every pixel within Euclidean distance `radius` of an "on" pixel (0/255). */
export function dilateDisc(mask: Mask, radius: number): Mask {
  const out = new Uint8Array(mask.width * mask.height);
  const box = maskBox(mask);
  if (!box) return { width: mask.width, height: mask.height, data: out };
  const r = Math.max(0, radius);
  const b = growBox(box, Math.ceil(r), mask.width, mask.height);
  const w = boxWidth(b);
  const h = boxHeight(b);
  const d2 = squaredDistance(w, h, (i) => mask.data[(b.y0 + Math.floor(i / w)) * mask.width + b.x0 + (i % w)] !== 0);
  const r2 = r * r;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) if (d2[y * w + x] <= r2) out[(b.y0 + y) * mask.width + b.x0 + x] = 255;
  }
  return { width: mask.width, height: mask.height, data: out };
}

/** Pixels of `outer` that are not in `inner` (both the same size), as 0/255. */
export function ringOf(outer: Mask, inner: Mask): Mask {
  const data = new Uint8Array(outer.data.length);
  for (let i = 0; i < data.length; i++) if (outer.data[i] !== 0 && inner.data[i] === 0) data[i] = 255;
  return { width: outer.width, height: outer.height, data };
}
