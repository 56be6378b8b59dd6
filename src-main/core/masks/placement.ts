import { forEachPolygonSpan, polygonMoments, polygonPerimeter, rasterisePolygon } from '../image/geometry';
import { maskArea, type Mask } from '../image/raster';
import { discRelation, SHARE_TOLERANCE, type EdgeRelation } from './edge-relation';
import { drawRotation, type EnhancedMask, type EnhanceOptions } from './enhance';
import { appearanceDistance, drawPosition, type AppearanceIndex, type FrameBox, type PlacementPrior } from './placement-prior';
import type { Rng } from '../random';
import { localDirection, type RegionGuide } from './region-guide';
import { targetPolygon, type MaskTransform, type Point } from './transform';

/** Placement rules for one structural mask (METHOD.md §3); `learned` follows the cluster's exemplars (placement-prior.ts). */
export type StructuralPlacement = 'inside' | 'edge' | 'centreline' | 'learned';

/** What `learned` placement needs: the cluster's prior, the target's frame and (optionally) its look. */
export interface LearnedPlacement {
  prior: PlacementPrior;
  /** The target image's frame (its implicit region's box). */
  frame: FrameBox;
  /** The target image's appearance index; null skips the surroundings check. */
  appearance: AppearanceIndex | null;
  /** Valid candidates compared before the best-matching one is kept; default 8. */
  candidates?: number;
  /**
   * The placed exemplar's relation to its product's outline (edge-relation.ts), when the target
   * region is the product's implicit foreground: a defect on the outline is put on the target's
   * outline, on the same side and turned the same way against it; one well inside stays inside.
   */
  edge?: EdgeRelation | null;
}

export interface PlacementOptions {
  /** Tries before giving up (METHOD.md: 50). */
  maxTries?: number;
  /** Minimum share of the mask's pixels inside the region; default inside 0.95, centreline 0.5, edge 0. */
  minInsideFraction?: number;
  /** Rotations an `inside` retry may draw (as EnhanceOptions.rotation); false keeps the enhanced rotation. */
  rotation?: EnhanceOptions['rotation'];
  /** Radius (px) of the neighbourhood that estimates the boundary tangent; default 2 px per 64 px of side, ≥ 4. */
  directionRadius?: number;
  /** centreline: largest perpendicular offset (px) of the centroid from the medial axis; default 2 px per 256 px of side. */
  centrelineTolerance?: number;
  /** edge / centreline: how far (px) the rasterised mask's centroid may land from the intended point. */
  centroidTolerance?: number;
  /** Masks already placed on this image (combined anomalies) and the largest IoU allowed with each. */
  avoid?: readonly Mask[];
  maxIoU?: number;
  /** Required for mode `learned`. */
  learned?: LearnedPlacement;
}

export interface Placement {
  transform: MaskTransform;
  mask: Mask;
  /** Share of the mask's pixels inside the region. */
  insideFraction: number;
}

export type PlacementResult = ({ ok: true } & Placement) | { ok: false; reason: string };

type Failure = 'image' | 'empty' | 'inside' | 'centroid' | 'overlap' | 'direction' | 'edge';

interface Evaluation {
  failure: Failure | null;
  insideFraction: number;
  maxIoU: number;
}

function rotate(p: Point, angle: number): Point {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return [c * p[0] - s * p[1], s * p[0] + c * p[1]];
}

/**
 * Places an enhanced mask on a region: draws a candidate (position, extra rotation) per try and
 * keeps the first whose rasterised mask meets every constraint. Never forces a placement: after
 * `maxTries` it reports which constraint failed most often.
 */
