import { rasterToLab } from '../image/colour';
import type { Raster } from '../image/raster';
import { riu2Code } from '../features/lbp';
import { gaussianBlur, resamplePlane } from './planes';

/**
 * The per-pixel filter bank of the few-shot pixel classifier, after ilastik's pixel
 * classification (Berg et al., Nature Methods 2019): colour, edge and texture filters at a few
 * scales, computed on a working copy whose longer side is fixed, so that images of one
 * category at different sizes see their product at the same scale.
 */

export interface FilterBank {
  width: number;
  height: number;
  /** Working pixels per source pixel (same on both axes up to rounding). */
  factor: number;
  names: string[];
  planes: Float32Array[];
}

/** Working size of a w×h image: longer side = workSide. */
export function workSize(w: number, h: number, workSide: number): { width: number; height: number; factor: number } {
  const factor = workSide / Math.max(w, h);
  return { width: Math.max(1, Math.round(w * factor)), height: Math.max(1, Math.round(h * factor)), factor };
}

const P8: readonly [number, number][] = [[1, 0], [1, -1], [0, -1], [-1, -1], [-1, 0], [-1, 1], [0, 1], [1, 1]];

function gradientMagnitude(src: Float64Array, w: number, h: number): Float64Array {
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++) {
    const ym = y > 0 ? y - 1 : 0;
    const yp = y < h - 1 ? y + 1 : h - 1;
    for (let x = 0; x < w; x++) {
      const xm = x > 0 ? x - 1 : 0;
      const xp = x < w - 1 ? x + 1 : w - 1;
      const gx = (src[y * w + xp] - src[y * w + xm]) / 2;
      const gy = (src[yp * w + x] - src[ym * w + x]) / 2;
      out[y * w + x] = Math.sqrt(gx * gx + gy * gy);
    }
  }
  return out;
}

/** riu2 code (0..9) of the 3×3 neighbourhood of every pixel (border replicated). */
function lbpCodes(src: Float64Array, w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h);
  const bits = new Uint8Array(8);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const c = src[y * w + x];
      for (let p = 0; p < 8; p++) {
        const xx = Math.min(w - 1, Math.max(0, x + P8[p][0]));
        const yy = Math.min(h - 1, Math.max(0, y + P8[p][1]));
        bits[p] = src[yy * w + xx] >= c ? 1 : 0;
      }
      out[y * w + x] = riu2Code(bits);
    }
  }
  return out;
}

/**
 * The filter bank of one image: L*a*b* at σ = 0, 1, 2.5; gradient magnitude of L* at σ = 1,
 * 2.5; differences of Gaussians (σ 1−2.5, 2.5−5); local standard deviation of L* at σ = 2.5, 5;
 * and the local histogram (σ = 3) of the riu2 LBP code — all in working pixels. Colour is
 * normalised by the image's mean lightness first, so a global exposure change moves no feature.
 */
export function computeFilterBank(raster: Raster, workSide: number): FilterBank {
  const { width: w, height: h, factor } = workSize(raster.width, raster.height, workSide);
  const lab = rasterToLab(raster);
  const n = w * h;
  const L = resamplePlane(lab.l, raster.width, raster.height, w, h);
  const A = resamplePlane(lab.a, raster.width, raster.height, w, h);
  const B = resamplePlane(lab.b, raster.width, raster.height, w, h);
  // L* + 16 ∝ Y^(1/3), and a*, b* scale with the same cube root, so dividing by the mean of
  // L* + 16 undoes a gain on linear light.
  let mean = 0;
  for (let i = 0; i < n; i++) mean += L[i] + 16;
  const gain = mean > 0 ? (66 * n) / mean : 1;
  for (let i = 0; i < n; i++) {
    L[i] = (L[i] + 16) * gain - 16;
    A[i] *= gain;
    B[i] *= gain;
  }
  const names: string[] = [];
  const planes: Float32Array[] = [];
  const add = (name: string, p: ArrayLike<number>) => {
    names.push(name);
    planes.push(Float32Array.from(p));
  };
  const blurred: Record<string, Float64Array> = {};
  for (const sigma of [0, 1, 2.5, 5]) {
    const l = gaussianBlur(L, w, h, sigma);
    blurred[sigma] = l;
    if (sigma === 5) continue;
    add(`L σ${sigma}`, l);
    add(`a σ${sigma}`, gaussianBlur(A, w, h, sigma));
    add(`b σ${sigma}`, gaussianBlur(B, w, h, sigma));
  }
  add('|∇L| σ1', gradientMagnitude(blurred[1], w, h));
  add('|∇L| σ2.5', gradientMagnitude(blurred[2.5], w, h));
  add('DoG σ1−2.5', Float64Array.from(blurred[1], (v, i) => v - blurred[2.5][i]));
  add('DoG σ2.5−5', Float64Array.from(blurred[2.5], (v, i) => v - blurred[5][i]));
  const sq = Float64Array.from(L, (v) => v * v);
  for (const sigma of [2.5, 5]) {
    const m2 = gaussianBlur(sq, w, h, sigma);
    const m1 = sigma === 5 ? blurred[5] : blurred[2.5];
    add(`std L σ${sigma}`, Float64Array.from(m2, (v, i) => Math.sqrt(Math.max(0, v - m1[i] * m1[i]))));
  }
  const codes = lbpCodes(L, w, h);
  const onehot = new Float64Array(n);
  for (let code = 0; code < 10; code++) {
    for (let i = 0; i < n; i++) onehot[i] = codes[i] === code ? 1 : 0;
    add(`LBP riu2=${code} σ3`, gaussianBlur(onehot, w, h, 3));
  }
  return { width: w, height: h, factor, names, planes };
}
