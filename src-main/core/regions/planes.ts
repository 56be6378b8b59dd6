import type { Raster } from '../image/raster';

/**
 * Float image planes (row-major, one value per pixel) and the few operations on them that
 * registration and the pixel classifier share: gray conversion, separable Gaussian
 * smoothing, bilinear sampling and resampling.
 */

export interface Plane {
  width: number;
  height: number;
  data: Float64Array;
}

/** Rec. 601 luma of an 8-bit raster, 0..255 (alpha ignored). */
export function grayPlane(raster: Raster): Plane {
  const { width, height, channels, data } = raster;
  const out = new Float64Array(width * height);
  if (channels < 3) {
    for (let i = 0; i < out.length; i++) out[i] = data[i * channels];
  } else {
    for (let i = 0, j = 0; i < out.length; i++, j += channels) out[i] = 0.299 * data[j] + 0.587 * data[j + 1] + 0.114 * data[j + 2];
  }
  return { width, height, data: out };
}

function gaussianKernel(sigma: number): Float64Array {
  const r = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) {
    k[i + r] = Math.exp((-i * i) / (2 * sigma * sigma));
    sum += k[i + r];
  }
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  return k;
}

/**
 * Box widths whose three passes approximate a Gaussian of σ (Kovesi 2010, "Fast almost-Gaussian
 * filtering"): widths wl and wl + 2, the first m passes with wl.
 */
function boxesForGauss(sigma: number): number[] {
  const ideal = Math.sqrt(4 * sigma * sigma + 1);
  let wl = Math.floor(ideal);
  if (wl % 2 === 0) wl--;
  const wu = wl + 2;
  const m = Math.round((12 * sigma * sigma - 3 * wl * wl - 12 * wl - 9) / (-4 * wl - 4));
  return [0, 1, 2].map((i) => (i < m ? wl : wu));
}

/** One running-sum box pass of odd width along rows (dir = 'x') or columns, border replicated. */
function boxPass(src: Float64Array, dst: Float64Array, w: number, h: number, width: number, dir: 'x' | 'y'): void {
  const r = (width - 1) >> 1;
  const len = dir === 'x' ? w : h;
  const lines = dir === 'x' ? h : w;
  const step = dir === 'x' ? 1 : w;
  const inv = 1 / width;
  for (let l = 0; l < lines; l++) {
    const base = dir === 'x' ? l * w : l;
    const last = len - 1;
    let sum = 0;
    for (let i = -r; i <= r; i++) sum += src[base + (i < 0 ? 0 : i > last ? last : i) * step];
    for (let i = 0; i < len; i++) {
      dst[base + i * step] = sum * inv;
      const add = i + r + 1;
      const drop = i - r;
      sum += src[base + (add > last ? last : add) * step] - src[base + (drop < 0 ? 0 : drop) * step];
    }
  }
}

/** Above this σ, three box passes stand in for the Gaussian (cost no longer grows with σ). */
const BOX_SIGMA = 2.5;

/**
 * Separable Gaussian smoothing with a clamped (replicated) border; σ ≤ 0 returns a copy. Above
 * σ = 2.5 it is approximated by three box passes (within a few per cent of the kernel's weights).
 */
export function gaussianBlur(src: Float64Array, w: number, h: number, sigma: number): Float64Array {
  if (!(sigma > 0)) return src.slice();
  if (sigma > BOX_SIGMA) {
    const a = src.slice();
    const b = new Float64Array(w * h);
    for (const width of boxesForGauss(sigma)) {
      boxPass(a, b, w, h, width, 'x');
      boxPass(b, a, w, h, width, 'y');
    }
    return a;
  }
  const k = gaussianKernel(sigma);
  const r = (k.length - 1) / 2;
  const tmp = new Float64Array(w * h);
  const out = new Float64Array(w * h);
  const line = new Float64Array(w + 2 * r);
  // Each row is copied into a padded line once, so the tap loop has no clamping.
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let i = 0; i < w + 2 * r; i++) {
      const x = i - r;
      line[i] = src[row + (x < 0 ? 0 : x >= w ? w - 1 : x)];
    }
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let t = 0; t < k.length; t++) s += k[t] * line[x + t];
      tmp[row + x] = s;
    }
  }
  // Columns are summed a whole row at a time (tap by tap into the zeroed output row), reading rows
  // in memory order; each value still adds its taps in the same order, so the sums are the same.
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let t = 0; t < k.length; t++) {
      const yy = y + t - r;
      const from = (yy < 0 ? 0 : yy >= h ? h - 1 : yy) * w;
      const kt = k[t];
      for (let x = 0; x < w; x++) out[row + x] += kt * tmp[from + x];
    }
  }
  return out;
}

/**
 * Bilinear sample at (x, y), pixel centres on integer coordinates; `outside` where the
 * point is more than half a pixel beyond the plane, the clamped border value in that half pixel.
 */
export function sampleBilinear(src: Float64Array, w: number, h: number, x: number, y: number, outside: number): number {
  if (x < -0.5 || y < -0.5 || x > w - 0.5 || y > h - 0.5) return outside;
  const cx = x < 0 ? 0 : x > w - 1 ? w - 1 : x;
  const cy = y < 0 ? 0 : y > h - 1 ? h - 1 : y;
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = x0 + 1 < w ? x0 + 1 : x0;
  const y1 = y0 + 1 < h ? y0 + 1 : y0;
  const fx = cx - x0;
  const fy = cy - y0;
  const top = src[y0 * w + x0] + fx * (src[y0 * w + x1] - src[y0 * w + x0]);
  const bottom = src[y1 * w + x0] + fx * (src[y1 * w + x1] - src[y1 * w + x0]);
  return top + fy * (bottom - top);
}

/**
 * Resamples a plane to w2×h2 (pixel-area alignment: output pixel centre (i + 0.5)·w/w2 − 0.5),
 * smoothing first when shrinking so that fine texture does not alias.
 */
export function resamplePlane(src: Float64Array, w: number, h: number, w2: number, h2: number): Float64Array {
  const fx = w / w2;
  const fy = h / h2;
  const shrink = Math.max(fx, fy);
  const base = shrink > 1 ? gaussianBlur(src, w, h, 0.5 * Math.sqrt(shrink * shrink - 1)) : src;
  const out = new Float64Array(w2 * h2);
  for (let y = 0; y < h2; y++) {
    const sy = (y + 0.5) * fy - 0.5;
    for (let x = 0; x < w2; x++) out[y * w2 + x] = sampleBilinear(base, w, h, (x + 0.5) * fx - 0.5, sy, 0);
  }
  return out;
}
