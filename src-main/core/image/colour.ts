/**
 * sRGB (8-bit, IEC 61966-2-1) ⇄ linear RGB ⇄ CIE XYZ ⇄ CIE L*a*b*, D65 reference white.
 * Shared by clustering features (METHOD.md §1, colour block) and the exemplar generator's
 * LAB colour adaptation (§2b), so both see the same LAB for the same pixel.
 */
import type { Raster } from './raster';

/** D65 white point, Y normalised to 1 (CIE 1931 2° observer, as used by sRGB). */
export const D65_WHITE: readonly [number, number, number] = [0.95047, 1.0, 1.08883];

/** sRGB companding inverse for one channel in 0..1. */
export function srgbToLinear(c: number): number {
  return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
}

/** sRGB companding for one linear channel in 0..1 (not clamped). */
export function linearToSrgb(c: number): number {
  return c <= 0.0031308 ? 12.92 * c : 1.055 * Math.pow(c, 1 / 2.4) - 0.055;
}

/** Linear value of each 8-bit sRGB code; a table because every pixel needs three of them. */
export const SRGB8_TO_LINEAR: Float64Array = (() => {
  const t = new Float64Array(256);
  for (let i = 0; i < 256; i++) t[i] = srgbToLinear(i / 255);
  return t;
})();

// CIE 1976 L*a*b* constants: ε = (6/29)³, κ = (29/3)³.
const LAB_EPS = 216 / 24389;
const LAB_KAPPA = 24389 / 27;

function labF(t: number): number {
  return t > LAB_EPS ? Math.cbrt(t) : (LAB_KAPPA * t + 16) / 116;
}

function labFInv(f: number): number {
  const f3 = f * f * f;
  return f3 > LAB_EPS ? f3 : (116 * f - 16) / LAB_KAPPA;
}

/** Linear sRGB (0..1) → XYZ (Y of white = 1), the sRGB/BT.709 primaries matrix. */
export function linearRgbToXyz(r: number, g: number, b: number): [number, number, number] {
  return [
    0.4124564 * r + 0.3575761 * g + 0.1804375 * b,
    0.2126729 * r + 0.7151522 * g + 0.072175 * b,
    0.0193339 * r + 0.119192 * g + 0.9503041 * b,
  ];
}

export function xyzToLinearRgb(x: number, y: number, z: number): [number, number, number] {
  return [
    3.2404542 * x - 1.5371385 * y - 0.4985314 * z,
    -0.969266 * x + 1.8760108 * y + 0.041556 * z,
    0.0556434 * x - 0.2040259 * y + 1.0572252 * z,
  ];
}

