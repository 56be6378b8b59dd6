/**
 * Registration of an exemplar's surroundings to a target (METHOD.md §3, `learned` placement):
 * the exemplar carries the pixels inside its mask to the target, and those pixels include the
 * product's own structure (tread blocks, grain, a rim). Where that structure lands out of step
 * with the target's, the pair shows a collage seam that no real defect has, and a segmenter
 * trained on it learns to find seams. So among the placements the prior allows, the one whose
 * surroundings correlate best with the exemplar's is kept, moved by the small shift that lines
 * the two up (normalised cross-correlation of the ring just outside the mask).
 */
import { dilate } from '../image/morphology';
import type { Mask } from '../image/raster';
import type { Plane } from '../regions/planes';
import { similarityForward, type MaskTransform } from './transform';

/** The exemplar's surroundings: pixel centres (source px) in a ring outside its mask, and their gray values. */
export interface SurroundSamples {
  xs: Float64Array;
  ys: Float64Array;
  /** Gray values minus their mean. */
  values: Float64Array;
}

/** Samples kept per ring: enough for a stable correlation, few enough for hundreds of candidates. */
const MAX_SAMPLES = 600;

/**
 * Samples the ring between the exemplar mask grown by 1 px and grown by `width` px (evenly
 * thinned to ≤ 600 points). null when the ring is empty or flat: nothing there to register.
 */
export function surroundSamples(gray: Plane, mask: Mask, width: number): SurroundSamples | null {
  const inner = dilate(mask, 1);
  const outer = dilate(mask, Math.max(2, Math.round(width)));
  const idx: number[] = [];
  for (let i = 0; i < outer.data.length; i++) if (outer.data[i] !== 0 && inner.data[i] === 0) idx.push(i);
  if (idx.length < 8) return null;
  const stride = Math.max(1, Math.ceil(idx.length / MAX_SAMPLES));
  const n = Math.ceil(idx.length / stride);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const values = new Float64Array(n);
  let mean = 0;
  for (let k = 0; k < n; k++) {
    const i = idx[k * stride];
    const x = i % mask.width;
    const y = (i - x) / mask.width;
    xs[k] = x + 0.5;
    ys[k] = y + 0.5;
    values[k] = gray.data[y * gray.width + x];
    mean += values[k];
  }
  mean /= n;
  let ss = 0;
  for (let k = 0; k < n; k++) {
    values[k] -= mean;
    ss += values[k] * values[k];
  }
  // A ring whose gray values vary by less than one level has no structure to line up.
  if (ss / n < 1) return null;
  return { xs, ys, values };
}

export interface Registration {
  /** Integer shift (target px) to add to the transform's target centroid. */
  dx: number;
  dy: number;
  /** Normalised cross-correlation of the exemplar's ring with the target's at that shift, -1..1. */
  ncc: number;
}

/**
 * The integer shift within ±radius px that best correlates the exemplar's ring, carried by T's
 * similarity, with the target: a coarse grid first, then every shift around its best. Points that
 * land outside the target at some shift are left out of every shift's sum, so all shifts compare
 * the same points. null when too few points land inside.
 */
export function registerShift(samples: SurroundSamples, t: MaskTransform, target: Plane, radius: number): Registration | null {
  const r = Math.max(0, Math.round(radius));
  const n = samples.xs.length;
  // Each point's target position and bilinear weights: a whole-pixel shift keeps the weights.
  const base = new Int32Array(n);
  const fx = new Float64Array(n);
  const fy = new Float64Array(n);
  const use = new Uint8Array(n);
  let used = 0;
  const W = target.width;
  for (let k = 0; k < n; k++) {
    // Pixel centres: the transform works on continuous coordinates with pixel (x, y) covering [x, x+1).
    const [qx, qy] = similarityForward(t, [samples.xs[k], samples.ys[k]]);
    const sx = qx - 0.5;
    const sy = qy - 0.5;
    const x0 = Math.floor(sx);
    const y0 = Math.floor(sy);
    if (x0 - r < 0 || y0 - r < 0 || x0 + 1 + r >= W || y0 + 1 + r >= target.height) continue;
    base[k] = y0 * W + x0;
    fx[k] = sx - x0;
    fy[k] = sy - y0;
    use[k] = 1;
    used++;
  }
  if (used < Math.max(8, n / 2)) return null;
  const d = target.data;
  // The used points' exemplar values are not exactly centred (the mean was over all of them).
  let eSum = 0;
  let eSq = 0;
  for (let k = 0; k < n; k++) if (use[k]) {
    eSum += samples.values[k];
    eSq += samples.values[k] * samples.values[k];
  }
  const varE = eSq - (eSum * eSum) / used;
  if (varE <= 1e-9) return null;
  const ncc = (dx: number, dy: number): number => {
    const off = dy * W + dx;
    let sum = 0;
    let sumSq = 0;
    let dot = 0;
    for (let k = 0; k < n; k++) {
      if (!use[k]) continue;
      const i = base[k] + off;
      const a = fx[k];
      const b = fy[k];
      const v = (1 - b) * ((1 - a) * d[i] + a * d[i + 1]) + b * ((1 - a) * d[i + W] + a * d[i + W + 1]);
      sum += v;
      sumSq += v * v;
      dot += v * samples.values[k];
    }
    const varT = sumSq - (sum * sum) / used;
    if (varT <= 1e-9) return 0;
    return (dot - (eSum * sum) / used) / Math.sqrt(varE * varT);
  };
  let best: Registration = { dx: 0, dy: 0, ncc: ncc(0, 0) };
  const step = Math.max(1, Math.round(r / 5));
  for (let dy = -r; dy <= r; dy += step) for (let dx = -r; dx <= r; dx += step) {
    if (dx === 0 && dy === 0) continue;
    const v = ncc(dx, dy);
    if (v > best.ncc) best = { dx, dy, ncc: v };
  }
  if (step > 1) {
    const c = best;
    for (let dy = Math.max(-r, c.dy - step + 1); dy <= Math.min(r, c.dy + step - 1); dy++) {
      for (let dx = Math.max(-r, c.dx - step + 1); dx <= Math.min(r, c.dx + step - 1); dx++) {
        const v = ncc(dx, dy);
        if (v > best.ncc) best = { dx, dy, ncc: v };
      }
    }
  }
  return best;
}