export function placeStructural(
  shape: EnhancedMask,
  guide: RegionGuide,
  mode: StructuralPlacement,
  rng: Rng,
  options: PlacementOptions = {},
): PlacementResult {
  const { width: w, height: h } = guide;
  const side = Math.max(w, h);
  const maxTries = options.maxTries ?? 50;
  // learned: the prior already says where; the region only has to hold most of the mask.
  const minInside = options.minInsideFraction ?? (mode === 'inside' ? 0.95 : mode === 'centreline' || mode === 'learned' ? 0.5 : 0);
  const maxIoU = options.maxIoU ?? 0.1;
  const avoid = options.avoid ?? [];
  const avoidAreas = avoid.map(maskArea);
  const centroidTolerance = options.centroidTolerance ?? 1.5;
  const directionRadius = options.directionRadius ?? Math.max(4, Math.round(side / 32));
  const tolerance = options.centrelineTolerance ?? (2 * side) / 256;
  const regionArea = guide.pixels.length;
  if (regionArea === 0) return { ok: false, reason: `${mode}: the target region is empty` };

  const moments = polygonMoments(shape.polygon);
  // Rasterisation can lose at most about one pixel per unit of outline (plus one per vertex).
  const rasterLowerBound = shape.area - polygonPerimeter(shape.polygon) - shape.polygon.length;
  if (minInside > 0 && minInside * rasterLowerBound > regionArea) {
    return {
      ok: false,
      reason: `${mode}: the mask (${Math.round(shape.area)} px) is too large for ${Math.round(minInside * 100)}% of it to fit in the region (${regionArea} px)`,
    };
  }
  const axis = 0.5 * Math.atan2(2 * moments.mu11, moments.mu20 - moments.mu02);

  const evaluate = (transform: MaskTransform, aim: Point | null, aimTolerance: number, leastInside = minInside): Evaluation => {
    const polygon = targetPolygon(transform);
    for (const [x, y] of polygon) if (x < 0 || y < 0 || x > w || y > h) return { failure: 'image', insideFraction: 0, maxIoU: 0 };
    let area = 0;
    let inside = 0;
    let sx = 0;
    let sy = 0;
    const overlaps = new Array<number>(avoid.length).fill(0);
    forEachPolygonSpan([polygon], w, h, (y, x0, x1) => {
      const row = y * w;
      area += x1 - x0;
      sy += (y + 0.5) * (x1 - x0);
      sx += ((x0 + x1) / 2) * (x1 - x0);
      for (let i = row + x0; i < row + x1; i++) inside += guide.inRegion[i];
      for (let k = 0; k < avoid.length; k++) {
        const d = avoid[k].data;
        for (let i = row + x0; i < row + x1; i++) if (d[i] !== 0) overlaps[k]++;
      }
    });
    if (area === 0) return { failure: 'empty', insideFraction: 0, maxIoU: 0 };
    const insideFraction = inside / area;
    let worstIoU = 0;
    for (let k = 0; k < avoid.length; k++) {
      const iou = overlaps[k] / (area + avoidAreas[k] - overlaps[k]);
      if (iou > worstIoU) worstIoU = iou;
    }
    let failure: Failure | null = null;
    if (insideFraction < leastInside) failure = 'inside';
    else if (aim && Math.hypot(sx / area - aim[0], sy / area - aim[1]) > aimTolerance) failure = 'centroid';
    else if (worstIoU > maxIoU) failure = 'overlap';
    return { failure, insideFraction, maxIoU: worstIoU };
  };

  const counts: Record<Failure, number> = { image: 0, empty: 0, inside: 0, centroid: 0, overlap: 0, direction: 0, edge: 0 };
  let bestInside = 0;
  if (mode === 'learned') {
    const learned = options.learned;
    if (!learned) return { ok: false, reason: 'learned: no placement prior was given' };
    return placeLearned(shape, learned, { guide, w, h, axis, maxTries, rng, rotation: options.rotation, evaluate, counts, minInside, maxIoU, regionArea });
  }
  const anchors = mode === 'edge' ? guide.boundary() : mode === 'centreline' ? guide.ridge() : null;
  if (anchors && anchors.pixels.length === 0) {
    return { ok: false, reason: mode === 'edge' ? 'edge: the region has no boundary inside the image' : 'centreline: the region has no medial axis' };
  }
  const distance = mode === 'centreline' ? guide.insideSquaredDistance() : null;

  for (let attempt = 0; attempt < maxTries; attempt++) {
    let rotation = shape.transformPartial.rotation;
    let targetCentroid: Point;
    let aim: Point | null = null;
    if (mode === 'inside') {
      if (attempt > 0 && options.rotation !== false) rotation = drawRotation(rng, options.rotation ?? true);
      const p = guide.pixels[rng.int(regionArea)];
      targetCentroid = [(p % w) + 0.5, Math.floor(p / w) + 0.5];
    } else {
      const flags = anchors!.flags;
      const p = anchors!.pixels[rng.int(anchors!.pixels.length)];
      const px = p % w;
      const py = (p - px) / w;
      const radius = mode === 'centreline' ? Math.max(directionRadius, Math.ceil(2 * Math.sqrt(distance![p]))) : directionRadius;
      const direction = localDirection(flags, w, h, px, py, radius);
      if (direction === null) {
        counts.direction++;
        continue;
      }
      // Main axis along the boundary tangent / medial direction, either way round.
      const extra = direction - axis + (rng.next() < 0.5 ? 0 : Math.PI);
      rotation += extra;
      aim = [px + 0.5, py + 0.5];
      if (mode === 'centreline') {
        const offset = rng.range(-tolerance, tolerance);
        aim = [aim[0] - Math.sin(direction) * offset, aim[1] + Math.cos(direction) * offset];
      }
      const g = rotate(moments.centroid, extra);
      targetCentroid = [aim[0] - g[0], aim[1] - g[1]];
    }
    const transform: MaskTransform = { ...shape.transformPartial, rotation, targetCentroid };
    const result = evaluate(transform, aim, centroidTolerance);
    if (result.failure === null) {
      const mask = rasterisePolygon([targetPolygon(transform)], w, h);
      return { ok: true, transform, mask, insideFraction: result.insideFraction };
    }
    counts[result.failure]++;
    if (result.failure !== 'image' && result.insideFraction > bestInside) bestInside = result.insideFraction;
  }
  return { ok: false, reason: failureReason(mode, maxTries, counts, { minInside, bestInside, maxIoU, shapeArea: shape.area, regionArea }) };
}

