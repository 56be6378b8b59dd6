import { createMask, type Mask } from './raster';

/**
 * Binary morphology on Masks. Structuring elements are discs: pixel q is in the disc of radius r
 * around p iff |p − q|² ≤ r². Dilation and erosion are read off an exact Euclidean distance
 * transform, so their cost does not grow with the radius (radius 20 on 1024² is two EDT passes).
 */

export type Connectivity = 4 | 8;

/** Stand-in for +∞ inside the lower-envelope arithmetic (∞ − ∞ would give NaN). */
const FAR = 1e20;

/**
 * 1-D squared distance transform of a sampled function (Felzenszwalb & Huttenlocher 2012,
 * "Distance Transforms of Sampled Functions", Algorithm 1): the lower envelope of parabolas
 * rooted at (q, f[q]).
 */
function edt1d(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  for (let q = 1; q < n; q++) {
    let s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    while (s <= z[k]) {
      k--;
      s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    const dq = q - v[k];
    d[q] = dq * dq + f[v[k]];
  }
}

/**
 * Exact squared Euclidean distance from every pixel to the nearest pixel that is `to` ('on' =
 * non-zero, 'off' = zero). Only pixels inside the image count as targets. Pixels with no target
 * anywhere in the image get +Infinity.
 */
export function squaredDistanceTransform(mask: Mask, to: 'on' | 'off'): Float64Array {
  const { width: w, height: h, data } = mask;
  const out = new Float64Array(w * h);
  const wantOn = to === 'on';
  for (let i = 0; i < out.length; i++) out[i] = (data[i] !== 0) === wantOn ? 0 : FAR;
  const n = Math.max(w, h);
  const f = new Float64Array(n);
  const d = new Float64Array(n);
  const v = new Int32Array(n);
  const z = new Float64Array(n + 1);
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) f[y] = out[y * w + x];
    edt1d(f, h, d, v, z);
    for (let y = 0; y < h; y++) out[y * w + x] = d[y];
  }
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) f[x] = out[row + x];
    edt1d(f, w, d, v, z);
    for (let x = 0; x < w; x++) out[row + x] = d[x];
  }
  for (let i = 0; i < out.length; i++) if (out[i] >= FAR / 2) out[i] = Infinity;
  return out;
}

/** Euclidean distance of every "on" pixel to the nearest "off" pixel in the image; 0 for off pixels. */
export function insideDistance(mask: Mask): Float64Array {
  const d2 = squaredDistanceTransform(mask, 'off');
  for (let i = 0; i < d2.length; i++) d2[i] = Math.sqrt(d2[i]);
  return d2;
}

/** Dilation by a disc of radius r (clipped to the image). */
export function dilate(mask: Mask, radius: number): Mask {
  const out = createMask(mask.width, mask.height);
  if (radius <= 0) {
    for (let i = 0; i < out.data.length; i++) out.data[i] = mask.data[i] !== 0 ? 255 : 0;
    return out;
  }
  const r2 = radius * radius;
  if (!Number.isFinite(radius)) {
    const d2 = squaredDistanceTransform(mask, 'on');
    for (let i = 0; i < d2.length; i++) out.data[i] = d2[i] <= r2 ? 255 : 0;
    return out;
  }
  const box = maskBounds(mask);
  if (!box) return out;
  if (radius <= STAMP_MAX_RADIUS) {
    copyOnPixels(mask, box, out.data);
    stampEdges(mask.data, mask.width, mask.height, box, true, radius, out.data, 255);
    return out;
  }
  // Every pixel within r of an "on" pixel lies in the on-pixels' box grown by ⌈r⌉, and its nearest
  // "on" pixel lies inside that box too, so the transform of the crop alone gives the same result at
  // a cost that follows the mask's extent, not the image's.
  const m = Math.ceil(radius);
  const x0 = Math.max(0, box.x0 - m);
  const y0 = Math.max(0, box.y0 - m);
  const x1 = Math.min(mask.width, box.x1 + m);
  const y1 = Math.min(mask.height, box.y1 + m);
  const cw = x1 - x0;
  const crop = createMask(cw, y1 - y0);
  for (let y = y0; y < y1; y++) crop.data.set(mask.data.subarray(y * mask.width + x0, y * mask.width + x1), (y - y0) * cw);
  const d2 = squaredDistanceTransform(crop, 'on');
  for (let y = y0; y < y1; y++) {
    const row = y * mask.width;
    for (let x = x0; x < x1; x++) if (d2[(y - y0) * cw + x - x0] <= r2) out.data[row + x] = 255;
  }
  return out;
}

