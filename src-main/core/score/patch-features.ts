import type { Raster } from '../image/raster';
import { rasterToLab } from '../image/colour';
import { boxSum, integralImage, integralImagesOfCodes, lbpCodesAtRadius, LBP_BINS, ORIENTATION_BINS, orientationPlanes } from './texture';

/** Features on a regular grid of patches covering the image: patch (gx, gy) at data[(gy·gridW + gx)·dim]. */
export interface PatchGrid {
  gridW: number;
  gridH: number;
  dim: number;
  data: Float32Array;
}

/**
 * The cell of a `to`-cell axis that cell (or pixel) `g` of a `from`-cell axis falls in, both
 * spanning the same image: the grid of another image size, a model's grid, or a mask's pixels.
 */
export function gridCellOf(g: number, from: number, to: number): number {
  return from === to ? g : Math.min(to - 1, Math.floor(((g + 0.5) * to) / from));
}

/**
 * F_β of §3.4: maps an image to patch features. The built-in one is hand-crafted; an ONNX
 * backbone (e.g. WideResNet-50 layers 2+3) can implement the same shape. Extractors that must
 * run asynchronously produce `PatchGrid`s themselves and use the grid-level scorer API.
 */
export interface PatchFeatureExtractor {
  /** Identifies the extractor and its parameters; a trained scorer only accepts the same id. */
  readonly id: string;
  readonly dim: number;
  extract(image: Raster): PatchGrid;
}

export interface HandcraftedSettings {
  /** Pixels between patch centres (the grid is floor(side / stride) cells, at least 1). */
  stride: number;
  /** Window side of each scale, in multiples of the stride. */
  scales: readonly number[];
  /** Sobel tap spacings (pixels) of the gradient-orientation histograms: 1 = sharp edges, 2 = soft ones. */
  gradientSteps: readonly number[];
  /** Radii (pixels) of the uniform LBP histograms (P = 8 each). */
  lbpRadii: readonly number[];
}

/**
 * Two gradient scales and two LBP radii (issue 15): on real photographs a thin scratch or a soft
 * stain shows at one scale and not the other, and the demo's single scale missed them.
 */
export const DEFAULT_HANDCRAFTED: HandcraftedSettings = { stride: 8, scales: [1, 2, 4], gradientSteps: [1, 2], lbpRadii: [1, 2] };

/** The first built-in descriptor (one gradient scale, LBP radius 1), kept for stored scorers and comparisons. */
export const HANDCRAFTED_V1: HandcraftedSettings = { stride: 8, scales: [1, 2, 4], gradientSteps: [1], lbpRadii: [1] };

/** Per scale: LAB mean (3) + LAB std (3) + an orientation histogram per gradient step + an LBP histogram per radius. */
function perScale(s: HandcraftedSettings): number {
  return 6 + ORIENTATION_BINS * s.gradientSteps.length + LBP_BINS * s.lbpRadii.length;
}

/**
 * Multi-scale hand-crafted patch descriptor: at every grid cell and every window scale, the LAB
 * mean and standard deviation (the local contrast; a and b stay 0 on gray images), a
 * magnitude-weighted 8-bin gradient-orientation histogram per gradient step (mean magnitude per
 * bin, so contrast is kept) and a uniform LBP histogram per radius (fractions), all over a square
 * window centred on the cell. Window sums come from integral images, so the cost is linear in the
 * pixels plus a constant per patch.
 */
export function createHandcraftedExtractor(settings: Partial<HandcraftedSettings> = {}): PatchFeatureExtractor {
  const s: HandcraftedSettings = { ...DEFAULT_HANDCRAFTED, ...settings };
  if (!(s.stride >= 1) || s.scales.length === 0) throw new RangeError('handcrafted extractor: bad stride or scales');
  if (s.gradientSteps.length === 0 || s.lbpRadii.length === 0 || ![...s.gradientSteps, ...s.lbpRadii].every((v) => Number.isInteger(v) && v >= 1)) {
    throw new RangeError('handcrafted extractor: gradient steps and LBP radii must be integers ≥ 1');
  }
  const dim = perScale(s) * s.scales.length;
  const v1 = s.gradientSteps.length === 1 && s.gradientSteps[0] === 1 && s.lbpRadii.length === 1 && s.lbpRadii[0] === 1;
  const id = v1
    ? `handcrafted-v1:stride=${s.stride}:scales=${s.scales.join(',')}`
    : `handcrafted-v2:stride=${s.stride}:scales=${s.scales.join(',')}:grad=${s.gradientSteps.join(',')}:lbp=${s.lbpRadii.join(',')}`;
  return { id, dim, extract: (image) => extractHandcrafted(image, s, dim) };
}

function extractHandcrafted(image: Raster, s: HandcraftedSettings, dim: number): PatchGrid {
  const { width: w, height: h } = image;
  const lab = rasterToLab(image);
  const channels = [lab.l, lab.a, lab.b];
  const sums = channels.map((c) => integralImage(c, w, h));
  const squares = channels.map((c) => {
    const sq = new Float64Array(c.length);
    for (let i = 0; i < c.length; i++) sq[i] = c[i] * c[i];
    return integralImage(sq, w, h);
  });
  const orient = s.gradientSteps.flatMap((step) => orientationPlanes(lab.l, w, h, step).map((p) => integralImage(p, w, h)));
  const lbp: Int32Array[] = [];
  for (const radius of s.lbpRadii) {
    lbp.push(...integralImagesOfCodes(lbpCodesAtRadius(lab.l, w, h, radius), w, h, LBP_BINS));
  }

  const gridW = Math.max(1, Math.floor(w / s.stride));
  const gridH = Math.max(1, Math.floor(h / s.stride));
  const cellW = w / gridW;
  const cellH = h / gridH;
  const data = new Float32Array(gridW * gridH * dim);
  for (let gy = 0; gy < gridH; gy++) {
    const cy = (gy + 0.5) * cellH;
    for (let gx = 0; gx < gridW; gx++) {
      const cx = (gx + 0.5) * cellW;
      let o = (gy * gridW + gx) * dim;
      for (const scale of s.scales) {
        const half = (scale * s.stride) / 2;
        const x0 = Math.max(0, Math.round(cx - half));
        const x1 = Math.min(w, Math.max(x0 + 1, Math.round(cx + half)));
        const y0 = Math.max(0, Math.round(cy - half));
        const y1 = Math.min(h, Math.max(y0 + 1, Math.round(cy + half)));
        const area = (x1 - x0) * (y1 - y0);
        for (let c = 0; c < 3; c++) {
          const mean = boxSum(sums[c], w, x0, y0, x1, y1) / area;
          const meanSq = boxSum(squares[c], w, x0, y0, x1, y1) / area;
          data[o + c] = mean;
          data[o + 3 + c] = Math.sqrt(Math.max(0, meanSq - mean * mean));
        }
        o += 6;
        for (const plane of orient) data[o++] = boxSum(plane, w, x0, y0, x1, y1) / area;
        for (const plane of lbp) data[o++] = boxSum(plane, w, x0, y0, x1, y1) / area;
      }
    }
  }
  return { gridW, gridH, dim, data };
}