interface LearnedContext {
  guide: RegionGuide;
  w: number;
  h: number;
  /** Main axis of the enhanced shape as drawn (radians). */
  axis: number;
  maxTries: number;
  rng: Rng;
  rotation: PlacementOptions['rotation'];
  evaluate: (t: MaskTransform, aim: Point | null, tol: number, leastInside?: number) => Evaluation;
  counts: Record<Failure, number>;
  minInside: number;
  maxIoU: number;
  regionArea: number;
}

/** Jitter (radians, 1 σ) around the direction an oriented cluster keeps. */
const ORIENTATION_JITTER = 0.12;

/**
 * `learned`: candidate centroids drawn from the cluster's position density in the target's frame;
 * an oriented cluster keeps each source's own direction (small jitter, either way round), any
 * other turns freely; of the first few candidates that fit, the one whose surroundings look most
 * like the exemplar's is kept. With the exemplar's relation to the product's outline
 * (`learned.edge`): one that straddles the outline is moved to the target's outline point nearest
 * the drawn position, turned so that its product side faces the target's, and set off from the
 * outline as far as it was (scaled); every candidate must have about the exemplar's share of
 * product around it (±SHARE_TOLERANCE).
 */
function placeLearned(shape: EnhancedMask, learned: LearnedPlacement, c: LearnedContext): PlacementResult {
  const { prior, frame, appearance } = learned;
  const want = Math.max(1, learned.candidates ?? 8);
  const fw = frame.x1 - frame.x0;
  const fh = frame.y1 - frame.y0;
  const moments = polygonMoments(shape.polygon);
  const radius = Math.sqrt(Math.max(1, shape.area) / Math.PI);
  let best: { transform: MaskTransform; insideFraction: number; distance: number } | null = null;
  let valid = 0;
  let bestInside = 0;
  // A target with no outline (its product was not found: the whole image) cannot keep the relation.
  const edge = learned.edge && c.guide.boundary().pixels.length > 0 ? learned.edge : null;
  const scale = shape.transformPartial.scale;
  const straddles = edge !== null && edge.inward !== null;
  for (let attempt = 0; attempt < c.maxTries && valid < want; attempt++) {
    const drawn = drawPosition(prior, c.rng);
    let rotation = shape.transformPartial.rotation;
    let extra = 0;
    let aim: Point = [frame.x0 + drawn.point[0] * fw, frame.y0 + drawn.point[1] * fh];
    if (straddles) {
      const onOutline = nearestOutlinePoint(c.guide, aim);
      const around = onOutline ? discRelation(c.guide.inRegion, c.w, c.h, onOutline, edge.radius * scale) : null;
      if (!onOutline || !around || around.inward === null) {
        c.counts.edge++;
        continue;
      }
      extra = around.inward - edge.inward! + ORIENTATION_JITTER * c.rng.normal() - rotation;
      aim = [onOutline[0] + Math.cos(around.inward) * edge.offset * scale, onOutline[1] + Math.sin(around.inward) * edge.offset * scale];
    } else if (prior.oriented && (c.rotation === undefined || c.rotation === true)) {
      // The source polygon's own direction, undoing the enhancement's free rotation.
      extra = -rotation + ORIENTATION_JITTER * c.rng.normal() + (c.rng.next() < 0.5 ? 0 : Math.PI);
    } else if (attempt > 0 && c.rotation !== false) {
      extra = drawRotation(c.rng, c.rotation ?? true) - rotation;
    }
    rotation += extra;
    const g = rotate(moments.centroid, extra);
    const transform: MaskTransform = { ...shape.transformPartial, rotation, targetCentroid: [aim[0] - g[0], aim[1] - g[1]] };
    // A defect on the outline is only partly on the product: the share check below governs it.
    const result = c.evaluate(transform, null, 0, straddles ? 0 : c.minInside);
    if (result.failure !== null) {
      c.counts[result.failure]++;
      if (result.failure !== 'image' && result.insideFraction > bestInside) bestInside = result.insideFraction;
      continue;
    }
    if (edge && Math.abs(discRelation(c.guide.inRegion, c.w, c.h, aim, edge.radius * scale).share - edge.share) > SHARE_TOLERANCE) {
      c.counts.edge++;
      continue;
    }
    valid++;
    const r = radius * 1.5 + 3;
    const distance = appearance
      ? appearanceDistance(appearance.stats(aim[0] - r, aim[1] - r, aim[0] + r, aim[1] + r), prior.exemplars[drawn.exemplar].ring)
      : 0;
    if (!best || distance < best.distance) best = { transform, insideFraction: result.insideFraction, distance };
  }
  if (!best) {
    return { ok: false, reason: failureReason('learned', c.maxTries, c.counts, { minInside: c.minInside, bestInside, maxIoU: c.maxIoU, shapeArea: shape.area, regionArea: c.regionArea }) };
  }
  const mask = rasterisePolygon([targetPolygon(best.transform)], c.w, c.h);
  return { ok: true, transform: best.transform, mask, insideFraction: best.insideFraction };
}