/** True when data[from..to) holds a non-zero byte; `words` (data as 32-bit words, when it starts on one) scans 4 at a time. */
function anyOn(data: Uint8Array, words: Uint32Array | null, from: number, to: number): boolean {
  let i = from;
  if (words) {
    const head = Math.min(to, (from + 3) & ~3);
    for (; i < head; i++) if (data[i] !== 0) return true;
    const end = to >> 2;
    for (let k = i >> 2; k < end; k++) if (words[k] !== 0) return true;
    i = Math.max(i, end << 2);
  }
  for (; i < to; i++) if (data[i] !== 0) return true;
  return false;
}

/**
 * Tight half-open box [x0, x1) × [y0, y1) of the "on" pixels, or null when none is on. Empty
 * rows are skipped a word at a time and a row's columns are read only outside the box found so
 * far, so a small mask on a large image costs about one pass of word reads.
 */
export function maskBounds(mask: Mask): { x0: number; y0: number; x1: number; y1: number } | null {
  const { width: w, height: h, data } = mask;
  const words = (data.byteOffset & 3) === 0 ? new Uint32Array(data.buffer, data.byteOffset, data.length >> 2) : null;
  let y0 = 0;
  while (y0 < h && !anyOn(data, words, y0 * w, y0 * w + w)) y0++;
  if (y0 === h) return null;
  let y1 = h - 1;
  while (y1 > y0 && !anyOn(data, words, y1 * w, y1 * w + w)) y1--;
  let x0 = w;
  let x1 = -1;
  for (let y = y0; y <= y1; y++) {
    const row = y * w;
    for (let x = 0; x < x0; x++) {
      if (data[row + x] !== 0) {
        x0 = x;
        break;
      }
    }
    for (let x = w - 1; x > x1; x--) {
      if (data[row + x] !== 0) {
        x1 = x;
        break;
      }
    }
  }
  return { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/**
 * Erosion by a disc of radius r. Pixels beyond the image count as "on" (OpenCV's default border),
 * so a mask is not eaten away from the image border and closing stays extensive there.
 */
export function erode(mask: Mask, radius: number): Mask {
  const out = createMask(mask.width, mask.height);
  if (radius <= 0) {
    for (let i = 0; i < out.data.length; i++) out.data[i] = mask.data[i] !== 0 ? 255 : 0;
    return out;
  }
  if (radius <= STAMP_MAX_RADIUS) {
    const box = maskBounds(mask);
    if (!box) return out;
    copyOnPixels(mask, box, out.data);
    // Off pixels next to an on pixel lie in the on-pixels' box grown by 1.
    const grown = { x0: Math.max(0, box.x0 - 1), y0: Math.max(0, box.y0 - 1), x1: Math.min(mask.width, box.x1 + 1), y1: Math.min(mask.height, box.y1 + 1) };
    stampEdges(mask.data, mask.width, mask.height, grown, false, radius, out.data, 0);
    return out;
  }
  const d2 = squaredDistanceTransform(mask, 'off');
  const r2 = radius * radius;
  for (let i = 0; i < d2.length; i++) out.data[i] = mask.data[i] !== 0 && d2[i] > r2 ? 255 : 0;
  return out;
}

/**
 * Up to this radius, dilation and erosion stamp the disc around the edge pixels instead of
 * reading a distance transform: a few dozen writes per edge pixel beat two Float64 passes over
 * the box for the small discs the pipeline uses (closing, the 1-px surface ring, the alignment band).
 */
const STAMP_MAX_RADIUS = 4;

const discCache = new Map<number, Int32Array>();

/** 255 in `out` (zeroed, the mask's size) at the on pixels, all of which lie in `box`. */
function copyOnPixels(mask: Mask, box: { x0: number; y0: number; x1: number; y1: number }, out: Uint8Array): void {
  const { width: w, data } = mask;
  for (let y = box.y0; y < box.y1; y++) {
    const row = y * w;
    for (let i = row + box.x0; i < row + box.x1; i++) if (data[i] !== 0) out[i] = 255;
  }
}

/** (dx, dy) pairs of the disc dx² + dy² ≤ r². */
function discOffsets(radius: number): Int32Array {
  let d = discCache.get(radius);
  if (d) return d;
  const r = Math.floor(radius);
  const list: number[] = [];
  for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) if (dx * dx + dy * dy <= radius * radius) list.push(dx, dy);
  d = Int32Array.from(list);
  discCache.set(radius, d);
  return d;
}

/**
 * Writes `value` into `out` at every pixel within `radius` of an edge pixel of the set (the pixels
 * that are on when `on`, else off) inside `box`. An edge pixel has a 4-neighbour inside the image
 * that is not in the set. Exact: a pixel q outside the set within r of a set pixel p is within r of
 * an edge pixel too — walk from p towards q one 4-step at a time, each step shrinking |dx| or
 * |dy|; the last set pixel before the walk leaves the set is an edge pixel no farther from q.
 */
function stampEdges(data: Uint8Array, w: number, h: number, box: { x0: number; y0: number; x1: number; y1: number }, on: boolean, radius: number, out: Uint8Array, value: number): void {
  const disc = discOffsets(radius);
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const i = y * w + x;
      if ((data[i] !== 0) !== on) continue;
      const edge =
        (x > 0 && (data[i - 1] !== 0) !== on) ||
        (x < w - 1 && (data[i + 1] !== 0) !== on) ||
        (y > 0 && (data[i - w] !== 0) !== on) ||
        (y < h - 1 && (data[i + w] !== 0) !== on);
      if (!edge) continue;
      for (let k = 0; k < disc.length; k += 2) {
        const nx = x + disc[k];
        const ny = y + disc[k + 1];
        if (nx >= 0 && ny >= 0 && nx < w && ny < h) out[ny * w + nx] = value;
      }
    }
  }
}

