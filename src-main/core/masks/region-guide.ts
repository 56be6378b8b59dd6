import { connectedComponents, squaredDistanceTransform } from '../image/morphology';
import type { Mask } from '../image/raster';

/**
 * What placement needs to know about one target region on one normal image, computed lazily
 * and once: its pixels, its boundary, its inside distance map and its medial axis (EDT ridge).
 * Build one per (normal image, region) and reuse it across the masks placed there.
 */
export interface RegionGuide {
  readonly mask: Mask;
  readonly width: number;
  readonly height: number;
  /** Pixel indices of the region, row-major. */
  readonly pixels: Int32Array;
  /** 1 where the pixel is in the region. */
  readonly inRegion: Uint8Array;
  /** Region pixels with a 4-neighbour inside the image that is not in the region. */
  boundary(): { pixels: Int32Array; flags: Uint8Array };
  /** Squared distance from each region pixel to the nearest non-region pixel of the image. */
  insideSquaredDistance(): Float64Array;
  /** Medial axis: region pixels on a ridge of the inside distance map. */
  ridge(): { pixels: Int32Array; flags: Uint8Array };
}

/** Share of a component's largest inside distance a ridge pixel must reach to count as centreline. */
const RIDGE_KEEP = 0.7;

export function prepareRegion(mask: Mask): RegionGuide {
  const { width: w, height: h } = mask;
  const inRegion = new Uint8Array(w * h);
  let n = 0;
  for (let i = 0; i < inRegion.length; i++) if (mask.data[i] !== 0) {
    inRegion[i] = 1;
    n++;
  }
  const pixels = new Int32Array(n);
  for (let i = 0, k = 0; i < inRegion.length; i++) if (inRegion[i]) pixels[k++] = i;

  let boundaryCache: { pixels: Int32Array; flags: Uint8Array } | null = null;
  let distanceCache: Float64Array | null = null;
  let ridgeCache: { pixels: Int32Array; flags: Uint8Array } | null = null;

  const boundary = (): { pixels: Int32Array; flags: Uint8Array } => {
    if (boundaryCache) return boundaryCache;
    const flags = new Uint8Array(w * h);
    const list: number[] = [];
    for (const p of pixels) {
      const x = p % w;
      const y = (p - x) / w;
      const edge =
        (x > 0 && !inRegion[p - 1]) || (x < w - 1 && !inRegion[p + 1]) || (y > 0 && !inRegion[p - w]) || (y < h - 1 && !inRegion[p + w]);
      if (edge) {
        flags[p] = 1;
        list.push(p);
      }
    }
    boundaryCache = { pixels: Int32Array.from(list), flags };
    return boundaryCache;
  };

  const insideSquaredDistance = (): Float64Array => {
    distanceCache ??= squaredDistanceTransform(mask, 'off');
    return distanceCache;
  };

  const ridge = (): { pixels: Int32Array; flags: Uint8Array } => {
    if (ridgeCache) return ridgeCache;
    const d = insideSquaredDistance();
    // Medial-axis branches run into every convex corner with a vanishing distance; a centreline
    // (a wire's axis) is where the region is near its full width, so keep ridge pixels whose
    // distance is at least RIDGE_KEEP of the largest in their region component.
    const cc = connectedComponents(mask, 8);
    const deepest = new Float64Array(cc.count + 1);
    for (const p of pixels) if (Number.isFinite(d[p]) && d[p] > deepest[cc.labels[p]]) deepest[cc.labels[p]] = d[p];
    const flags = new Uint8Array(w * h);
    const list: number[] = [];
    const steps: ReadonlyArray<readonly [number, number]> = [[1, 0], [0, 1], [1, 1], [1, -1]];
    for (const p of pixels) {
      const x = p % w;
      const y = (p - x) / w;
      const v = d[p];
      if (!Number.isFinite(v) || v < RIDGE_KEEP * RIDGE_KEEP * deepest[cc.labels[p]]) continue;
      // A ridge pixel is a local maximum of the distance along some line through it: ≥ both
      // neighbours and > at least one, so the plateau along a band's length does not count.
      for (const [dx, dy] of steps) {
        const ax = x - dx;
        const ay = y - dy;
        const bx = x + dx;
        const by = y + dy;
        if (ax < 0 || ay < 0 || ax >= w || ay >= h || bx < 0 || by < 0 || bx >= w || by >= h) continue;
        const va = d[ay * w + ax];
        const vb = d[by * w + bx];
        if (v >= va && v >= vb && (v > va || v > vb)) {
          flags[p] = 1;
          list.push(p);
          break;
        }
      }
    }
    ridgeCache = { pixels: Int32Array.from(list), flags };
    return ridgeCache;
  };

  return { mask, width: w, height: h, pixels, inRegion, boundary, insideSquaredDistance, ridge };
}

/**
 * Local direction of a thin pixel set (boundary or ridge) around (x, y): the principal axis of
 * the flagged pixels within `radius`, radians in (−π/2, π/2]; null if fewer than 3 pixels.
 */
export function localDirection(flags: Uint8Array, width: number, height: number, x: number, y: number, radius: number): number | null {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  const r2 = radius * radius;
  const x0 = Math.max(0, x - radius);
  const x1 = Math.min(width - 1, x + radius);
  const y0 = Math.max(0, y - radius);
  const y1 = Math.min(height - 1, y + radius);
  for (let yy = y0; yy <= y1; yy++) {
    for (let xx = x0; xx <= x1; xx++) {
      if (!flags[yy * width + xx]) continue;
      const dx = xx - x;
      const dy = yy - y;
      if (dx * dx + dy * dy > r2) continue;
      n++;
      sx += dx;
      sy += dy;
      sxx += dx * dx;
      syy += dy * dy;
      sxy += dx * dy;
    }
  }
  if (n < 3) return null;
  const mx = sx / n;
  const my = sy / n;
  const m20 = sxx / n - mx * mx;
  const m02 = syy / n - my * my;
  const m11 = sxy / n - mx * my;
  if (m20 === 0 && m02 === 0) return null;
  return 0.5 * Math.atan2(2 * m11, m20 - m02);
}
