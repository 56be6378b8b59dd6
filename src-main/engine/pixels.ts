import sharp from 'sharp';
import { openImage } from '../core/dataset/source';
import type { Mask, Raster } from '../core/image/raster';

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