export function xyzToLab(x: number, y: number, z: number): [number, number, number] {
  const fx = labF(x / D65_WHITE[0]);
  const fy = labF(y / D65_WHITE[1]);
  const fz = labF(z / D65_WHITE[2]);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

export function labToXyz(l: number, a: number, b: number): [number, number, number] {
  const fy = (l + 16) / 116;
  const fx = fy + a / 500;
  const fz = fy - b / 200;
  return [labFInv(fx) * D65_WHITE[0], labFInv(fy) * D65_WHITE[1], labFInv(fz) * D65_WHITE[2]];
}

/** L* of a relative luminance Y (white = 1). */
export function luminanceToL(y: number): number {
  return 116 * labF(y) - 16;
}

/** Relative luminance Y (white = 1) of a lightness L*. */
export function lToLuminance(l: number): number {
  return labFInv((l + 16) / 116);
}

/** Writes L*, a*, b* of one 8-bit sRGB pixel into out[o], out[o + 1], out[o + 2] (no allocation per pixel). */
export function srgb8ToLabInto(r: number, g: number, b: number, out: Float64Array, o: number): void {
  const lr = SRGB8_TO_LINEAR[r];
  const lg = SRGB8_TO_LINEAR[g];
  const lb = SRGB8_TO_LINEAR[b];
  const fx = labF((0.4124564 * lr + 0.3575761 * lg + 0.1804375 * lb) / D65_WHITE[0]);
  const fy = labF(0.2126729 * lr + 0.7151522 * lg + 0.072175 * lb);
  const fz = labF((0.0193339 * lr + 0.119192 * lg + 0.9503041 * lb) / D65_WHITE[2]);
  out[o] = 116 * fy - 16;
  out[o + 1] = 500 * (fx - fy);
  out[o + 2] = 200 * (fy - fz);
}

/**
 * Writes the 8-bit sRGB of one L*a*b* colour into out[o..o+2] as real values clamped to
 * 0..255, not rounded: the Poisson blend solves on them before its own rounding.
 */
export function labToSrgbInto(l: number, a: number, b: number, out: Float64Array, o: number): void {
  const [x, y, z] = labToXyz(l, a, b);
  const [lr, lg, lb] = xyzToLinearRgb(x, y, z);
  out[o] = Math.min(255, Math.max(0, linearToSrgb(lr) * 255));
  out[o + 1] = Math.min(255, Math.max(0, linearToSrgb(lg) * 255));
  out[o + 2] = Math.min(255, Math.max(0, linearToSrgb(lb) * 255));
}

/** 8-bit sRGB → L* (0..100), a*, b*. */
export function srgb8ToLab(r: number, g: number, b: number): [number, number, number] {
  const [x, y, z] = linearRgbToXyz(SRGB8_TO_LINEAR[r], SRGB8_TO_LINEAR[g], SRGB8_TO_LINEAR[b]);
  return xyzToLab(x, y, z);
}

/** L*a*b* → 8-bit sRGB, rounded and clamped to the gamut cube. */
export function labToSrgb8(l: number, a: number, b: number): [number, number, number] {
  const [x, y, z] = labToXyz(l, a, b);
  const rgb = xyzToLinearRgb(x, y, z);
  return rgb.map((c) => Math.min(255, Math.max(0, Math.round(linearToSrgb(c) * 255)))) as [number, number, number];
}

/** A rectangle of a raster, in pixels: [x0, x1) × [y0, y1). */
export interface PixelRect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Planar L*, a*, b* of a rectangle of a raster (row-major within the rectangle). */
export interface LabPlanes {
  width: number;
  height: number;
  l: Float64Array;
  a: Float64Array;
  b: Float64Array;
}

/**
 * L* of each 8-bit gray code, through the same Y row as the RGB path (it sums to
 * 1.0000001, not 1) so a gray raster and its RGB copy get the same L*.
 */
const GRAY8_TO_L: Float64Array = (() => {
  const t = new Float64Array(256);
  const ySum = 0.2126729 + 0.7151522 + 0.072175;
  for (let i = 0; i < 256; i++) t[i] = 116 * labF(SRGB8_TO_LINEAR[i] * ySum) - 16;
  return t;
})();

/**
 * LAB of every pixel of `rect` (whole raster when omitted). Gray (1 channel) and
 * gray+alpha (2) rasters are neutral: a* = b* = 0 exactly. Alpha is ignored.
 */
export function rasterToLab(raster: Raster, rect?: PixelRect): LabPlanes {
  const r = rect ?? { x0: 0, y0: 0, x1: raster.width, y1: raster.height };
  const w = r.x1 - r.x0;
  const h = r.y1 - r.y0;
  const n = w * h;
  const out: LabPlanes = { width: w, height: h, l: new Float64Array(n), a: new Float64Array(n), b: new Float64Array(n) };
  const ch = raster.channels;
  const d = raster.data;
  const lab = new Float64Array(3);
  for (let y = 0; y < h; y++) {
    let src = ((r.y0 + y) * raster.width + r.x0) * ch;
    let dst = y * w;
    if (ch < 3) {
      for (let x = 0; x < w; x++, src += ch, dst++) out.l[dst] = GRAY8_TO_L[d[src]];
      continue;
    }
    for (let x = 0; x < w; x++, src += ch, dst++) {
      srgb8ToLabInto(d[src], d[src + 1], d[src + 2], lab, 0);
      out.l[dst] = lab[0];
      out.a[dst] = lab[1];
      out.b[dst] = lab[2];
    }
  }
  return out;
}
