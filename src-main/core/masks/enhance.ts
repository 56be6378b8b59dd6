import { outerContour, isSimplePolygon, polygonArea, polygonCentroid, polygonPerimeter, simplifyClosedPolygon } from '../image/geometry';
import { close, maskBounds } from '../image/morphology';
import type { Mask } from '../image/raster';
import type { Rng } from '../random';
import { targetPolygon, type MaskTransform, type Point } from './transform';

/** T without its placement: everything Eq. (5)-(6) decide from the source mask alone. */
export type PartialMaskTransform = Omit<MaskTransform, 'targetCentroid'>;

export interface EnhanceOptions {
  rng: Rng;
  /** A_avg of Eq. (6): mean mask area of the cluster, in pixels of the target resolution. */
  clusterMeanArea: number;
  /** Eq. (6) blend between square-root and cube-root scaling. */
  alpha?: number;
  /** r1 = r2 of the closing; default 2 px per 256 px of the longer image side. */
  closingRadius?: number;
  /** Absolute Douglas-Peucker tolerance δ in px; default dpToleranceFactor · contour perimeter. */
  dpTolerance?: number;
  dpToleranceFactor?: number;
  /** ΔP ~ N(0, (factor · sqrt(area))²) per vertex coordinate. */
  perturbSigmaFactor?: number;
  /** false: no rotation; true: uniform in [0, 2π); [min, max]: uniform in that range (radians). */
  rotation?: boolean | [number, number];
}

export interface EnhancedMask {
  /** targetPolygon(T) with targetCentroid at the origin: the mask's shape, independent of any target image. */
  polygon: Point[];
  transformPartial: PartialMaskTransform;
  /** Shoelace area of `polygon` (= scale² · A_M). */
  area: number;
  /** A_M: area of the perturbed polygon before scaling. */
  perturbedArea: number;
}

/** Eq. (6): area-adaptive scale s = α·sqrt(A_avg/A_M) + (1 − α)·cbrt(A_avg/A_M). */
export function areaAdaptiveScale(clusterMeanArea: number, currentArea: number, alpha = 0.5): number {
  const q = clusterMeanArea / currentArea;
  return alpha * Math.sqrt(q) + (1 - alpha) * Math.cbrt(q);
}

/**
 * A_avg of Eq. (6) as a fraction of image area. `mean`: the cluster's mean exemplar area, as the
 * paper has it; Eq. (6) then pulls every mask toward that one size (exemplars 16× apart come out
 * within 1.6× of each other). `exemplars`: the area of one exemplar drawn by `rng`, so the masks'
 * sizes spread as the cluster's real defects do while each mask is still scaled by Eq. (6). `mean`
 * draws nothing, so its masks are those of a seed before this choice existed.
 */
export function sizeReferenceFraction(reference: 'mean' | 'exemplars', exemplarFractions: readonly number[], rng: Rng): number {
  if (exemplarFractions.length === 0) throw new Error('a size reference needs at least one exemplar');
  if (reference === 'mean') return exemplarFractions.reduce((a, b) => a + b, 0) / exemplarFractions.length;
  return exemplarFractions[rng.int(exemplarFractions.length)];
}

/** Default closing radius r1 = r2: 2 px per 256 px of the longer image side, at least 1. */
export function defaultClosingRadius(width: number, height: number): number {
  return Math.max(1, Math.round((2 * Math.max(width, height)) / 256));
}

/** Draws a rotation angle as `rotation` allows. */
export function drawRotation(rng: Rng, rotation: EnhanceOptions['rotation']): number {
  if (rotation === undefined || rotation === false) return 0;
  if (rotation === true) return rng.range(0, 2 * Math.PI);
  return rng.range(rotation[0], rotation[1]);
}

const PERTURB_DRAWS = 20;

/**
 * The mask's bounding box grown by `pad` (clipped to the image). With pad > r1 the closing of the
 * crop equals the crop of the closing: the box keeps a ring of background the dilation cannot
 * reach, and where it meets the image border, the border rule is the same.
 */
