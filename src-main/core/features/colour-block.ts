/**
 * Colour block (METHOD.md §1): CIE LAB (D65) statistics inside the mask and the
 * defect's contrast to its own surroundings (inside mean minus ring mean).
 */
import type { LabPlanes } from '../image/colour';
import { COLOUR_DIM } from './types';

export const COLOUR_HIST_BINS = 8;

/**
 * Fixed histogram ranges, so bins mean the same colours for every anomaly:
 * L* 0..100, a* and b* −128..127 (values outside land in the end bins).
 */
const RANGES: readonly [number, number][] = [
  [0, 100],
  [-128, 127],
  [-128, 127],
];

/**
 * 33 values: per channel (L*, a*, b*) mean, std (population), 8-bin histogram
 * (fractions of mask pixels), inside-minus-ring mean (0 when the ring is empty, i.e. the
 * mask fills the whole image).
 */
export function colourBlock(lab: LabPlanes, inside: Uint8Array, ring: Uint8Array): Float64Array {
  const out = new Float64Array(COLOUR_DIM);
  const planes = [lab.l, lab.a, lab.b];
  const per = 3 + COLOUR_HIST_BINS;
  for (let c = 0; c < 3; c++) {
    const p = planes[c];
    const [lo, hi] = RANGES[c];
    const binScale = COLOUR_HIST_BINS / (hi - lo);
    const hist = new Float64Array(COLOUR_HIST_BINS);
    let n = 0;
    let sum = 0;
    let ringN = 0;
    let ringSum = 0;
    for (let i = 0; i < p.length; i++) {
      if (inside[i]) {
        const v = p[i];
        n++;
        sum += v;
        let bin = Math.floor((v - lo) * binScale);
        if (bin < 0) bin = 0;
        else if (bin >= COLOUR_HIST_BINS) bin = COLOUR_HIST_BINS - 1;
        hist[bin]++;
      } else if (ring[i]) {
        ringN++;
        ringSum += p[i];
      }
    }
    const mean = n > 0 ? sum / n : 0;
    let ss = 0;
    for (let i = 0; i < p.length; i++) {
      if (inside[i]) {
        const dv = p[i] - mean;
        ss += dv * dv;
      }
    }
    const base = c * per;
    out[base] = mean;
    out[base + 1] = n > 0 ? Math.sqrt(ss / n) : 0;
    for (let b = 0; b < COLOUR_HIST_BINS; b++) out[base + 2 + b] = n > 0 ? hist[b] / n : 0;
    out[base + 2 + COLOUR_HIST_BINS] = ringN > 0 && n > 0 ? mean - ringSum / ringN : 0;
  }
  return out;
}
