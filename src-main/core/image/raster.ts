/**
 * The one in-memory image type every core stage exchanges.
 * Pixels are interleaved, row-major, 8-bit unless a stage says otherwise.
 */
export interface Raster {
  width: number;
  height: number;
  /** 1 = gray, 3 = RGB, 4 = RGBA. */
  channels: 1 | 2 | 3 | 4;
  data: Uint8Array;
}

/** A binary mask: one byte per pixel, 0 = off, anything else = on (stored as 0/255 by convention). */
export interface Mask {
  width: number;
  height: number;
  data: Uint8Array;
}

export function createRaster(width: number, height: number, channels: Raster['channels']): Raster {
  return { width, height, channels, data: new Uint8Array(width * height * channels) };
}

export function createMask(width: number, height: number): Mask {
  return { width, height, data: new Uint8Array(width * height) };
}

/** Number of "on" pixels. */
export function maskArea(mask: Mask): number {
  let n = 0;
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i] !== 0) n++;
  return n;
}
