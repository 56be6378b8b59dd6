/**
 * Texture block (METHOD.md §1, redefined for issue 15): how busy the defect is, and how much busier or calmer than its
 * own surroundings. On devdata tire, a cut is a calm dark patch and a hole a rough one of the
 * same brightness: their L* spread inside differs (median 3.9 against 4.7) where their contrast
 * to the ring does not.
 */
import type { LabPlanes } from '../image/colour';
import { TEXTURE_DIM } from './types';

/** Sobel gradient magnitude of a w×h plane, borders replicated (clamped rows and columns, read through index tables). */
export function sobelMagnitude(g: Float64Array, w: number, h: number): Float64Array {
  const out = new Float64Array(w * h);
  const left = new Int32Array(w);
  const right = new Int32Array(w);
  for (let x = 0; x < w; x++) {
    left[x] = Math.max(0, x - 1);
    right[x] = Math.min(w - 1, x + 1);
  }
  for (let y = 0; y < h; y++) {
    const up = Math.max(0, y - 1) * w;
    const mid = y * w;
    const down = Math.min(h - 1, y + 1) * w;
    for (let x = 0; x < w; x++) {
      const l = left[x];
      const r = right[x];
      const gx = g[up + r] + 2 * g[mid + r] + g[down + r] - g[up + l] - 2 * g[mid + l] - g[down + l];
      const gy = g[down + l] + 2 * g[down + x] + g[down + r] - g[up + l] - 2 * g[up + x] - g[up + r];
      out[mid + x] = Math.hypot(gx, gy);
    }
  }
  return out;
}

/** Population mean and standard deviation of `plane` where `where` is set; zeros when it is nowhere. */
function stats(plane: Float64Array, where: Uint8Array): { mean: number; sd: number } {
  let n = 0;
  let s = 0;
  for (let i = 0; i < plane.length; i++) if (where[i]) (n++, (s += plane[i]));
  if (n === 0) return { mean: 0, sd: 0 };
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < plane.length; i++) if (where[i]) ss += (plane[i] - mean) ** 2;
  return { mean, sd: Math.sqrt(ss / n) };
}

/**
 * 6 values: standard deviation of L*, a* and b* inside; the mean Sobel magnitude of L* inside;
 * ln((sd L* inside + 1) / (sd L* ring + 1)); ln((gradient inside + 1) / (gradient ring + 1)).
 * The +1 keeps a flat ring (spread 0) finite. The ratios are 0 where the ring is empty.
 */
export function textureBlock(lab: LabPlanes, inside: Uint8Array, ring: Uint8Array): Float64Array {
  const out = new Float64Array(TEXTURE_DIM);
  const { width: w, height: h } = lab;
  const l = stats(lab.l, inside);
  out[0] = l.sd;
  out[1] = stats(lab.a, inside).sd;
  out[2] = stats(lab.b, inside).sd;
  const grad = sobelMagnitude(lab.l, w, h);
  const gIn = stats(grad, inside).mean;
  out[3] = gIn;
  if (ring.some((v) => v !== 0)) {
    out[4] = Math.log((l.sd + 1) / (stats(lab.l, ring).sd + 1));
    out[5] = Math.log((gIn + 1) / (stats(grad, ring).mean + 1));
  }
  return out;
}
