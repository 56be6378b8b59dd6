/**
 * Automatic blend mode (METHOD.md §2b). A compact defect (contamination, a pit, a hole, broken
 * glass, a cut) keeps its own pixels: mixed gradients would let the surface texture through and
 * wash it out, and the segmenter it trains must see in the label's region what real labels
 * hold. Thin marks (scratches, cracks) blend better with mixed gradients, which keep whichever
 * texture is stronger: pasted opaque onto their tight label (generator 6), devdata macaroni1's
 * scratches showed more of it but trained a segmenter worse (downstream.py pixel AP 17.0 / 23.9
 * against 24.5 / 38.2, seeds 0 / 1). A large, faint, compact defect (uneven brightness, a stain,
 * a frayed area) is a soft layer over the surface: added with the falloff of its own edge, never
 * pasted as a polygon.
 *
 * Rule, from the exemplar against the ring of surface around its mask (LAB, D65):
 *   contrast  = ΔE*ab(mean inside, mean of ring) / max(ring std, 2)
 *   thinness  = equivalent radius sqrt(area/π) / half-width, half-width = inscribed radius − ½
 *   mixed  ⇔ thinness ≥ 3;
 *   soft   ⇔ thinness < 3, contrast < 1.5, area ≥ 0.4 % of the image (at least 400 px), and the
 *            defect does not straddle the product's outline (edge-relation.ts; a chip out of a
 *            pasta piece's edge changes its silhouette, and fading it in smears the tray over
 *            the pasta);
 *   otherwise opaque.
 * A disc has thinness ≈ 1, a square ≈ 1.1, a 3 px wide, 100 px long scratch ≈ 6.5.
 */
import type { Mask, Raster } from '../image/raster';
import { describeEdgeRelation } from '../masks/edge-relation';
import { implicitRegion } from '../regions/implicit';
import { anomalyStats } from './colour';

export const OPAQUE_MIN_CONTRAST = 1.5;
export const THIN_MIN_THINNESS = 3;
/** Share of the image a faint compact defect must cover to count as a soft area defect. */
export const SOFT_MIN_AREA_FRACTION = 0.004;
const SOFT_MIN_AREA = 400;
/** ΔE*ab; a ring flatter than this is not allowed to make a faint mark look contrasted. */
const RING_STD_FLOOR = 2;

export interface BlendModeChoice {
  mode: 'opaque' | 'mixed' | 'soft';
  contrast: number;
  thinness: number;
}

/** Width of the ring of surface compared with the anomaly: its equivalent radius, 3..32 px. */
export function ringWidthFor(area: number): number {
  return Math.min(32, Math.max(3, Math.round(Math.sqrt(area / Math.PI))));
}

export function chooseBlendMode(exemplarImage: Raster, exemplarMask: Mask): BlendModeChoice {
  let area = 0;
  for (let i = 0; i < exemplarMask.data.length; i++) if (exemplarMask.data[i] !== 0) area++;
  const s = anomalyStats(exemplarImage, exemplarMask, ringWidthFor(area));
  const d = Math.hypot(s.inside.mean[0] - s.ring.mean[0], s.inside.mean[1] - s.ring.mean[1], s.inside.mean[2] - s.ring.mean[2]);
  const contrast = s.ring.count > 0 ? d / Math.max(s.ring.std, RING_STD_FLOOR) : 0;
  const halfWidth = Math.max(0.5, s.inscribedRadius - 0.5);
  const thinness = Math.sqrt(s.area / Math.PI) / halfWidth;
  const compact = thinness < THIN_MIN_THINNESS;
  const large = s.area >= Math.max(SOFT_MIN_AREA, SOFT_MIN_AREA_FRACTION * exemplarMask.width * exemplarMask.height);
  const mode = !compact ? 'mixed' : large && contrast < OPAQUE_MIN_CONTRAST && !onOutline(exemplarImage, exemplarMask) ? 'soft' : 'opaque';
  return { mode, contrast, thinness };
}

/** The mask straddles the outline of the image's product (its implicit foreground); false for a texture. */
function onOutline(image: Raster, mask: Mask): boolean {
  const region = implicitRegion(image);
  return region.kind === 'foreground' && describeEdgeRelation(mask, region.mask).inward !== null;
}