function cropAround(mask: Mask, pad: number): { mask: Mask; x0: number; y0: number } | null {
  const { width: w, height: h, data } = mask;
  const bounds = maskBounds(mask);
  if (!bounds) return null;
  const x0 = Math.max(0, bounds.x0 - pad);
  const y0 = Math.max(0, bounds.y0 - pad);
  const cw = Math.min(w, bounds.x1 + pad) - x0;
  const ch = Math.min(h, bounds.y1 + pad) - y0;
  const out = new Uint8Array(cw * ch);
  for (let y = 0; y < ch; y++) {
    const row = (y + y0) * w + x0;
    for (let x = 0; x < cw; x++) out[y * cw + x] = data[row + x] !== 0 ? 255 : 0;
  }
  return { mask: { width: cw, height: ch, data: out }, x0, y0 };
}

/**
 * Douglas-Peucker at `tolerance`, halved until the polygon keeps at least half the contour's
 * area: a long, winding or hollow outline can otherwise collapse to a sliver of zero area, whose
 * Eq. (6) scale is infinite (seen on the demo's large stains).
 */
function simplifiedKeepingArea(contour: Point[], tolerance: number): Point[] {
  const area = polygonArea(contour);
  for (let t = tolerance; t > 0.25; t /= 2) {
    const p = simplifyClosedPolygon(contour, t);
    if (p.length >= 3 && polygonArea(p) >= 0.5 * area) return p;
  }
  return contour;
}

/**
 * Geometric mask enhancement, Eq. (5)-(6): closing, outer contour, Douglas-Peucker, vertex
 * perturbation, rotation, then the area-adaptive scale about the source centroid.
 * Throws on an empty source mask (import rejects those; reaching here is a caller bug).
 */
export function enhanceMask(sourceMask: Mask, options: EnhanceOptions): EnhancedMask {
  const { rng } = options;
  const alpha = options.alpha ?? 0.5;
  const radius = options.closingRadius ?? defaultClosingRadius(sourceMask.width, sourceMask.height);
  const crop = cropAround(sourceMask, radius + 1);
  if (!crop) throw new RangeError('enhanceMask: the source mask is empty');
  const contour = outerContour(close(crop.mask, radius, radius)).map((p): Point => [p[0] + crop.x0, p[1] + crop.y0]);
  // A crack contour encloses exactly its pixels, so its centroid is the closed mask's centroid.
  const sourceCentroid = polygonCentroid(contour);
  const tolerance = options.dpTolerance ?? (options.dpToleranceFactor ?? 0.01) * polygonPerimeter(contour);
  const sourcePolygon = simplifiedKeepingArea(contour, tolerance);

  // Eq. (5)'s ΔP; a draw that folds the polygon over itself is redrawn (then with a smaller σ),
  // because a self-intersecting outline rasterises with holes the exemplar never had.
  const sigma0 = (options.perturbSigmaFactor ?? 0.05) * Math.sqrt(polygonArea(sourcePolygon));
  let vertexOffsets: Point[] = sourcePolygon.map(() => [0, 0]);
  for (let draw = 0; draw < PERTURB_DRAWS; draw++) {
    const sigma = sigma0 * 0.5 ** Math.floor(draw / 5);
    const offsets: Point[] = sourcePolygon.map(() => [sigma * rng.normal(), sigma * rng.normal()]);
    const perturbed = sourcePolygon.map((v, i): Point => [v[0] + offsets[i][0], v[1] + offsets[i][1]]);
    if (isSimplePolygon(perturbed)) {
      vertexOffsets = offsets;
      break;
    }
  }
  const perturbed = sourcePolygon.map((v, i): Point => [v[0] + vertexOffsets[i][0], v[1] + vertexOffsets[i][1]]);
  const perturbedArea = polygonArea(perturbed);
  const rotation = drawRotation(rng, options.rotation);
  const scale = areaAdaptiveScale(options.clusterMeanArea, perturbedArea, alpha);
  const transformPartial: PartialMaskTransform = { sourceCentroid, sourcePolygon, vertexOffsets, rotation, scale };
  const polygon = targetPolygon({ ...transformPartial, targetCentroid: [0, 0] });
  return { polygon, transformPartial, area: polygonArea(polygon), perturbedArea };
}
