import { createMask, type Mask } from './raster';
import { connectedComponents, type Connectivity } from './morphology';

/**
 * Polygon geometry on masks, in continuous image coordinates: pixel (x, y) is the unit square
 * [x, x+1) × [y, y+1), its centre is (x + 0.5, y + 0.5), y points down.
 *
 * Contours follow the cracks between pixels (the squares' edges), not the pixel centres, so a
 * traced contour encloses exactly its pixels: its shoelace area is the pixel count and
 * rasterising it gives the filled component back, pixel for pixel.
 */

/** Same shape as core/masks/transform's Point; declared here so core/image depends on nothing above it. */
export type Point = [number, number];

/**
 * Boundary of one component, traced along pixel edges with the component on the right of the
 * direction of travel (clockwise on screen). `inComponent(x, y)` must be false outside the image;
 * (startX, startY) must be the component's first pixel in raster order. With connectivity 8,
 * diagonal neighbours belong to the component; with 4 they do not (use 4 for holes, which are
 * 4-connected background). Only corners are emitted.
 */
export function traceBoundary(
  inComponent: (x: number, y: number) => boolean,
  startX: number,
  startY: number,
  connectivity: Connectivity = 8,
  maxSteps = Number.MAX_SAFE_INTEGER,
): Point[] {
  const out: Point[] = [];
  let x = startX;
  let y = startY;
  // Arriving at the start corner heading north (up the first pixel's left edge).
  let dx = 0;
  let dy = -1;
  for (let step = 0; step < maxSteps; step++) {
    const lx = dy;
    const ly = -dx;
    const rx = -dy;
    const ry = dx;
    const aheadLeft = inComponent(x + (dx + lx - 1) / 2, y + (dy + ly - 1) / 2);
    const aheadRight = inComponent(x + (dx + rx - 1) / 2, y + (dy + ry - 1) / 2);
    let ndx: number;
    let ndy: number;
    const turnLeft = connectivity === 8 ? aheadLeft : aheadLeft && aheadRight;
    if (turnLeft) {
      ndx = lx;
      ndy = ly;
    } else if (aheadRight) {
      ndx = dx;
      ndy = dy;
    } else {
      ndx = rx;
      ndy = ry;
    }
    if (ndx !== dx || ndy !== dy) out.push([x, y]);
    dx = ndx;
    dy = ndy;
    x += dx;
    y += dy;
    if (x === startX && y === startY && dx === 0 && dy === -1) return out;
  }
  throw new Error('traceBoundary: contour did not close');
}

/**
 * Outer contour of the largest connected component (8-connected) as a closed polygon of pixel
 * corners, clockwise on screen; [] for an empty mask. Holes are ignored (the contour of the
 * component with its holes filled).
 */
export function outerContour(mask: Mask): Point[] {
  const cc = connectedComponents(mask, 8);
  if (cc.count === 0) return [];
  let best = 1;
  for (let id = 2; id <= cc.count; id++) if (cc.areas[id] > cc.areas[best]) best = id;
  return componentContour(cc.labels, best, mask.width, mask.height);
}

/** Outer contour of component `id` of a label image (see outerContour). */
export function componentContour(labels: Int32Array, id: number, width: number, height: number): Point[] {
  const start = labels.indexOf(id);
  if (start < 0) return [];
  const inside = (x: number, y: number): boolean =>
    x >= 0 && y >= 0 && x < width && y < height && labels[y * width + x] === id;
  return traceBoundary(inside, start % width, Math.floor(start / width), 8, 4 * (width + 1) * (height + 1) + 8);
}

/** Signed shoelace area: positive for clockwise-on-screen (y down) polygons such as traced contours. */
export function signedArea(polygon: readonly Point[]): number {
  let a = 0;
  const n = polygon.length;
  for (let i = 0; i < n; i++) {
    const [x0, y0] = polygon[i];
    const [x1, y1] = polygon[(i + 1) % n];
    a += x0 * y1 - x1 * y0;
  }
  return a / 2;
}

