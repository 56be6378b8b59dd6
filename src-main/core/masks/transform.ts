/**
 * The geometric transform T that turns a few-shot source mask into an aligned mask
 * (METHOD.md §3, Eq. 5-6). Recorded with every aligned mask so the exemplar generator
 * can warp the exemplar's pixels exactly as the mask was warped.
 *
 * Vertex v of the source polygon maps to the target as
 *   target(v) = targetCentroid + scale · R(rotation) · (v + vertexOffsets[v] − sourceCentroid)
 * and any other source point p is first moved by the smooth (piecewise-affine / thin-plate)
 * interpolation of the vertex offsets, then by the same similarity.
 */
export type Point = [number, number];

export interface MaskTransform {
  /** Centroid of the (closed) source mask, source-image pixels. */
  sourceCentroid: Point;
  /** Douglas-Peucker polygon of the source mask's outer contour, source pixels, before perturbation. */
  sourcePolygon: Point[];
  /** ΔP per polygon vertex (source pixels), Eq. 5's random vertex perturbation. */
  vertexOffsets: Point[];
  /** Radians, counter-clockwise in image coordinates (y down), about the source centroid. */
  rotation: number;
  /** Eq. (6) area-adaptive scale. */
  scale: number;
  /** Where the source centroid lands in the normal (target) image. */
  targetCentroid: Point;
}

/** The similarity part of T: source point (after vertex perturbation) → target point. */
export function similarityForward(t: MaskTransform, p: Point): Point {
  const dx = p[0] - t.sourceCentroid[0];
  const dy = p[1] - t.sourceCentroid[1];
  const c = Math.cos(t.rotation) * t.scale;
  const s = Math.sin(t.rotation) * t.scale;
  return [t.targetCentroid[0] + c * dx - s * dy, t.targetCentroid[1] + s * dx + c * dy];
}

/** Inverse of similarityForward: target point → perturbed source point. */
export function similarityInverse(t: MaskTransform, q: Point): Point {
  const dx = q[0] - t.targetCentroid[0];
  const dy = q[1] - t.targetCentroid[1];
  const c = Math.cos(t.rotation) / t.scale;
  const s = Math.sin(t.rotation) / t.scale;
  return [t.sourceCentroid[0] + c * dx + s * dy, t.sourceCentroid[1] - s * dx + c * dy];
}

/** The target polygon: every perturbed source vertex through the similarity. */
export function targetPolygon(t: MaskTransform): Point[] {
  return t.sourcePolygon.map((v, i) => {
    const o = t.vertexOffsets[i] ?? [0, 0];
    return similarityForward(t, [v[0] + o[0], v[1] + o[1]]);
  });
}
