/**
 * Where a cluster's defects occur (METHOD.md §3, placement `learned`): a density over the
 * product's frame learned from the cluster's own few-shot exemplars, their preferred direction,
 * and the look of the surface around them. A tyre's cuts sit on the tread, not on the dark
 * background; a commutator's cracks run across it, not along it; a pasta chip sits on the pasta.
 * Placing a synthetic defect where the real ones never are teaches a detector nothing useful.
 *
 * The frame is the bounding box of the image's implicit region (its foreground, or the whole
 * image for textures): positions are (x − x0)/(x1 − x0), (y − y0)/(y1 − y0) in it, so exemplars
 * and targets of different sizes and framings agree.
 */
import { rasterToLab } from '../image/colour';
import { maskPrincipalAxis } from '../image/geometry';
import { dilate, maskBounds } from '../image/morphology';
import type { Mask, Raster } from '../image/raster';
import { describeEdgeRelation, type EdgeRelation } from './edge-relation';
import type { Point } from './transform';

export type Lab = [number, number, number];

/** Half-open pixel box of the frame. */
export interface FrameBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface ExemplarPlacement {
  /** Mask centroid in frame coordinates (0..1). */
  centroid: Point;
  /** Main axis (radians, mod π) when the mask is elongated (axis ratio ≥ 2), else null. */
  axis: number | null;
  /** LAB mean and pooled spread of the surface ring around the mask. */
  ring: { mean: Lab; std: number };
  /** Where the mask sits against the product's outline; null for a texture (no foreground). */
  edge: EdgeRelation | null;
}

export interface PlacementPrior {
  exemplars: ExemplarPlacement[];
  /** Kernel bandwidth (frame units) of the position density. */
  bandwidth: number;
  /** The elongated exemplars agree on a direction (resultant length of 2θ ≥ 0.7): keep it. */
  oriented: boolean;
}

/** Smallest and largest kernel bandwidth, in frame units. */
const MIN_BANDWIDTH = 0.03;
const MAX_BANDWIDTH = 0.15;
const ELONGATED = 2;
const ORIENTED_RESULTANT = 0.7;

/** `foreground`: the exemplar image's product mask (its implicit region), or null for a texture. */
export function describeExemplarPlacement(image: Raster, mask: Mask, frame: FrameBox, foreground: Mask | null = null): ExemplarPlacement {
  let sx = 0;
  let sy = 0;
  let n = 0;
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      if (mask.data[y * mask.width + x] === 0) continue;
      sx += x + 0.5;
      sy += y + 0.5;
      n++;
    }
  }
  if (n === 0) throw new Error('exemplar mask is empty');
  const fw = Math.max(1, frame.x1 - frame.x0);
  const fh = Math.max(1, frame.y1 - frame.y0);
  const pa = maskPrincipalAxis(mask);
  const axis = pa && (pa.minor === 0 || pa.major / pa.minor >= ELONGATED) ? normaliseAxis(pa.angle) : null;
  const ringWidth = Math.min(16, Math.max(3, Math.round(Math.sqrt(n / Math.PI))));
  const grown = dilate(mask, ringWidth);
  const box = maskBounds(grown)!;
  const lab = rasterToLab(image, box);
  let m0 = 0;
  let m1 = 0;
  let m2 = 0;
  let ss = 0;
  let count = 0;
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const i = y * mask.width + x;
      if (grown.data[i] === 0 || mask.data[i] !== 0) continue;
      const k = (y - box.y0) * lab.width + (x - box.x0);
      m0 += lab.l[k];
      m1 += lab.a[k];
      m2 += lab.b[k];
      ss += lab.l[k] ** 2 + lab.a[k] ** 2 + lab.b[k] ** 2;
      count++;
    }
  }
  const mean: Lab = count ? [m0 / count, m1 / count, m2 / count] : [50, 0, 0];
  const std = count ? Math.sqrt(Math.max(0, ss / count - mean[0] ** 2 - mean[1] ** 2 - mean[2] ** 2)) : 0;
  const edge = foreground ? describeEdgeRelation(mask, foreground) : null;
  return { centroid: [(sx / n - frame.x0) / fw, (sy / n - frame.y0) / fh], axis, ring: { mean, std }, edge };
}

function normaliseAxis(a: number): number {
  const r = a % Math.PI;
  return r < 0 ? r + Math.PI : r;
}

/**
 * Bandwidth: half the median distance from each exemplar to its nearest neighbour (Silverman-
 * like, but robust to a cluster whose exemplars sit in a few places), within 0.03..0.15.
 */
export function learnPlacementPrior(exemplars: ExemplarPlacement[]): PlacementPrior {
  if (exemplars.length === 0) throw new Error('a placement prior needs at least one exemplar');
  const nn = exemplars.map((e, i) => {
    let best = Infinity;
    exemplars.forEach((f, j) => {
      if (i !== j) best = Math.min(best, Math.hypot(e.centroid[0] - f.centroid[0], e.centroid[1] - f.centroid[1]));
    });
    return best;
  });
  const finite = nn.filter(Number.isFinite).sort((a, b) => a - b);
  const median = finite.length ? finite[Math.floor(finite.length / 2)] : 0.16;
  const bandwidth = Math.min(MAX_BANDWIDTH, Math.max(MIN_BANDWIDTH, median / 2));
  const axes = exemplars.map((e) => e.axis).filter((a): a is number => a !== null);
  let oriented = false;
  if (axes.length > 0 && axes.length * 2 >= exemplars.length) {
    const c = axes.reduce((s, a) => s + Math.cos(2 * a), 0) / axes.length;
    const s = axes.reduce((t, a) => t + Math.sin(2 * a), 0) / axes.length;
    oriented = Math.hypot(c, s) >= ORIENTED_RESULTANT;
  }
  return { exemplars, bandwidth, oriented };
}

