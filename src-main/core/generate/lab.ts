/**
 * The exemplar generator's view of CIE L*a*b* (D65): interleaved 3 values per pixel, as its
 * warping and colour adaptation want them. The conversions are the shared ones in
 * `core/image/colour.ts`.
 * A gray image is read as sRGB-encoded luminance: L* from Y, a* = b* = 0, with Y the code's
 * linear value itself, so lToGray inverts grayToL exactly. (The shared planar rasterToLab
 * takes Y through the RGB path's Y row, which sums to 1.0000001: its gray L* differs in the
 * 7th significant digit.)
 */
import { linearToSrgb, lToLuminance, luminanceToL, SRGB8_TO_LINEAR, srgb8ToLabInto } from '../image/colour';
import type { Raster } from '../image/raster';

/** L* of one 8-bit gray code. */
export function grayToL(code: number): number {
  return luminanceToL(SRGB8_TO_LINEAR[code]);
}

/** 8-bit gray value (real, clamped to 0..255) whose L* is `l`. */
export function lToGray(l: number): number {
  return Math.min(255, Math.max(0, linearToSrgb(lToLuminance(l)) * 255));
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
      if (rgb) srgb8ToLabInto(r.data[s], r.data[s + 1], r.data[s + 2], out, o);
      else {
        out[o] = grayToL(r.data[s]);
        out[o + 1] = 0;
        out[o + 2] = 0;
      }
    }
  }
  return out;
}
