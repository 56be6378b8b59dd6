import { close, connectedComponents, fillHoles, open } from '../image/morphology';
import { createMask, maskArea, type Mask } from '../image/raster';

/**
 * Morphological clean-up of propagated regions, guided by the shapes the labelled exemplars
 * show: how large a region is, how many pieces it has, and whether it has holes.
 */

export interface RegionShapeStats {
  /** Mean area over the exemplars, in exemplar pixels. */
  meanArea: number;
  /** Most pieces (components ≥ 5 % of the region) any exemplar shows; at least 1. */
  maxComponents: number;
  /** Whether any exemplar's region has holes (≥ 0.5 % of its area). */
  hasHoles: boolean;
}

export function regionShapeStats(masks: Mask[]): RegionShapeStats {
  let areaSum = 0;
  let maxComponents = 1;
  let hasHoles = false;
  for (const m of masks) {
    const area = maskArea(m);
    areaSum += area;
    const cc = connectedComponents(m, 8);
    let pieces = 0;
    for (let id = 1; id <= cc.count; id++) if (cc.areas[id] >= 0.05 * area) pieces++;
    maxComponents = Math.max(maxComponents, pieces);
    if (area > 0 && maskArea(fillHoles(m)) - area >= 0.005 * area) hasHoles = true;
  }
  return { meanArea: masks.length ? areaSum / masks.length : 0, maxComponents, hasHoles };
}

export interface CleanOptions {
  /** Disc radius of the opening and closing, pixels. */
  radius: number;
  /** Pieces smaller than this fraction of the expected area are dropped. */
  minComponentFraction: number;
  /** Expected area of each region in this image, pixels. */
  expectedAreas: number[];
}

/**
 * Per region: open then close with a disc, drop pieces below the size floor, keep at most the
 * exemplars' number of pieces (largest first), fill holes where no exemplar has any. A pixel
 * that two cleaned regions then claim goes to the more probable one (`probs[r]`, per pixel).
 */
export function cleanRegions(raw: Mask[], probs: ArrayLike<number>[], shapes: RegionShapeStats[], options: CleanOptions): Mask[] {
  const r = Math.max(0, Math.round(options.radius));
  const cleaned = raw.map((full, k) => {
    // Work on the region's bounding box with a margin of off pixels wider than the disc: every
    // operation below then gives what it would on the whole image, at a fraction of the cost.
    const box = boundingBox(full, 2 * r + 2);
    if (!box) return createMask(full.width, full.height);
    const mask = crop(full, box);
    const smooth = r > 0 ? close(open(mask, r), r) : mask;
    const cc = connectedComponents(smooth, 8);
    const floor = options.minComponentFraction * options.expectedAreas[k];
    const ids: number[] = [];
    for (let id = 1; id <= cc.count; id++) if (cc.areas[id] >= floor) ids.push(id);
    ids.sort((p, q) => cc.areas[q] - cc.areas[p] || p - q);
    const keep = new Uint8Array(cc.count + 1);
    for (const id of ids.slice(0, shapes[k].maxComponents)) keep[id] = 1;
    let out = createMask(mask.width, mask.height);
    for (let i = 0; i < out.data.length; i++) if (keep[cc.labels[i]]) out.data[i] = 255;
    if (!shapes[k].hasHoles) out = fillHoles(out);
    return paste(out, box, full.width, full.height);
  });
  const n = raw.length ? raw[0].data.length : 0;
  for (let i = 0; i < n; i++) {
    let owner = -1;
    let claims = 0;
    for (let k = 0; k < cleaned.length; k++) if (cleaned[k].data[i] !== 0) {
      claims++;
      if (owner < 0 || probs[k][i] > probs[owner][i]) owner = k;
    }
    if (claims > 1) for (let k = 0; k < cleaned.length; k++) if (k !== owner) cleaned[k].data[i] = 0;
  }
  return cleaned;
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function boundingBox(mask: Mask, margin: number): Box | null {
  const { width: w, height: h, data } = mask;
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (data[y * w + x] !== 0) {
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  if (x1 < 0) return null;
  return { x0: Math.max(0, x0 - margin), y0: Math.max(0, y0 - margin), x1: Math.min(w, x1 + margin + 1), y1: Math.min(h, y1 + margin + 1) };
}

function crop(mask: Mask, b: Box): Mask {
  const out = createMask(b.x1 - b.x0, b.y1 - b.y0);
  for (let y = b.y0; y < b.y1; y++) out.data.set(mask.data.subarray(y * mask.width + b.x0, y * mask.width + b.x1), (y - b.y0) * out.width);
  return out;
}

function paste(part: Mask, b: Box, w: number, h: number): Mask {
  const out = createMask(w, h);
  for (let y = b.y0; y < b.y1; y++) out.data.set(part.data.subarray((y - b.y0) * part.width, (y - b.y0 + 1) * part.width), y * w + b.x0);
  return out;
}
