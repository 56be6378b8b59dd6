/**
 * The region of interest of one anomaly: its mask's bounding box grown by the contrast
 * ring's radius. Every feature is computed inside it, so the cost follows the defect's
 * size, not the image's.
 */
import type { PixelRect } from '../image/colour';
import type { Mask } from '../image/raster';

/** Tight bounding box of the mask's on pixels, or null for an empty mask. */
export function maskBoundingBox(mask: Mask): PixelRect | null {
  const { width: w, height: h, data } = mask;
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let first = -1;
    let last = -1;
    for (let x = 0; x < w; x++) {
      if (data[row + x] !== 0) {
        if (first < 0) first = x;
        last = x;
      }
    }
    if (first < 0) continue;
    if (y < y0) y0 = y;
    y1 = y;
    if (first < x0) x0 = first;
    if (last > x1) x1 = last;
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/**
 * Contrast ring radius: 3 px per 256 px of the image's longer side, at least 2 px — the
 * same per-256-px scaling METHOD.md §3 uses for its closing radii, so a defect and its
 * ring cover the same share of the product whatever the resolution (12 px at 1024²).
 */
export function ringRadiusFor(width: number, height: number): number {
  return Math.max(2, Math.round((3 * Math.max(width, height)) / 256));
}

export function growRect(rect: PixelRect, by: number, width: number, height: number): PixelRect {
  return {
    x0: Math.max(0, rect.x0 - by),
    y0: Math.max(0, rect.y0 - by),
    x1: Math.min(width, rect.x1 + by),
    y1: Math.min(height, rect.y1 + by),
  };
}

/** The mask cropped to `rect`, 1 = on, 0 = off. */
export function cropMask(mask: Mask, rect: PixelRect): Uint8Array {
  const w = rect.x1 - rect.x0;
  const h = rect.y1 - rect.y0;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const src = (rect.y0 + y) * mask.width + rect.x0;
    for (let x = 0; x < w; x++) out[y * w + x] = mask.data[src + x] !== 0 ? 1 : 0;
  }
  return out;
}

const FAR = 1e20;

/** 1-D squared distance transform of sampled function f (Felzenszwalb & Huttenlocher 2012). */
function edt1d(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  for (let q = 1; q < n; q++) {
    let s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    while (s <= z[k]) {
      k--;
      s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    const dq = q - v[k];
    d[q] = dq * dq + f[v[k]];
  }
}

/** Exact squared Euclidean distance from each pixel to the nearest on pixel of `bin` (w×h). */
export function squaredDistanceToMask(bin: Uint8Array, w: number, h: number): Float64Array {
  const out = new Float64Array(w * h);
  for (let i = 0; i < out.length; i++) out[i] = bin[i] ? 0 : FAR;
  const m = Math.max(w, h);
  const f = new Float64Array(m);
  const d = new Float64Array(m);
  const v = new Int32Array(m);
  const z = new Float64Array(m + 1);
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) f[y] = out[y * w + x];
    edt1d(f, h, d, v, z);
    for (let y = 0; y < h; y++) out[y * w + x] = d[y];
  }
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) f[x] = out[row + x];
    edt1d(f, w, d, v, z);
    for (let x = 0; x < w; x++) out[row + x] = d[x];
  }
  return out;
}

/**
 * The contrast ring: pixels within Euclidean distance `radius` of the mask (a disk
 * dilation) that are not in the mask. `bin` must already include `radius` px of margin
 * where the image allows, which the ROI guarantees.
 */
export function ringAround(bin: Uint8Array, w: number, h: number, radius: number): Uint8Array {
  const d2 = squaredDistanceToMask(bin, w, h);
  const r2 = radius * radius;
  const ring = new Uint8Array(w * h);
  for (let i = 0; i < ring.length; i++) ring[i] = !bin[i] && d2[i] <= r2 ? 1 : 0;
  return ring;
}
