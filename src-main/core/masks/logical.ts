import { maskToRings, polygonCentroid, rasterisePolygon } from '../image/geometry';
import { componentMask, connectedComponents } from '../image/morphology';
import type { Mask } from '../image/raster';
import type { Rng } from '../random';
import type { MaskTransform, Point } from './transform';

/** Which part of the region a logical anomaly takes: all of it, its largest piece, or a random piece. */
export type LogicalComponent = 'all' | 'largest' | 'random';

export type LogicalPlacementResult =
  | { ok: true; mask: Mask; transform: MaskTransform; extraRings: Point[][] }
  | { ok: false; reason: string };

/**
 * Logical anomalies (App. D): the region itself, or one connected component of it, is the anomaly
 * mask ("missing nuts" = the nuts region). T is the identity on the chosen outer contour; holes
 * and further components come back as `extraRings`, so that even-odd rasterisation of
 * [targetPolygon(T), ...extraRings] is the mask exactly.
 */
export function placeLogical(region: Mask, rng: Rng, component: LogicalComponent = 'random'): LogicalPlacementResult {
  const { width: w, height: h } = region;
  const cc = connectedComponents(region, 8);
  if (cc.count === 0) return { ok: false, reason: 'logical: the target region is empty' };
  let chosen: Mask;
  if (component === 'all') {
    chosen = componentMaskOfAll(cc.labels, w, h);
  } else {
    let id = 1;
    if (component === 'largest') {
      for (let k = 2; k <= cc.count; k++) if (cc.areas[k] > cc.areas[id]) id = k;
    } else {
      id = 1 + rng.int(cc.count);
    }
    chosen = componentMask(cc, id, w, h);
  }
  const rings = maskToRings(chosen);
  const outer = rings[0];
  const centroid = polygonCentroid(outer);
  const transform: MaskTransform = {
    sourceCentroid: centroid,
    sourcePolygon: outer,
    vertexOffsets: outer.map((): Point => [0, 0]),
    rotation: 0,
    scale: 1,
    targetCentroid: [centroid[0], centroid[1]],
  };
  return { ok: true, mask: rasterisePolygon(rings, w, h), transform, extraRings: rings.slice(1) };
}

function componentMaskOfAll(labels: Int32Array, w: number, h: number): Mask {
  const data = new Uint8Array(w * h);
  for (let i = 0; i < labels.length; i++) if (labels[i] !== 0) data[i] = 255;
  return { width: w, height: h, data };
}