/** Opening: erosion then dilation (removes specks thinner than the disc). */
export function open(mask: Mask, radius: number): Mask {
  return dilate(erode(mask, radius), radius);
}

/** Closing (Eq. 5's (M ⊕ B1) ⊖ B2): dilation by r1 then erosion by r2 (fills gaps and small holes). */
export function close(mask: Mask, dilateRadius: number, erodeRadius: number = dilateRadius): Mask {
  return erode(dilate(mask, dilateRadius), erodeRadius);
}

export interface Components {
  /** 0 = background, 1..count = component id, row-major. */
  labels: Int32Array;
  count: number;
  /** areas[id] = pixel count of component id (areas[0] is unused, 0). */
  areas: number[];
}

const N4: ReadonlyArray<readonly [number, number]> = [[1, 0], [-1, 0], [0, 1], [0, -1]];
const N8: ReadonlyArray<readonly [number, number]> = [...N4, [1, 1], [1, -1], [-1, 1], [-1, -1]];

/** Connected components of the "on" pixels; ids are assigned in raster order of each component's first pixel. */
export function connectedComponents(mask: Mask, connectivity: Connectivity = 8): Components {
  const { width: w, height: h, data } = mask;
  const labels = new Int32Array(w * h);
  const areas: number[] = [0];
  const stack = new Int32Array(w * h);
  const nb = connectivity === 8 ? N8 : N4;
  const steps = nb.length;
  const ndx = Int32Array.from(nb, (d) => d[0]);
  const ndy = Int32Array.from(nb, (d) => d[1]);
  let count = 0;
  for (let start = 0; start < labels.length; start++) {
    if (data[start] === 0 || labels[start] !== 0) continue;
    count++;
    let area = 0;
    let top = 0;
    stack[top++] = start;
    labels[start] = count;
    while (top > 0) {
      const p = stack[--top];
      area++;
      const x = p % w;
      const y = (p - x) / w;
      for (let j = 0; j < steps; j++) {
        const nx = x + ndx[j];
        const ny = y + ndy[j];
        if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
        const q = ny * w + nx;
        if (data[q] !== 0 && labels[q] === 0) {
          labels[q] = count;
          stack[top++] = q;
        }
      }
    }
    areas.push(area);
  }
  return { labels, count, areas };
}

/** The mask of one component id (0/255). */
export function componentMask(components: Components, id: number, width: number, height: number): Mask {
  const out = createMask(width, height);
  const { labels } = components;
  for (let i = 0; i < labels.length; i++) if (labels[i] === id) out.data[i] = 255;
  return out;
}

/** The largest connected component (ties: the first in raster order); an empty mask stays empty. */
export function largestComponent(mask: Mask, connectivity: Connectivity = 8): Mask {
  const cc = connectedComponents(mask, connectivity);
  let best = 0;
  for (let id = 1; id <= cc.count; id++) if (best === 0 || cc.areas[id] > cc.areas[best]) best = id;
  return componentMask(cc, best === 0 ? -1 : best, mask.width, mask.height);
}

/**
 * Fills every hole: background not 4-connected to the image border becomes "on". (Background is
 * taken 4-connected, the dual of 8-connected foreground.)
 */
export function fillHoles(mask: Mask): Mask {
  const { width: w, height: h, data } = mask;
  const reached = new Uint8Array(w * h);
  const stack = new Int32Array(w * h);
  let top = 0;
  const seed = (i: number): void => {
    if (data[i] === 0 && reached[i] === 0) {
      reached[i] = 1;
      stack[top++] = i;
    }
  };
  for (let x = 0; x < w; x++) {
    seed(x);
    seed((h - 1) * w + x);
  }
  for (let y = 0; y < h; y++) {
    seed(y * w);
    seed(y * w + w - 1);
  }
  while (top > 0) {
    const p = stack[--top];
    const x = p % w;
    const y = (p - x) / w;
    if (x > 0) seed(p - 1);
    if (x < w - 1) seed(p + 1);
    if (y > 0) seed(p - w);
    if (y < h - 1) seed(p + w);
  }
  const out = createMask(w, h);
  for (let i = 0; i < out.data.length; i++) out.data[i] = data[i] !== 0 || reached[i] === 0 ? 255 : 0;
  return out;
}
