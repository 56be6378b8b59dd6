/**
 * The alignment rule every generated pair must keep (METHOD.md §2b, "aligned by construction"):
 * the mask is the training label, so every visible change must be inside it. Outside the aligned
 * mask grown by max(1, 0.5 % of the longer side) px, no pixel may change by more than 8 grey
 * levels; a pair that breaks the rule is never exported as a synthetic pair.
 */
import { dilate, maskBounds } from '../image/morphology';
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

/** A generated image must have its normal image's shape; returns the colour channels to compare (never alpha). */
function colourChannelsOfPair(normal: Raster, generated: Raster): number {
  if (normal.width !== generated.width || normal.height !== generated.height || normal.channels !== generated.channels) {
    throw new Error(
      `generated image is ${generated.width}×${generated.height}×${generated.channels} but the normal image is ${normal.width}×${normal.height}×${normal.channels}`,
    );
  }
  const ch = normal.channels;
  return ch === 2 || ch === 4 ? ch - 1 : ch;
}

export function measureOutsideChange(normal: Raster, generated: Raster, mask: Mask): OutsideChange {
  const colour = colourChannelsOfPair(normal, generated);
  const band = alignmentBand(normal.width, normal.height);
  const ch = normal.channels;
  const a = normal.data;
  const b = generated.data;
  // Only pixels whose bytes differ can count, and a generator changes a small box of the image:
  // equal stretches are passed over 4 bytes at a time, and the grown mask is made on the first
  // difference (a pair that changes nothing needs none).
  const tally: Tally = { grown: null, mask, band, a, b, ch, colour, max: 0, overTolerance: 0 };
  let next = 0;
  const words = (a.byteOffset & 3) === 0 && (b.byteOffset & 3) === 0 ? a.length >> 2 : 0;
  const a32 = words ? new Uint32Array(a.buffer, a.byteOffset, words) : new Uint32Array(0);
  const b32 = words ? new Uint32Array(b.buffer, b.byteOffset, words) : new Uint32Array(0);
  for (let k = 0; k < words; k++) {
    if (a32[k] === b32[k]) continue;
    const last = Math.floor((4 * k + 3) / ch);
    for (let p = Math.max(next, Math.floor((4 * k) / ch)); p <= last; p++) visitPixel(tally, p);
    next = last + 1;
  }
  // The bytes after the last whole word (every byte where the views do not start on a word).
  for (let j = words << 2; j < a.length; j++) {
    if (a[j] === b[j]) continue;
    const p = Math.floor(j / ch);
    if (p < next) continue;
    visitPixel(tally, p);
    next = p + 1;
  }
  return { max: tally.max, overTolerance: tally.overTolerance, band };
}

interface Tally {
  grown: Uint8Array | null;
  mask: Mask;
  band: number;
  a: Uint8Array;
  b: Uint8Array;
  ch: number;
  colour: number;
  max: number;
  overTolerance: number;
}

/** Counts pixel p's change when it lies outside the grown mask. */
function visitPixel(t: Tally, p: number): void {
  t.grown ??= dilate(t.mask, t.band).data;
  if (t.grown[p] !== 0) return;
  let d = 0;
  for (let c = 0; c < t.colour; c++) d = Math.max(d, Math.abs(t.a[p * t.ch + c] - t.b[p * t.ch + c]));
  if (d > t.max) t.max = d;
  if (d > OUTSIDE_CHANGE_TOLERANCE) t.overTolerance++;
}

/** True when the pair keeps the rule and may be exported as a synthetic pair. */
export function keepsAlignment(c: { overTolerance: number }): boolean {
  return c.overTolerance === 0;
}

/**
 * The other half of the rule: the label must show a defect. The fraction of the mask's pixels
 * whose largest colour-channel change exceeds the tolerance (0 for an empty mask); a pair with few
 * teaches a segmenter that an unchanged surface is a defect (a faint exemplar whose matte is empty,
 * a thin mark whose mixed-gradient solve keeps the target's stronger grain). The floors live in
 * api/limits.ts (showsItsDefect). Only the mask's box is read.
 */
export function measureInsideVisible(normal: Raster, generated: Raster, mask: Mask): number {
  const colour = colourChannelsOfPair(normal, generated);
  const box = maskBounds(mask);
  if (!box) return 0;
  const ch = normal.channels;
  const a = normal.data;
  const b = generated.data;
  let inside = 0;
  let visible = 0;
  for (let y = box.y0; y < box.y1; y++) {
    for (let p = y * mask.width + box.x0; p < y * mask.width + box.x1; p++) {
      if (mask.data[p] === 0) continue;
      inside++;
      for (let c = 0; c < colour; c++) {
        if (Math.abs(a[p * ch + c] - b[p * ch + c]) > OUTSIDE_CHANGE_TOLERANCE) {
          visible++;
          break;
        }
      }
    }
  }
  return visible / inside;
}
