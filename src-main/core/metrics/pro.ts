import type { Mask } from '../image/raster';
import { labelComponents } from './components';
import { flattenPixels } from './pixel';
import { argsortFloat32Descending } from './radix';
import type { ScoreMap } from './score-map';

export interface ProCurve {
  /** False-positive rate over normal pixels, non-decreasing, starting at 0. */
  fpr: Float64Array;
  /** Mean per-region overlap at the same thresholds, starting at 0. */
  pro: Float64Array;
}

/**
 * The per-region-overlap curve of the MVTec AD evaluation (Bergmann et al.): at each
 * threshold t, PRO(t) = mean over all ground-truth connected components (8-connected, over
 * all images) of the fraction of the component's pixels with score ≥ t; FPR(t) is over the
 * normal pixels of all images.
 *
 * Exact, not sampled: every distinct score is a curve point, as the official `compute_pro`.
 * One linear-time radix argsort of all pixels (each anomalous pixel carries the weight
 * 1/(K·area of its region)); the walk stops at the first point with FPR > `stopAtFpr`.
 *
 * Returns null when there is no anomalous or no normal pixel (the curve is undefined).
 */
export function proCurve(maps: readonly ScoreMap[], masks: readonly Mask[], stopAtFpr = 1): ProCurve | null {
  const { scores } = flattenPixels(maps, masks);
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i])) throw new RangeError(`PRO: score ${i} is NaN`);
  }

  // Component ids are made global across images so K counts every region of the set.
  const compOf = new Int32Array(scores.length);
  const areas: number[] = [0];
  let offset = 0;
  for (const mask of masks) {
    const cc = labelComponents(mask, 8);
    const base = areas.length - 1;
    for (let p = 0; p < cc.labels.length; p++) if (cc.labels[p] !== 0) compOf[offset + p] = base + cc.labels[p];
    for (let c = 1; c <= cc.count; c++) areas.push(cc.areas[c]);
    offset += cc.labels.length;
  }
  const regions = areas.length - 1;
  let anomalous = 0;
  for (let i = 0; i < compOf.length; i++) if (compOf[i] !== 0) anomalous++;
  const normals = scores.length - anomalous;
  if (regions === 0 || normals === 0) return null;

  const order = argsortFloat32Descending(scores);
  const fpr: number[] = [0];
  const pro: number[] = [0];
  let fp = 0;
  let overlap = 0;
  for (let r = 0; r < order.length; ) {
    const s = scores[order[r]];
    while (r < order.length && scores[order[r]] === s) {
      const c = compOf[order[r]];
      if (c === 0) fp++;
      else overlap += 1 / (regions * areas[c]);
      r++;
    }
    const f = fp / normals;
    fpr.push(f);
    pro.push(Math.min(1, overlap));
    if (f > stopAtFpr) break;
  }
  return { fpr: Float64Array.from(fpr), pro: Float64Array.from(pro) };
}

/**
 * PRO score: the area under the PRO-vs-FPR curve from FPR 0 to `maxFpr` (default 0.3),
 * trapezoid rule with linear interpolation at `maxFpr`, divided by `maxFpr` so a perfect
 * detector scores 1 (MVTec AD's "normalised AU-PRO").
 * Returns NaN when the set has no anomalous region or no normal pixel.
 */
export function proScore(maps: readonly ScoreMap[], masks: readonly Mask[], maxFpr = 0.3): number {
  if (!(maxFpr > 0 && maxFpr <= 1)) throw new RangeError(`PRO: maxFpr must be in (0, 1], got ${maxFpr}`);
  const curve = proCurve(maps, masks, maxFpr);
  if (!curve) return NaN;
  return integrateTo(curve.fpr, curve.pro, maxFpr) / maxFpr;
}

function integrateTo(x: Float64Array, y: Float64Array, xMax: number): number {
  let area = 0;
  for (let k = 1; k < x.length; k++) {
    const x0 = x[k - 1];
    const x1 = x[k];
    if (x0 >= xMax) break;
    if (x1 <= xMax) {
      area += (x1 - x0) * (y[k] + y[k - 1]) * 0.5;
    } else {
      const yAt = y[k - 1] + ((y[k] - y[k - 1]) * (xMax - x0)) / (x1 - x0);
      area += (xMax - x0) * (yAt + y[k - 1]) * 0.5;
    }
  }
  return area;
}
