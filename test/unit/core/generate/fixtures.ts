/** Small synthetic images and masks for the generator tests. */
import type { Mask, Raster } from '../../../../src-main/core/image/raster';
import type { Point } from '../../../../src-main/core/masks/transform';
import { createRng } from '../../../../src-main/core/random';

/** A seeded uniform stream in [0, 1). */
export function random(seed: number): () => number {
  return createRng(seed).next;
}

export function filled(width: number, height: number, channels: Raster['channels'], value: (x: number, y: number, c: number) => number): Raster {
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) data[(y * width + x) * channels + c] = Math.max(0, Math.min(255, Math.round(value(x, y, c))));
    }
  }
  return { width, height, channels, data };
}

export function maskWhere(width: number, height: number, on: (x: number, y: number) => boolean): Mask {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (on(x, y)) data[y * width + x] = 255;
  return { width, height, data };
}

export function disc(width: number, height: number, cx: number, cy: number, r: number): Mask {
  return maskWhere(width, height, (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r);
}

/** Even-odd rule at pixel centres. */
export function polygonMask(width: number, height: number, poly: Point[]): Mask {
  return maskWhere(width, height, (x, y) => {
    let inside = false;
    for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
      const [xi, yi] = poly[i];
      const [xj, yj] = poly[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  });
}

export function centroid(mask: Mask): Point {
  let sx = 0;
  let sy = 0;
  let n = 0;
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      if (mask.data[y * mask.width + x] === 0) continue;
      sx += x;
      sy += y;
      n++;
    }
  }
  return [sx / n, sy / n];
}

/** Pixel values of channel c where `mask` is on. */
export function valuesIn(r: Raster, mask: Mask, c = 0): number[] {
  const out: number[] = [];
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i] !== 0) out.push(r.data[i * r.channels + c]);
  return out;
}

export function mean(v: number[]): number {
  return v.reduce((s, x) => s + x, 0) / v.length;
}

// CIE L* of an sRGB-encoded gray code and back, written out here from the standard's
// formulas so colour-adaptation expectations do not depend on the generator's own code.
export function lightnessOfGray(code: number): number {
  const c = code / 255;
  const y = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  return y > 216 / 24389 ? 116 * Math.cbrt(y) - 16 : (24389 / 27) * y;
}

export function grayOfLightness(l: number): number {
  const y = l > 8 ? ((l + 16) / 116) ** 3 : l / (24389 / 27);
  const c = y <= 0.0031308 ? 12.92 * y : 1.055 * y ** (1 / 2.4) - 0.055;
  return c * 255;
}
