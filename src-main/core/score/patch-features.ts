import type { Raster } from '../image/raster';
import { rasterToLab } from '../image/colour';
import { boxSum, integralImage, lbpCodes, LBP_BINS, ORIENTATION_BINS, orientationPlanes } from './texture';

/** Features on a regular grid of patches covering the image: patch (gx, gy) at data[(gy·gridW + gx)·dim]. */
export interface PatchGrid {
  gridW: number;
  gridH: number;
  dim: number;
  data: Float32Array;
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
}

export const DEFAULT_HANDCRAFTED: HandcraftedSettings = { stride: 8, scales: [1, 2, 4] };

/** Per scale: LAB mean (3) + LAB std (3) + orientation histogram + LBP histogram. */
const PER_SCALE = 6 + ORIENTATION_BINS + LBP_BINS;

/**
 * Multi-scale hand-crafted patch descriptor: at every grid cell and every scale, the LAB mean
 * and standard deviation, a magnitude-weighted 8-bin gradient-orientation histogram (mean
 * magnitude per bin, so contrast is kept) and the uniform LBP histogram (fractions), all over
 * a square window centred on the cell. Window sums come from integral images, so the cost is
 * linear in the pixels plus a constant per patch.
 */
export function createHandcraftedExtractor(settings: Partial<HandcraftedSettings> = {}): PatchFeatureExtractor {
  const s: HandcraftedSettings = { ...DEFAULT_HANDCRAFTED, ...settings };
  if (!(s.stride >= 1) || s.scales.length === 0) throw new RangeError('handcrafted extractor: bad stride or scales');
  const dim = PER_SCALE * s.scales.length;
  return {
    id: `handcrafted-v1:stride=${s.stride}:scales=${s.scales.join(',')}`,
    dim,
    extract: (image) => extractHandcrafted(image, s, dim),
  };
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
  const orient = orientationPlanes(lab.l, w, h).map((p) => integralImage(p, w, h));
  const codes = lbpCodes(lab.l, w, h);
  const lbp: Float64Array[] = [];
  for (let k = 0; k < LBP_BINS; k++) {
    const ind = new Uint8Array(w * h);
    for (let i = 0; i < codes.length; i++) if (codes[i] === k) ind[i] = 1;
    lbp.push(integralImage(ind, w, h));
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
        for (let k = 0; k < ORIENTATION_BINS; k++) data[o++] = boxSum(orient[k], w, x0, y0, x1, y1) / area;
        for (let k = 0; k < LBP_BINS; k++) data[o++] = boxSum(lbp[k], w, x0, y0, x1, y1) / area;
      }
    }
  }
  return { gridW, gridH, dim, data };
}
