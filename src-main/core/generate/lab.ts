/**
 * Private sRGB ⇄ CIE L*a*b* (D65) for the exemplar generator's colour adaptation.
 * Kept local so this module does not wait on `core/image/colour.ts`; the constants are the
 * same (IEC 61966-2-1 companding, sRGB primaries, D65 white), so it can be swapped for the
 * shared conversion without changing results beyond rounding.
 * A gray image is read as sRGB-encoded luminance: L* from Y, a* = b* = 0.
 */
import type { Raster } from '../image/raster';

const WHITE_X = 0.95047;
const WHITE_Z = 1.08883;
// CIE 1976: ε = (6/29)³, κ = (29/3)³.
const EPS = 216 / 24389;
const KAPPA = 24389 / 27;

const LINEAR_OF_CODE: Float64Array = (() => {
  const t = new Float64Array(256);
  for (let i = 0; i < 256; i++) {
    const c = i / 255;
    t[i] = c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }
  return t;
})();

function f(t: number): number {
  return t > EPS ? Math.cbrt(t) : (KAPPA * t + 16) / 116;
}

function fInv(v: number): number {
  const v3 = v * v * v;
  return v3 > EPS ? v3 : (116 * v - 16) / KAPPA;
}

/** Linear 0..1 → 8-bit code as a real number (not rounded, not clamped beyond 0..255). */
function encode(c: number): number {
  const v = c <= 0.0031308 ? 12.92 * c : 1.055 * Math.pow(Math.max(c, 0), 1 / 2.4) - 0.055;
  return Math.min(255, Math.max(0, v * 255));
}

/** L* of one 8-bit gray code. */
export function grayToL(code: number): number {
  return 116 * f(LINEAR_OF_CODE[code]) - 16;
}

/** 8-bit gray value (real, clamped to 0..255) whose L* is `l`. */
export function lToGray(l: number): number {
  return encode(fInv((l + 16) / 116));
}

/** Writes L*, a*, b* of one 8-bit sRGB pixel into out[o..o+2]. */
export function rgbToLabInto(r: number, g: number, b: number, out: Float64Array, o: number): void {
  const lr = LINEAR_OF_CODE[r];
  const lg = LINEAR_OF_CODE[g];
  const lb = LINEAR_OF_CODE[b];
  const fx = f((0.4124564 * lr + 0.3575761 * lg + 0.1804375 * lb) / WHITE_X);
  const fy = f(0.2126729 * lr + 0.7151522 * lg + 0.072175 * lb);
  const fz = f((0.0193339 * lr + 0.119192 * lg + 0.9503041 * lb) / WHITE_Z);
  out[o] = 116 * fy - 16;
  out[o + 1] = 500 * (fx - fy);
  out[o + 2] = 200 * (fy - fz);
}

/** Writes real-valued 8-bit sRGB (clamped to 0..255) of one L*a*b* colour into out[o..o+2]. */
export function labToRgbInto(l: number, a: number, b: number, out: Float64Array, o: number): void {
  const fy = (l + 16) / 116;
  const x = fInv(fy + a / 500) * WHITE_X;
  const y = fInv(fy);
  const z = fInv(fy - b / 200) * WHITE_Z;
  out[o] = encode(3.2404542 * x - 1.5371385 * y - 0.4985314 * z);
  out[o + 1] = encode(-0.969266 * x + 1.8760108 * y + 0.041556 * z);
  out[o + 2] = encode(0.0556434 * x - 0.2040259 * y + 1.0572252 * z);
}

/** Number of colour (non-alpha) channels: 1 for gray and gray+alpha, 3 for RGB and RGBA. */
export function colourChannels(r: Raster): 1 | 3 {
  return r.channels >= 3 ? 3 : 1;
}

/**
 * LAB of a rectangle of a raster, interleaved 3 values per pixel, row-major over the
 * rectangle [x0, x0+w) × [y0, y0+h) (which must lie inside the raster).
 */
export function rasterToLab(r: Raster, x0: number, y0: number, w: number, h: number): Float64Array {
  const out = new Float64Array(w * h * 3);
  const ch = r.channels;
  const rgb = colourChannels(r) === 3;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const s = ((y0 + y) * r.width + (x0 + x)) * ch;
      const o = (y * w + x) * 3;
      if (rgb) rgbToLabInto(r.data[s], r.data[s + 1], r.data[s + 2], out, o);
      else {
        out[o] = grayToL(r.data[s]);
        out[o + 1] = 0;
        out[o + 2] = 0;
      }
    }
  }
  return out;
}
