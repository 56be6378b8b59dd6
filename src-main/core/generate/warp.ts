/**
 * Warps a few-shot exemplar into the target frame with the transform T recorded for its
 * aligned mask (METHOD.md §2b, §3): each target pixel is taken back through the inverse
 * similarity, then through the thin-plate spline from perturbed to original polygon
 * vertices (undoing Eq. 5's ΔP), and the exemplar is sampled bilinearly there.
 */
import type { Mask, Raster } from '../image/raster';
import { similarityInverse, type MaskTransform, type Point } from '../masks/transform';
import { boxHeight, boxWidth, type Box } from './box';
import { fitThinPlate, type PointMap } from './tps';

/** A rectangle of a larger image: pixel (x, y) of the image is data[((y−y0)·width + x−x0)·channels]. */
export interface PlaneImage {
  x0: number;
  y0: number;
  width: number;
  height: number;
  channels: number;
  data: ArrayLike<number>;
}

export interface WarpedPatch {
  /** Target-image rectangle the arrays cover, row-major. */
  box: Box;
  channels: number;
  /** Sampled exemplar values, `channels` per target pixel (0 where not valid). */
  values: Float64Array;
  /** Bilinear coverage of the exemplar mask, 0..1. */
  coverage: Float64Array;
  /** 1 where the source point falls inside the exemplar image. */
  valid: Uint8Array;
}

/** Target point → original (unperturbed) source point: the inverse of T. */
export function inverseWarp(t: MaskTransform): PointMap {
  const n = Math.min(t.sourcePolygon.length, t.vertexOffsets.length);
  let perturbed = false;
  for (let i = 0; i < n; i++) if (t.vertexOffsets[i][0] !== 0 || t.vertexOffsets[i][1] !== 0) perturbed = true;
  if (!perturbed) return (x, y) => similarityInverse(t, [x, y]);
  // The centroid is a fixed control point: ΔP moves vertices, not the mask's centre.
  const from: Point[] = [t.sourceCentroid];
  const to: Point[] = [t.sourceCentroid];
  for (let i = 0; i < t.sourcePolygon.length; i++) {
    const v = t.sourcePolygon[i];
    const o = t.vertexOffsets[i] ?? [0, 0];
    from.push([v[0] + o[0], v[1] + o[1]]);
    to.push([v[0], v[1]]);
  }
  const unperturb = fitThinPlate(from, to);
  return (x, y) => {
    const p = similarityInverse(t, [x, y]);
    return unperturb(p[0], p[1]);
  };
}

/** Source coordinates (x, y interleaved) of every pixel of `box`, row-major. */
export function sourceCoordinates(t: MaskTransform, box: Box): Float64Array {
  const w = boxWidth(box);
  const h = boxHeight(box);
  const map = inverseWarp(t);
  const out = new Float64Array(w * h * 2);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = map(box.x0 + x, box.y0 + y);
      const o = (y * w + x) * 2;
      out[o] = p[0];
      out[o + 1] = p[1];
    }
  }
  return out;
}

/** Axis-aligned pixel rectangle of a source image that holds every valid sample of `coords`. */
export function sampledBox(coords: Float64Array, width: number, height: number): Box | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < coords.length; i += 2) {
    const x = coords[i];
    const y = coords[i + 1];
    if (!(x >= -0.5 && x <= width - 0.5 && y >= -0.5 && y <= height - 0.5)) continue;
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  if (x0 === Infinity) return null;
  return {
    x0: Math.max(0, Math.floor(x0)),
    y0: Math.max(0, Math.floor(y0)),
    x1: Math.min(width, Math.ceil(x1) + 1),
    y1: Math.min(height, Math.ceil(y1) + 1),
  };
}

/**
 * Bilinear samples of `plane` at `coords`. A point counts as inside the image (valid) up to
 * half a pixel beyond the outer pixel centres, where the edge pixel is repeated.
 */
export function sampleBilinear(
  plane: PlaneImage,
  imageWidth: number,
  imageHeight: number,
  coords: Float64Array,
): { values: Float64Array; valid: Uint8Array } {
  const n = coords.length / 2;
  const ch = plane.channels;
  const values = new Float64Array(n * ch);
  const valid = new Uint8Array(n);
  const d = plane.data;
  for (let i = 0; i < n; i++) {
    const sx = coords[2 * i];
    const sy = coords[2 * i + 1];
    if (!(sx >= -0.5 && sx <= imageWidth - 0.5 && sy >= -0.5 && sy <= imageHeight - 0.5)) continue;
    const x = Math.min(Math.max(sx, 0), imageWidth - 1) - plane.x0;
    const y = Math.min(Math.max(sy, 0), imageHeight - 1) - plane.y0;
    const xa = Math.min(Math.max(Math.floor(x), 0), plane.width - 1);
    const ya = Math.min(Math.max(Math.floor(y), 0), plane.height - 1);
    const xb = Math.min(xa + 1, plane.width - 1);
    const yb = Math.min(ya + 1, plane.height - 1);
    const fx = x - xa;
    const fy = y - ya;
    const w00 = (1 - fx) * (1 - fy);
    const w10 = fx * (1 - fy);
    const w01 = (1 - fx) * fy;
    const w11 = fx * fy;
    const i00 = (ya * plane.width + xa) * ch;
    const i10 = (ya * plane.width + xb) * ch;
    const i01 = (yb * plane.width + xa) * ch;
    const i11 = (yb * plane.width + xb) * ch;
    for (let c = 0; c < ch; c++) {
      values[i * ch + c] = w00 * d[i00 + c] + w10 * d[i10 + c] + w01 * d[i01 + c] + w11 * d[i11 + c];
    }
    valid[i] = 1;
  }
  return { values, valid };
}

/** Bilinear coverage (0..1) of a binary mask at `coords`; 0 outside the mask's image. */
export function sampleMaskCoverage(mask: Mask, coords: Float64Array): Float64Array {
  const n = coords.length / 2;
  const out = new Float64Array(n);
  const on = (x: number, y: number): number =>
    x >= 0 && y >= 0 && x < mask.width && y < mask.height && mask.data[y * mask.width + x] !== 0 ? 1 : 0;
  for (let i = 0; i < n; i++) {
    const sx = coords[2 * i];
    const sy = coords[2 * i + 1];
    if (!(sx > -1 && sx < mask.width && sy > -1 && sy < mask.height)) continue;
    const xa = Math.floor(sx);
    const ya = Math.floor(sy);
    const fx = sx - xa;
    const fy = sy - ya;
    out[i] =
      (1 - fx) * (1 - fy) * on(xa, ya) + fx * (1 - fy) * on(xa + 1, ya) + (1 - fx) * fy * on(xa, ya + 1) + fx * fy * on(xa + 1, ya + 1);
  }
  return out;
}

/** The exemplar's raw channel values and mask, warped into `box` of the target frame. */
export function warpExemplar(image: Raster, mask: Mask, t: MaskTransform, box: Box): WarpedPatch {
  const coords = sourceCoordinates(t, box);
  const plane: PlaneImage = { x0: 0, y0: 0, width: image.width, height: image.height, channels: image.channels, data: image.data };
  const { values, valid } = sampleBilinear(plane, image.width, image.height, coords);
  return { box, channels: image.channels, values, coverage: sampleMaskCoverage(mask, coords), valid };
}