export function polygonArea(polygon: readonly Point[]): number {
  return Math.abs(signedArea(polygon));
}

export function polygonPerimeter(polygon: readonly Point[]): number {
  let p = 0;
  const n = polygon.length;
  for (let i = 0; i < n; i++) {
    const [x0, y0] = polygon[i];
    const [x1, y1] = polygon[(i + 1) % n];
    p += Math.hypot(x1 - x0, y1 - y0);
  }
  return p;
}

export interface Moments {
  area: number;
  centroid: Point;
  /** Central second moments per unit area (variances of x, y and their covariance). */
  mu20: number;
  mu02: number;
  mu11: number;
}

/** Area, centroid and central second moments of a simple polygon (Green's theorem). */
export function polygonMoments(polygon: readonly Point[]): Moments {
  let a = 0;
  let cx = 0;
  let cy = 0;
  let ixx = 0;
  let iyy = 0;
  let ixy = 0;
  const n = polygon.length;
  for (let i = 0; i < n; i++) {
    const [x0, y0] = polygon[i];
    const [x1, y1] = polygon[(i + 1) % n];
    const c = x0 * y1 - x1 * y0;
    a += c;
    cx += (x0 + x1) * c;
    cy += (y0 + y1) * c;
    ixx += (x0 * x0 + x0 * x1 + x1 * x1) * c;
    iyy += (y0 * y0 + y0 * y1 + y1 * y1) * c;
    ixy += (x0 * y1 + 2 * x0 * y0 + 2 * x1 * y1 + x1 * y0) * c;
  }
  a /= 2;
  if (a === 0) {
    const mx = polygon.reduce((s, p) => s + p[0], 0) / Math.max(1, n);
    const my = polygon.reduce((s, p) => s + p[1], 0) / Math.max(1, n);
    return { area: 0, centroid: [mx, my], mu20: 0, mu02: 0, mu11: 0 };
  }
  const gx = cx / (6 * a);
  const gy = cy / (6 * a);
  return {
    area: Math.abs(a),
    centroid: [gx, gy],
    mu20: ixx / (12 * a) - gx * gx,
    mu02: iyy / (12 * a) - gy * gy,
    mu11: ixy / (24 * a) - gx * gy,
  };
}

export function polygonCentroid(polygon: readonly Point[]): Point {
  return polygonMoments(polygon).centroid;
}

export interface PrincipalAxis {
  centroid: Point;
  /** Direction of the major axis, radians in (−π/2, π/2], image coordinates (y down). */
  angle: number;
  /** Standard deviations along the major and minor axes. */
  major: number;
  minor: number;
}

function axisFromMoments(centroid: Point, mu20: number, mu02: number, mu11: number): PrincipalAxis {
  const angle = 0.5 * Math.atan2(2 * mu11, mu20 - mu02);
  const mean = (mu20 + mu02) / 2;
  const diff = Math.sqrt(((mu20 - mu02) / 2) ** 2 + mu11 * mu11);
  return { centroid, angle, major: Math.sqrt(Math.max(0, mean + diff)), minor: Math.sqrt(Math.max(0, mean - diff)) };
}

export function polygonPrincipalAxis(polygon: readonly Point[]): PrincipalAxis {
  const m = polygonMoments(polygon);
  return axisFromMoments(m.centroid, m.mu20, m.mu02, m.mu11);
}

/** Principal axis of a mask's "on" pixels (second moments of the pixel centres); null if empty. */
export function maskPrincipalAxis(mask: Mask): PrincipalAxis | null {
  const { width: w, data } = mask;
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0) continue;
    n++;
    sx += (i % w) + 0.5;
    sy += Math.floor(i / w) + 0.5;
  }
  if (n === 0) return null;
  const gx = sx / n;
  const gy = sy / n;
  let m20 = 0;
  let m02 = 0;
  let m11 = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0) continue;
    const dx = (i % w) + 0.5 - gx;
    const dy = Math.floor(i / w) + 0.5 - gy;
    m20 += dx * dx;
    m02 += dy * dy;
    m11 += dx * dy;
  }
  return axisFromMoments([gx, gy], m20 / n, m02 / n, m11 / n);
}

