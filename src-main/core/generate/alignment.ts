/**
 * The alignment rule every generated pair must keep (METHOD.md §2b, "aligned by construction"):
 * the mask is the training label, so every visible change must be inside it. Outside the aligned
 * mask grown by max(1, 0.5 % of the longer side) px, no pixel may change by more than 8 grey
 * levels; a pair that breaks the rule is never exported as a synthetic pair.
 */
import { dilate } from '../image/morphology';
import type { Mask, Raster } from '../image/raster';

/** Largest change (grey levels, any channel) allowed outside the grown mask. */
export const OUTSIDE_CHANGE_TOLERANCE = 8;

/** The band (px) around the aligned mask in which the seam may still differ. */
export function alignmentBand(width: number, height: number): number {
  return Math.max(1, Math.round(0.005 * Math.max(width, height)));
}

export interface OutsideChange {
  /** Largest absolute difference to the normal image outside the grown mask (0..255). */
  max: number;
  /** Pixels outside the grown mask that differ by more than the tolerance. */
  overTolerance: number;
  /** The band (px) the mask was grown by. */
  band: number;
}

export function measureOutsideChange(normal: Raster, generated: Raster, mask: Mask): OutsideChange {
  if (normal.width !== generated.width || normal.height !== generated.height || normal.channels !== generated.channels) {
    throw new Error(
      `generated image is ${generated.width}×${generated.height}×${generated.channels} but the normal image is ${normal.width}×${normal.height}×${normal.channels}`,
    );
  }
  const band = alignmentBand(normal.width, normal.height);
  const grown = dilate(mask, band);
  const ch = normal.channels;
  const colour = ch === 2 || ch === 4 ? ch - 1 : ch;
  let max = 0;
  let overTolerance = 0;
  for (let i = 0; i < grown.data.length; i++) {
    if (grown.data[i] !== 0) continue;
    let d = 0;
    for (let c = 0; c < colour; c++) d = Math.max(d, Math.abs(normal.data[i * ch + c] - generated.data[i * ch + c]));
    if (d > max) max = d;
    if (d > OUTSIDE_CHANGE_TOLERANCE) overTolerance++;
  }
  return { max, overTolerance, band };
}

/** True when the pair keeps the rule and may be exported as a synthetic pair. */
export function keepsAlignment(c: { overTolerance: number }): boolean {
  return c.overTolerance === 0;
}
