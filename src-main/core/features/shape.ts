/**
 * Shape block (METHOD.md §1, an addition to the paper): where colour and texture agree,
 * a scratch and a pit still differ in shape. Inputs are a cropped binary mask (1 = on)
 * whose crop lies inside an image of imageWidth × imageHeight at (offsetX, offsetY).
 */
import { SHAPE_DIM } from './types';

/** Hu invariants smaller than this are numerically zero for pixel shapes; see huLog. */
export const HU_FLOOR = 1e-12;

/**
 * The usual −sign(h)·log10|h| scaling. Values under HU_FLOOR all map to
 * −log10(HU_FLOOR) = 12, because the sign of a numerically-zero invariant (any shape
 * with a mirror or 4-fold symmetry) is rounding noise and would otherwise flip the
 * feature between ±12 or worse.
 */
export function huLog(h: number): number {
  if (Math.abs(h) < HU_FLOOR) return -Math.log10(HU_FLOOR);
  return -Math.sign(h) * Math.log10(Math.abs(h));
}

/** The seven Hu (1962) moment invariants from pixel-centre central moments. */
export function huMoments(bin: Uint8Array, w: number, h: number): Float64Array {
  return huFromMoments(centralMoments(bin, w, h));
}

function huFromMoments(m: CentralMoments): Float64Array {
  const hu = new Float64Array(7);
  if (m.area === 0) return hu;
  const a = m.area;
  const eta = (mu: number, order: number): number => mu / Math.pow(a, 1 + order / 2);
  const n20 = eta(m.mu20, 2);
  const n02 = eta(m.mu02, 2);
  const n11 = eta(m.mu11, 2);
  const n30 = eta(m.mu30, 3);
  const n03 = eta(m.mu03, 3);
  const n21 = eta(m.mu21, 3);
  const n12 = eta(m.mu12, 3);
  const s1 = n30 + n12;
  const s2 = n21 + n03;
  const d1 = n30 - 3 * n12;
  const d2 = 3 * n21 - n03;
  hu[0] = n20 + n02;
  hu[1] = (n20 - n02) ** 2 + 4 * n11 * n11;
  hu[2] = d1 * d1 + d2 * d2;
  hu[3] = s1 * s1 + s2 * s2;
  hu[4] = d1 * s1 * (s1 * s1 - 3 * s2 * s2) + d2 * s2 * (3 * s1 * s1 - s2 * s2);
  hu[5] = (n20 - n02) * (s1 * s1 - s2 * s2) + 4 * n11 * s1 * s2;
  hu[6] = d2 * s1 * (s1 * s1 - 3 * s2 * s2) - d1 * s2 * (3 * s1 * s1 - s2 * s2);
  return hu;
}

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

export interface ShapeFrame {
  offsetX: number;
  offsetY: number;
  imageWidth: number;
  imageHeight: number;
}

/**
 * 12 values:
 *  0 ln(area / image area);
 *  1 ln(elongation), elongation = major/minor principal axis = sqrt(λ1/λ2) of the
 *    covariance with each pixel's own 1/12 extent added, so a 1-px line stays finite
 *    (the log because thin scratches reach ratios in the hundreds);
 *  2 solidity = area / convex hull area (pixels as unit squares);
 *  3 eccentricity of the same-moments ellipse, sqrt(1 − λ2/λ1);
 *  4-10 Hu moments 1-7, huLog-scaled;
 *  11 border fraction: share of the mask's contour pixels (on pixels with a 4-neighbour
 *     off or outside the image) that lie on the image's outermost rows/columns, i.e. how
 *     much of the defect's outline the image edge cuts.
 */
export function shapeBlock(bin: Uint8Array, w: number, h: number, frame: ShapeFrame): Float64Array {
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
  out[0] = Math.log(m.area / (frame.imageWidth * frame.imageHeight));
  out[1] = 0.5 * Math.log(l1 / l2);
  out[2] = m.area / convexHullArea(bin, w, h);
  out[3] = Math.sqrt(Math.max(0, 1 - l2 / l1));
  const hu = huFromMoments(m);
  for (let i = 0; i < 7; i++) out[4 + i] = huLog(hu[i]);
  out[11] = borderFraction(bin, w, h, frame);
  return out;
}

function borderFraction(bin: Uint8Array, w: number, h: number, f: ShapeFrame): number {
  let contour = 0;
  let onBorder = 0;
  const on = (x: number, y: number): boolean => x >= 0 && y >= 0 && x < w && y < h && bin[y * w + x] === 1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!bin[y * w + x]) continue;
      if (on(x - 1, y) && on(x + 1, y) && on(x, y - 1) && on(x, y + 1)) continue;
      contour++;
      const ix = f.offsetX + x;
      const iy = f.offsetY + y;
      if (ix === 0 || iy === 0 || ix === f.imageWidth - 1 || iy === f.imageHeight - 1) onBorder++;
    }
  }
  return contour > 0 ? onBorder / contour : 0;
}
