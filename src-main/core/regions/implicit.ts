import { rasterToLab } from '../image/colour';
import { connectedComponents, fillHoles } from '../image/morphology';
import { createMask, maskArea, type Mask, type Raster } from '../image/raster';
import { gaussianBlur } from './planes';

/**
 * The implicit region of a category with no named regions (METHOD.md §3): the product's
 * foreground when it stands out cleanly from a plain background, else the whole image (a
 * texture has no foreground). The product may be several objects (four pasta pieces on a tray):
 * every piece of a comparable size to the largest belongs to it, so a defect is placed on any of
 * them and never on the tray between them.
 */

export interface ImplicitRegion {
  mask: Mask;
  kind: 'foreground' | 'whole-image';
  /**
   * Otsu's separability η = σ²_between / σ²_total of the colour distance to the background
   * (0..1; a single Gaussian gives 2/π ≈ 0.64, two well-apart modes approach 1).
   */
  separation: number;
}

export interface ImplicitOptions {
  /** Least η to accept a foreground. Default 0.8. */
  minSeparation?: number;
  /** Least share of the above-threshold pixels the product's pieces must hold together. Default 0.6. */
  minLargestShare?: number;
  /** A piece at least this fraction of the largest one's area is part of the product. Default 0.25. */
  minPieceRatio?: number;
  /** The foreground must cover between these fractions of the image. Default [0.01, 0.9]. */
  areaRange?: [number, number];
}

const BINS = 256;

/** Otsu (1979) on a histogram: the threshold bin and η at it. */
export function otsu(hist: ArrayLike<number>): { threshold: number; separation: number } {
  let total = 0;
  let sum = 0;
  for (let i = 0; i < hist.length; i++) {
    total += hist[i];
    sum += i * hist[i];
  }
  if (total === 0) return { threshold: 0, separation: 0 };
  const mean = sum / total;
  let variance = 0;
  for (let i = 0; i < hist.length; i++) variance += hist[i] * (i - mean) ** 2;
  variance /= total;
  let w0 = 0;
  let s0 = 0;
  let best = -1;
  let threshold = 0;
  for (let t = 0; t < hist.length - 1; t++) {
    w0 += hist[t];
    s0 += t * hist[t];
    const w1 = total - w0;
    if (w0 === 0 || w1 === 0) continue;
    const m0 = s0 / w0;
    const m1 = (sum - s0) / w1;
    const between = (w0 / total) * (w1 / total) * (m0 - m1) ** 2;
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return { threshold, separation: variance > 0 && best > 0 ? best / variance : 0 };
}

function median(values: number[]): number {
  const s = values.slice().sort((p, q) => p - q);
  return s.length ? s[s.length >> 1] : 0;
}

export function implicitRegion(raster: Raster, options: ImplicitOptions = {}): ImplicitRegion {
  const minSeparation = options.minSeparation ?? 0.8;
  const minShare = options.minLargestShare ?? 0.6;
  const minPieceRatio = options.minPieceRatio ?? 0.25;
  const [minArea, maxArea] = options.areaRange ?? [0.01, 0.9];
  const { width: w, height: h } = raster;
  const n = w * h;
  const whole = (separation: number): ImplicitRegion => {
    const mask = createMask(w, h);
    mask.data.fill(255);
    return { mask, kind: 'whole-image', separation };
  };
  const lab = rasterToLab(raster);
  const planes = [lab.l, lab.a, lab.b].map((p) => gaussianBlur(p, w, h, 1));
  // The background's colour: the per-channel median of a 2-pixel border.
  const border = planes.map((p) => {
    const v: number[] = [];
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (x < 2 || y < 2 || x >= w - 2 || y >= h - 2) v.push(p[y * w + x]);
    return median(v);
  });
  const dist = new Float64Array(n);
  let max = 0;
  for (let i = 0; i < n; i++) {
    dist[i] = Math.sqrt((planes[0][i] - border[0]) ** 2 + (planes[1][i] - border[1]) ** 2 + (planes[2][i] - border[2]) ** 2);
    if (dist[i] > max) max = dist[i];
  }
  if (max === 0) return whole(0);
  const hist = new Float64Array(BINS);
  const bin = (d: number) => Math.min(BINS - 1, Math.floor((d / max) * BINS));
  for (let i = 0; i < n; i++) hist[bin(dist[i])]++;
  const { threshold, separation } = otsu(hist);
  if (separation < minSeparation) return whole(separation);
  const above = createMask(w, h);
  for (let i = 0; i < n; i++) if (bin(dist[i]) > threshold) above.data[i] = 255;
  const cc = connectedComponents(above, 8);
  let best = 0;
  for (let id = 1; id <= cc.count; id++) if (best === 0 || cc.areas[id] > cc.areas[best]) best = id;
  if (best === 0) return whole(separation);
  // The product's pieces: the largest and every piece of comparable size (specks of noise are not).
  const isPiece = new Uint8Array(cc.count + 1);
  let pieceArea = 0;
  for (let id = 1; id <= cc.count; id++) {
    if (cc.areas[id] < minPieceRatio * cc.areas[best]) continue;
    isPiece[id] = 1;
    pieceArea += cc.areas[id];
  }
  if (pieceArea < minShare * maskArea(above)) return whole(separation);
  const pieces = createMask(w, h);
  for (let i = 0; i < n; i++) if (isPiece[cc.labels[i]]) pieces.data[i] = 255;
  const mask = fillHoles(pieces);
  const frac = maskArea(mask) / n;
  if (frac < minArea || frac > maxArea) return whole(separation);
  return { mask, kind: 'foreground', separation };
}