function pointSegmentDistance(p: Point, a: Point, b: Point): number {
  const vx = b[0] - a[0];
  const vy = b[1] - a[1];
  const len2 = vx * vx + vy * vy;
  if (len2 === 0) return Math.hypot(p[0] - a[0], p[1] - a[1]);
  const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * vx + (p[1] - a[1]) * vy) / len2));
  return Math.hypot(p[0] - a[0] - t * vx, p[1] - a[1] - t * vy);
}

/** Douglas-Peucker simplification of an open polyline; keeps both ends. */
export function simplifyPolyline(points: readonly Point[], tolerance: number): Point[] {
  if (points.length <= 2) return points.map((p) => [p[0], p[1]] as Point);
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: Array<[number, number]> = [[0, points.length - 1]];
  while (stack.length > 0) {
    const [i0, i1] = stack.pop()!;
    let worst = -1;
    let worstD = -1;
    for (let i = i0 + 1; i < i1; i++) {
      const d = pointSegmentDistance(points[i], points[i0], points[i1]);
      if (d > worstD) {
        worstD = d;
        worst = i;
      }
    }
    if (worst >= 0 && worstD > tolerance) {
      keep[worst] = 1;
      stack.push([i0, worst], [worst, i1]);
    }
  }
  const out: Point[] = [];
  for (let i = 0; i < points.length; i++) if (keep[i]) out.push([points[i][0], points[i][1]]);
  return out;
}

/**
 * Douglas-Peucker simplification of a closed polygon: split at the first vertex and the vertex
 * farthest from it, simplify both chains, rejoin.
 */
export function simplifyClosedPolygon(polygon: readonly Point[], tolerance: number): Point[] {
  const n = polygon.length;
  if (n <= 3) return polygon.map((p) => [p[0], p[1]] as Point);
  let far = 1;
  let farD = -1;
  for (let i = 1; i < n; i++) {
    const d = Math.hypot(polygon[i][0] - polygon[0][0], polygon[i][1] - polygon[0][1]);
    if (d > farD) {
      farD = d;
      far = i;
    }
  }
  const a = simplifyPolyline(polygon.slice(0, far + 1), tolerance);
  const b = simplifyPolyline([...polygon.slice(far), polygon[0]], tolerance);
  return [...a, ...b.slice(1, -1)];
}

/**
 * Calls `span(y, x0, x1)` for every run of pixels [x0, x1) in row y whose centre is inside the
 * rings under the even-odd rule (so a ring inside another is a hole). Spans are clipped to the image.
 */
export function forEachPolygonSpan(
  rings: readonly (readonly Point[])[],
  width: number,
  height: number,
  span: (y: number, x0: number, x1: number) => void,
): void {
  let minY = Infinity;
  let maxY = -Infinity;
  for (const ring of rings) for (const p of ring) {
    if (p[1] < minY) minY = p[1];
    if (p[1] > maxY) maxY = p[1];
  }
  if (!(minY < maxY)) return;
  const yStart = Math.max(0, Math.floor(minY - 0.5));
  const yEnd = Math.min(height - 1, Math.ceil(maxY));
  const xs: number[] = [];
  for (let y = yStart; y <= yEnd; y++) {
    const yc = y + 0.5;
    xs.length = 0;
    for (const ring of rings) {
      const n = ring.length;
      for (let i = 0; i < n; i++) {
        const [x0, y0] = ring[i];
        const [x1, y1] = ring[(i + 1) % n];
        if (y0 <= yc !== y1 <= yc) xs.push(x0 + ((yc - y0) / (y1 - y0)) * (x1 - x0));
      }
    }
    // Insertion sort: a row crosses a handful of edges, where Array#sort's comparator calls dominate.
    for (let k = 1; k < xs.length; k++) {
      const v = xs[k];
      let j = k - 1;
      while (j >= 0 && xs[j] > v) {
        xs[j + 1] = xs[j];
        j--;
      }
      xs[j + 1] = v;
    }
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const a = Math.max(0, Math.ceil(xs[k] - 0.5));
      const b = Math.min(width, Math.ceil(xs[k + 1] - 0.5));
      if (b > a) span(y, a, b);
    }
  }
}

