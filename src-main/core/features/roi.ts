/**
 * The region of interest of one anomaly: its mask's bounding box grown by the contrast
 * ring's radius. Every feature is computed inside it, so the cost follows the defect's
 * size, not the image's.
 */
import type { PixelRect } from '../image/colour';
import { maskBounds, squaredDistanceTransform } from '../image/morphology';
import type { Mask } from '../image/raster';

/** Tight bounding box of the mask's on pixels, or null for an empty mask. */
export function maskBoundingBox(mask: Mask): PixelRect | null {
  return maskBounds(mask);
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

/**
 * The contrast ring: pixels within Euclidean distance `radius` of the mask (a disk
 * dilation) that are not in the mask. `bin` must already include `radius` px of margin
 * where the image allows, which the ROI guarantees.
 */
export function ringAround(bin: Uint8Array, w: number, h: number, radius: number): Uint8Array {
  const d2 = squaredDistanceTransform({ width: w, height: h, data: bin }, 'on');
  const r2 = radius * radius;
  const ring = new Uint8Array(w * h);
  for (let i = 0; i < ring.length; i++) ring[i] = !bin[i] && d2[i] <= r2 ? 1 : 0;
  return ring;
}
