/**
 * Pixel boxes the generator crops its work to, so each step costs what the anomaly's
 * extent costs, not what the image's does. Distances and disc dilation come from
 * `core/image/morphology.ts`.
 */
import { maskBounds } from '../image/morphology';
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
  return maskBounds(mask);
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