/** The centre of the region's outline pixel nearest to `p`, or null when the region has no outline. */
function nearestOutlinePoint(guide: RegionGuide, p: Point): Point | null {
  const { pixels } = guide.boundary();
  let best = -1;
  let bestD = Infinity;
  for (let k = 0; k < pixels.length; k++) {
    const x = pixels[k] % guide.width;
    const y = (pixels[k] - x) / guide.width;
    const d = (x + 0.5 - p[0]) ** 2 + (y + 0.5 - p[1]) ** 2;
    if (d < bestD) {
      bestD = d;
      best = pixels[k];
    }
  }
  if (best < 0) return null;
  const x = best % guide.width;
  return [x + 0.5, (best - x) / guide.width + 0.5];
}

function failureReason(
  mode: StructuralPlacement,
  tries: number,
  counts: Record<Failure, number>,
  info: { minInside: number; bestInside: number; maxIoU: number; shapeArea: number; regionArea: number },
): string {
  const explain: Record<Failure, string> = {
    inside: `no placement kept ≥ ${Math.round(info.minInside * 100)}% of the mask inside the region (best ${(info.bestInside * 100).toFixed(1)}%; mask ${Math.round(info.shapeArea)} px, region ${info.regionArea} px)`,
    image: 'every candidate reached outside the image',
    empty: 'the mask rasterised to no pixels',
    centroid: 'the mask centroid could not be put on the target line',
    overlap: `every candidate overlapped an earlier mask with IoU > ${info.maxIoU}`,
    direction: 'the local direction of the region could not be estimated',
    edge: "no candidate had about the exemplar's share of product around the defect (it sits on, or away from, the product's outline)",
  };
  const ranked = (Object.keys(counts) as Failure[]).filter((k) => counts[k] > 0).sort((a, b) => counts[b] - counts[a]);
  const main = ranked[0] ?? 'inside';
  const tally = ranked.map((k) => `${k} ${counts[k]}`).join(', ');
  return `${mode}: after ${tries} tries ${explain[main]} [failed: ${tally}]`;
}
