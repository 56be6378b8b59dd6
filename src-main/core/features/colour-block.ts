/**
 * Colour block (METHOD.md §1, redefined for issue 15): the defect's colour against its own surroundings, never its
 * absolute colour. Absolute LAB statistics mostly say where on the product a defect sits (pasta
 * or tray, rim or tread), so they split one defect type by location and merged types that share
 * a place (AMFC pooled over devdata macaroni1's six types: ARI 0.32 with them; README, "The
 * concepts it finds").
 */
import type { LabPlanes } from '../image/colour';
import { COLOUR_DIM } from './types';

/** The q-quantile (0..1) of ascending values, linearly interpolated between order statistics (NumPy's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function pick(plane: Float64Array, where: Uint8Array): Float64Array {
  let n = 0;
  for (let i = 0; i < where.length; i++) if (where[i]) n++;
  const out = new Float64Array(n);
  for (let i = 0, j = 0; i < where.length; i++) if (where[i]) out[j++] = plane[i];
  return out;
}

const mean = (v: Float64Array) => (v.length ? v.reduce((s, x) => s + x, 0) / v.length : 0);

/**
 * 5 values: inside-minus-ring mean of L*, a* and b*; then the inside's 10th and 90th percentile
 * of L* minus the ring's median L* (a defect with a dark core and a light halo, such as a crack
 * seen under a raking light, shows both ends; a flat spot shows one). 0 where the ring is empty
 * (the mask fills the whole image).
 */
export function colourBlock(lab: LabPlanes, inside: Uint8Array, ring: Uint8Array): Float64Array {
  const out = new Float64Array(COLOUR_DIM);
  const planes = [lab.l, lab.a, lab.b];
  const ringL = pick(lab.l, ring).sort();
  if (ringL.length === 0) return out;
  for (let c = 0; c < 3; c++) out[c] = mean(pick(planes[c], inside)) - mean(pick(planes[c], ring));
  const insideL = pick(lab.l, inside).sort();
  const ringMedian = quantileSorted(ringL, 0.5);
  out[3] = quantileSorted(insideL, 0.1) - ringMedian;
  out[4] = quantileSorted(insideL, 0.9) - ringMedian;
  return out;
}
