import sharp from 'sharp';
import { openImage } from '../core/dataset/source';
import type { Mask, Raster } from '../core/image/raster';

/** Images larger than this are refused per item (sharp's limitInputPixels): 16k × 16k. */
export const MAX_INPUT_PIXELS = 16384 * 16384;

/**
 * Decodes an image file into the core's Raster: 8-bit (16-bit sources are rescaled by the
 * colourspace conversion), gray stays 1 channel, colour becomes RGB, alpha is dropped
 * (inspection images carry no meaningful transparency). BMP goes through our own reader.
 */
export async function loadRaster(file: string, limitInputPixels: number): Promise<Raster> {
  const src = await openImage(file, limitInputPixels);
  const colour = src.channels - (src.hasAlpha ? 1 : 0) >= 3;
  const pipeline = src.pipeline().removeAlpha().toColourspace(colour ? 'srgb' : 'b-w');
  const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: info.channels as Raster['channels'], data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/** Reads one of our own binarised mask blobs (1-channel 0/255 PNG). */
export async function loadMask(file: string): Promise<Mask> {
  const { data, info } = await sharp(file).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/** Encodes a core Mask as the 1-channel 0/255 PNG every mask blob is. */
export async function maskPng(mask: Mask): Promise<Buffer> {
  const data = Buffer.alloc(mask.width * mask.height);
  for (let i = 0; i < data.length; i++) data[i] = mask.data[i] ? 255 : 0;
  return sharp(data, { raw: { width: mask.width, height: mask.height, channels: 1 } }).png().toBuffer();
}

/** Encodes a core Raster (gray or colour, 8-bit) as a PNG. */
export async function rasterPng(r: Raster): Promise<Buffer> {
  return sharp(Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength), { raw: { width: r.width, height: r.height, channels: r.channels } })
    .toColourspace(r.channels <= 2 ? 'b-w' : 'srgb')
    .png()
    .toBuffer();
}
