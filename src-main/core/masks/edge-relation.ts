/**
 * Where a defect sits against the product's own outline (METHOD.md §3, placement `learned`). A
 * pasta chip is a notch in the piece's edge: half its neighbourhood is pasta, half is tray, and
 * the tray lies on the outer side. Put anywhere else, it is a dark blot inside the pasta, a kind
 * of defect the product never shows. A spot, on the other hand, sits well inside the piece.
 *
 * The relation is measured in a disc around the centroid of the mask's largest piece (the piece
 * placement moves, enhance.ts), radius twice that piece's equivalent radius plus 3 px:
 *   share  = fraction of the disc on the product (its foreground);
 *   inward = direction from the disc's off-product pixels to its on-product pixels (their
 *            centroids), defined only when the disc straddles the outline;
 *   offset = signed distance (px) from the centroid to the outline along `inward`: positive on
 *            the product, negative off it.
 * Learned placement keeps a straddling exemplar's share, side and offset on the target's outline
 * (its inward turned onto the target's), and keeps an exemplar well inside the product well inside.
 */
import { largestComponent } from '../image/morphology';
import type { Mask } from '../image/raster';
import type { Point } from './transform';

export interface EdgeRelation {
  /** Disc radius (px of the exemplar image) the relation was measured in. */
  radius: number;
  /** Fraction of the disc on the product (0..1). */
  share: number;
  /** Radians (image coordinates, y down), off-product towards on-product; null unless the disc straddles the outline. */
  inward: number | null;
  /** Signed distance (px) from the mask centroid to the outline along `inward`; 0 when `inward` is null. */
  offset: number;
}

/** A disc straddles the outline when between these shares of it lie on the product. */
export const STRADDLE_MIN_SHARE = 0.1;
export const STRADDLE_MAX_SHARE = 0.9;
/** Largest difference between the exemplar's and a placement's share of product around the defect. */
export const SHARE_TOLERANCE = 0.25;

/** Share of a disc on the region and the direction from its off-region part to its on-region part. */
export function discRelation(inRegion: Uint8Array, width: number, height: number, centre: Point, radius: number): { share: number; inward: number | null; count: number } {
  const [cx, cy] = centre;
  const r = Math.max(1, radius);
  const r2 = r * r;
  const x0 = Math.max(0, Math.floor(cx - r));
  const x1 = Math.min(width - 1, Math.ceil(cx + r));
  const y0 = Math.max(0, Math.floor(cy - r));
  const y1 = Math.min(height - 1, Math.ceil(cy + r));
  let on = 0;
  let off = 0;
  let onX = 0;
  let onY = 0;
  let offX = 0;
  let offY = 0;
  for (let y = y0; y <= y1; y++) {
    const dy = y + 0.5 - cy;
    for (let x = x0; x <= x1; x++) {
      const dx = x + 0.5 - cx;
      if (dx * dx + dy * dy > r2) continue;
      if (inRegion[y * width + x]) {
        on++;
        onX += dx;
        onY += dy;
      } else {
        off++;
        offX += dx;
        offY += dy;
      }
    }
  }
  const count = on + off;
  const share = count ? on / count : 0;
  const straddles = share >= STRADDLE_MIN_SHARE && share <= STRADDLE_MAX_SHARE && on > 0 && off > 0;
  const inward = straddles ? Math.atan2(onY / on - offY / off, onX / on - offX / off) : null;
  return { share, inward, count };
}

/** Signed distance (px) from `p` to the region's outline along `direction`: positive when `p` is on the region. */
export function offsetAlong(inRegion: Uint8Array, width: number, height: number, p: Point, direction: number, limit: number): number {
  const inside = (x: number, y: number) => {
    const xi = Math.floor(x);
    const yi = Math.floor(y);
    return xi >= 0 && yi >= 0 && xi < width && yi < height && inRegion[yi * width + xi] === 1;
  };
  const start = inside(p[0], p[1]);
  // From on the region, walk outwards (against `direction`) until off it; from off it, walk inwards.
  const sign = start ? -1 : 1;
  const ux = Math.cos(direction) * sign;
  const uy = Math.sin(direction) * sign;
  // Half-pixel steps; the outline lies within the last step, so its middle is returned.
  for (let t = 0.5; t <= limit; t += 0.5) {
    if (inside(p[0] + ux * t, p[1] + uy * t) !== start) return start ? t - 0.25 : -(t - 0.25);
  }
  return start ? limit : -limit;
}

/** The exemplar mask's relation to its own image's foreground (a 0/1 or 0/255 mask of the same size). */
export function describeEdgeRelation(mask: Mask, foreground: Mask): EdgeRelation {
  if (mask.width !== foreground.width || mask.height !== foreground.height) {
    throw new Error(`exemplar mask is ${mask.width}×${mask.height} but its foreground is ${foreground.width}×${foreground.height}`);
  }
  const piece = largestComponent(mask, 8);
  let sx = 0;
  let sy = 0;
  let n = 0;
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      if (piece.data[y * mask.width + x] === 0) continue;
      sx += x + 0.5;
      sy += y + 0.5;
      n++;
    }
  }
  if (n === 0) throw new Error('exemplar mask is empty');
  const inRegion = new Uint8Array(foreground.data.length);
  for (let i = 0; i < inRegion.length; i++) inRegion[i] = foreground.data[i] !== 0 ? 1 : 0;
  const centroid: Point = [sx / n, sy / n];
  const radius = relationRadius(n);
  const disc = discRelation(inRegion, mask.width, mask.height, centroid, radius);
  const offset = disc.inward === null ? 0 : offsetAlong(inRegion, mask.width, mask.height, centroid, disc.inward, radius);
  return { radius, share: disc.share, inward: disc.inward, offset };
}

/** Disc radius for a mask of `area` px: twice its equivalent radius plus 3 px. */
export function relationRadius(area: number): number {
  return 2 * Math.sqrt(Math.max(1, area) / Math.PI) + 3;
}