/** A position drawn from the density (frame units): an exemplar's centroid plus Gaussian kernel noise. */
export function drawPosition(prior: PlacementPrior, rng: { int(n: number): number; normal(): number }): { point: Point; exemplar: number } {
  const j = rng.int(prior.exemplars.length);
  const c = prior.exemplars[j].centroid;
  return { point: [c[0] + prior.bandwidth * rng.normal(), c[1] + prior.bandwidth * rng.normal()], exemplar: j };
}

/** The density on a cols × rows grid over the frame (row-major, max 1): what the Masks screen shows. */
export function densityGrid(prior: PlacementPrior, cols: number, rows: number): Float64Array {
  const out = new Float64Array(cols * rows);
  const h2 = 2 * prior.bandwidth * prior.bandwidth;
  let max = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const x = (c + 0.5) / cols;
      const y = (r + 0.5) / rows;
      let v = 0;
      for (const e of prior.exemplars) v += Math.exp(-((x - e.centroid[0]) ** 2 + (y - e.centroid[1]) ** 2) / h2);
      out[r * cols + c] = v;
      if (v > max) max = v;
    }
  }
  if (max > 0) for (let i = 0; i < out.length; i++) out[i] /= max;
  return out;
}

/**
 * Summed-area tables of a target image's L*, a*, b* and L*² + a*² + b*²: the mean and pooled
 * spread of any box in O(1), so many candidate placements can be compared with the exemplar's
 * surroundings cheaply.
 */
export class AppearanceIndex {
  readonly width: number;
  readonly height: number;
  /** Image pixels per cell: the tables are built on step × step cell means (boxes are a few cells wide). */
  private readonly step: number;
  private readonly cols: number;
  private readonly rows: number;
  private readonly tables: Float64Array[];

  /** `maxSide`: the cells grid's longer side at most this (default 256), so an index stays small. */
  constructor(image: Raster, maxSide = 256) {
    this.width = image.width;
    this.height = image.height;
    this.step = Math.max(1, Math.ceil(Math.max(image.width, image.height) / maxSide));
    const full = rasterToLab(image);
    const st = this.step;
    const cw = Math.ceil(image.width / st);
    const chh = Math.ceil(image.height / st);
    this.cols = cw;
    this.rows = chh;
    const lab = { l: new Float64Array(cw * chh), a: new Float64Array(cw * chh), b: new Float64Array(cw * chh), s: new Float64Array(cw * chh) };
    const count = new Float64Array(cw * chh);
    for (let y = 0; y < image.height; y++) {
      for (let x = 0; x < image.width; x++) {
        const i = y * image.width + x;
        const k = Math.floor(y / st) * cw + Math.floor(x / st);
        lab.l[k] += full.l[i];
        lab.a[k] += full.a[i];
        lab.b[k] += full.b[i];
        lab.s[k] += full.l[i] ** 2 + full.a[i] ** 2 + full.b[i] ** 2;
        count[k]++;
      }
    }
    const w = cw;
    const W = w + 1;
    this.tables = [0, 1, 2, 3].map(() => new Float64Array(W * (chh + 1)));
    const [tl, ta, tb, t2] = this.tables;
    for (let y = 0; y < chh; y++) {
      let rl = 0;
      let ra = 0;
      let rb = 0;
      let r2 = 0;
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        const n = count[i];
        rl += lab.l[i] / n;
        ra += lab.a[i] / n;
        rb += lab.b[i] / n;
        r2 += lab.s[i] / n;
        const o = (y + 1) * W + x + 1;
        tl[o] = tl[o - W] + rl;
        ta[o] = ta[o - W] + ra;
        tb[o] = tb[o - W] + rb;
        t2[o] = t2[o - W] + r2;
      }
    }
  }

  /** Mean LAB and pooled spread of the box [x0, x1) × [y0, y1) (image pixels, rounded to cells), clipped to the image. */
  stats(x0: number, y0: number, x1: number, y1: number): { mean: Lab; std: number } {
    const st = this.step;
    const a = Math.max(0, Math.floor(x0 / st));
    const b = Math.max(0, Math.floor(y0 / st));
    const c = Math.min(this.cols, Math.max(a + 1, Math.ceil(x1 / st)));
    const d = Math.min(this.rows, Math.max(b + 1, Math.ceil(y1 / st)));
    const n = (c - a) * (d - b);
    if (n <= 0) return { mean: [50, 0, 0], std: 0 };
    const W = this.cols + 1;
    const sum = (t: Float64Array) => t[d * W + c] - t[b * W + c] - t[d * W + a] + t[b * W + a];
    const [tl, ta, tb, t2] = this.tables;
    const mean: Lab = [sum(tl) / n, sum(ta) / n, sum(tb) / n];
    const std = Math.sqrt(Math.max(0, sum(t2) / n - mean[0] ** 2 - mean[1] ** 2 - mean[2] ** 2));
    return { mean, std };
  }
}

/**
 * How unlike the exemplar's surroundings a box of the target looks: the colour difference in
 * units of the exemplar ring's spread (at least 3 ΔE, so a flat ring does not make every place
 * look wrong) plus the log ratio of the spreads (texture against flat surface).
 */
export function appearanceDistance(target: { mean: Lab; std: number }, ring: { mean: Lab; std: number }): number {
  const d = Math.hypot(target.mean[0] - ring.mean[0], target.mean[1] - ring.mean[1], target.mean[2] - ring.mean[2]);
  return d / Math.max(3, ring.std) + Math.abs(Math.log((target.std + 1) / (ring.std + 1)));
}