/** Scanline rasterisation (even-odd rule, pixel centres) of one or more rings into a 0/255 Mask. */
export function rasterisePolygon(rings: readonly (readonly Point[])[], width: number, height: number): Mask {
  const out = createMask(width, height);
  forEachPolygonSpan(rings, width, height, (y, x0, x1) => out.data.fill(255, y * width + x0, y * width + x1));
  return out;
}

/** True if no two non-adjacent edges of the closed polygon intersect. O(n²); meant for DP polygons. */
export function isSimplePolygon(polygon: readonly Point[]): boolean {
  const n = polygon.length;
  if (n < 3) return false;
  const orient = (a: Point, b: Point, c: Point): number => (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  for (let i = 0; i < n; i++) {
    const a = polygon[i];
    const b = polygon[(i + 1) % n];
    for (let j = i + 1; j < n; j++) {
      if (j === i || (j + 1) % n === i || (i + 1) % n === j) continue;
      const c = polygon[j];
      const d = polygon[(j + 1) % n];
      const o1 = orient(a, b, c);
      const o2 = orient(a, b, d);
      const o3 = orient(c, d, a);
      const o4 = orient(c, d, b);
      if (o1 * o2 <= 0 && o3 * o4 <= 0 && !(o1 === 0 && o2 === 0 && o3 === 0 && o4 === 0)) return false;
      if (o1 === 0 && o2 === 0 && o3 === 0 && o4 === 0) {
        const overlap =
          Math.max(Math.min(a[0], b[0]), Math.min(c[0], d[0])) <= Math.min(Math.max(a[0], b[0]), Math.max(c[0], d[0])) &&
          Math.max(Math.min(a[1], b[1]), Math.min(c[1], d[1])) <= Math.min(Math.max(a[1], b[1]), Math.max(c[1], d[1]));
        if (overlap) return false;
      }
    }
  }
  return true;
}

/**
 * Every ring of a mask: the outer contour of each 8-connected component (first, in raster order),
 * then the contour of each hole (4-connected background not touching the image border).
 * Even-odd rasterisation of the rings gives the mask back exactly.
 */
export function maskToRings(mask: Mask): Point[][] {
  const { width: w, height: h } = mask;
  const fg = connectedComponents(mask, 8);
  const rings: Point[][] = [];
  for (let id = 1; id <= fg.count; id++) rings.push(componentContour(fg.labels, id, w, h));
  const background = createMask(w, h);
  for (let i = 0; i < background.data.length; i++) background.data[i] = mask.data[i] === 0 ? 255 : 0;
  const bg = connectedComponents(background, 4);
  const touchesBorder = new Uint8Array(bg.count + 1);
  for (let x = 0; x < w; x++) {
    touchesBorder[bg.labels[x]] = 1;
    touchesBorder[bg.labels[(h - 1) * w + x]] = 1;
  }
  for (let y = 0; y < h; y++) {
    touchesBorder[bg.labels[y * w]] = 1;
    touchesBorder[bg.labels[y * w + w - 1]] = 1;
  }
  const starts = new Int32Array(bg.count + 1).fill(-1);
  for (let i = 0; i < bg.labels.length; i++) if (bg.labels[i] > 0 && starts[bg.labels[i]] < 0) starts[bg.labels[i]] = i;
  for (let id = 1; id <= bg.count; id++) {
    if (touchesBorder[id]) continue;
    const inside = (x: number, y: number): boolean => x >= 0 && y >= 0 && x < w && y < h && bg.labels[y * w + x] === id;
    rings.push(traceBoundary(inside, starts[id] % w, Math.floor(starts[id] / w), 4, 4 * (w + 1) * (h + 1) + 8));
  }
  return rings;
}
