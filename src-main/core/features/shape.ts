/**
 * Shape block (METHOD.md §1, an addition to the paper): where colour and texture agree,
 * a scratch and a pit still differ in shape. Input is a cropped binary mask (1 = on).
 * Hu moments and the image-border share were dropped with features version 2: on real
 * defects they varied more within a type than between types (devdata tire and macaroni1).
 */
import { connectedComponents, dilate } from '../image/morphology';
import { SHAPE_DIM } from './types';

export interface CentralMoments {
  area: number;
  cx: number;
  cy: number;
  mu20: number;
  mu02: number;
  mu11: number;
  mu30: number;
  mu03: number;
  mu21: number;
  mu12: number;
}

/** Central moments up to order 3, pixel centres, two passes (centroid first) for accuracy. */
export function centralMoments(bin: Uint8Array, w: number, h: number): CentralMoments {
  let area = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (bin[y * w + x]) {
        area++;
        sx += x;
        sy += y;
      }
    }
  }
  const m: CentralMoments = { area, cx: 0, cy: 0, mu20: 0, mu02: 0, mu11: 0, mu30: 0, mu03: 0, mu21: 0, mu12: 0 };
  if (area === 0) return m;
  m.cx = sx / area;
  m.cy = sy / area;
  for (let y = 0; y < h; y++) {
    const dy = y - m.cy;
    for (let x = 0; x < w; x++) {
      if (!bin[y * w + x]) continue;
      const dx = x - m.cx;
      m.mu20 += dx * dx;
      m.mu02 += dy * dy;
      m.mu11 += dx * dy;
      m.mu30 += dx * dx * dx;
      m.mu03 += dy * dy * dy;
      m.mu21 += dx * dx * dy;
      m.mu12 += dx * dy * dy;
    }
  }
  return m;
}

/**
 * Area of the convex hull of the mask's pixels taken as unit squares (hull of their
 * corners), so a filled rectangle has solidity exactly 1.
 */
export function convexHullArea(bin: Uint8Array, w: number, h: number): number {
  const pts: [number, number][] = [];
  for (let y = 0; y < h; y++) {
    let first = -1;
    let last = -1;
    for (let x = 0; x < w; x++) {
      if (bin[y * w + x]) {
        if (first < 0) first = x;
        last = x;
      }
    }
    if (first < 0) continue;
    pts.push([first, y], [first, y + 1], [last + 1, y], [last + 1, y + 1]);
  }
  if (pts.length < 3) return 0;
  pts.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  const cross = (o: [number, number], a: [number, number], b: [number, number]): number =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  // Andrew's monotone chain.
  const lower: [number, number][] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: [number, number][] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop();
    upper.push(p);
  }
  const hull = lower.slice(0, -1).concat(upper.slice(0, -1));
  let twice = 0;
  for (let i = 0; i < hull.length; i++) {
    const p = hull[i];
    const q = hull[(i + 1) % hull.length];
    twice += p[0] * q[1] - q[0] * p[1];
  }
  return Math.abs(twice) / 2;
}

/** Sides of on pixels that face an off pixel or the crop's edge: the outline's length in pixel edges. */
export function crackPerimeter(bin: Uint8Array, w: number, h: number): number {
  let edges = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!bin[y * w + x]) continue;
      if (x === 0 || !bin[y * w + x - 1]) edges++;
      if (x === w - 1 || !bin[y * w + x + 1]) edges++;
      if (y === 0 || !bin[(y - 1) * w + x]) edges++;
      if (y === h - 1 || !bin[(y + 1) * w + x]) edges++;
    }
  }
  return edges;
}

/**
 * 5 values:
 *  0 ln(area / image area);
 *  1 ln(number of parts): 8-connected after a 3×3 dilation, which bridges gaps of up to two
 *    pixels, so a line that binarisation broke into pieces stays one part (the demo's
 *    cracks: 2-10 raw parts, 1 bridged), while a crack drawn as dashes stays several (devdata
 *    macaroni1's cracks: median 14 raw, 5 bridged) and so does a cluster of spots;
 *  2 ln(thickness), thickness = 2·area / crackPerimeter, which is w for a long band of width w
 *    and r·π/4 for a disc of radius r: a curved scratch is thin though its bounding box is not;
 *  3 ln(elongation), elongation = major/minor principal axis = sqrt(λ1/λ2) of the
 *    covariance with each pixel's own 1/12 extent added, so a 1-px line stays finite
 *    (the log because thin scratches reach ratios in the hundreds);
 *  4 solidity = area / convex hull area (pixels as unit squares).
 */
export function shapeBlock(bin: Uint8Array, w: number, h: number, imageArea: number): Float64Array {
  const out = new Float64Array(SHAPE_DIM);
  const m = centralMoments(bin, w, h);
  if (m.area === 0) return out;
  const c20 = m.mu20 / m.area + 1 / 12;
  const c02 = m.mu02 / m.area + 1 / 12;
  const c11 = m.mu11 / m.area;
  const half = (c20 + c02) / 2;
  const root = Math.sqrt(((c20 - c02) / 2) ** 2 + c11 * c11);
  const l1 = half + root;
  const l2 = Math.max(half - root, 1e-12);
  out[0] = Math.log(m.area / imageArea);
  out[1] = Math.log(connectedComponents(dilate({ width: w, height: h, data: bin }, 1.5), 8).count);
  out[2] = Math.log((2 * m.area) / crackPerimeter(bin, w, h));
  out[3] = 0.5 * Math.log(l1 / l2);
  out[4] = m.area / convexHullArea(bin, w, h);
  return out;
}
