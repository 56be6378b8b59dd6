/** Reading the images and masks an export is handed: PNG bytes to write, sizes, and binarised masks. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { decodeBmp } from '../dataset/bmp';
import { describeFailure } from '../dataset/source';
import { binariseMask, encodeMaskPng } from '../dataset/mask';
import type { Mask } from '../image/raster';
import { ExportError, type ExportImageSource } from './types';

/** sharp's own default pixel limit: a decompression bomb is refused, any real inspection image passes. */
const PIXEL_LIMIT = 268_402_689;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngImage {
  png: Buffer;
  width: number;
  height: number;
}

export function describeSource(src: ExportImageSource): string {
  return 'path' in src ? src.path : '<image bytes>';
}

async function readBytes(src: ExportImageSource): Promise<Buffer> {
  if (!('path' in src)) return src.png;
  try {
    return await readFile(src.path);
  } catch (e) {
    throw unreadable(src, e);
  }
}

function unreadable(src: ExportImageSource, e: unknown): ExportError {
  return new ExportError('source-unreadable', `cannot read ${describeSource(src)}: ${describeFailure(e, PIXEL_LIMIT)}`);
}

function isBmp(src: ExportImageSource, bytes: Buffer): boolean {
  const named = 'path' in src && path.extname(src.path).toLowerCase() === '.bmp';
  return named || (bytes.length > 2 && bytes[0] === 0x42 && bytes[1] === 0x4d);
}

function pipelineOf(src: ExportImageSource, bytes: Buffer): Sharp {
  if (isBmp(src, bytes)) {
    const { width, height, channels, data } = decodeBmp(bytes);
    return sharp(data, { raw: { width, height, channels }, limitInputPixels: PIXEL_LIMIT });
  }
  return sharp(bytes, { limitInputPixels: PIXEL_LIMIT });
}

/**
 * The image as PNG bytes. A PNG is written byte for byte (its pixels, depth and colour type
 * untouched); anything else is converted losslessly from its decoded pixels.
 */
export async function loadPng(src: ExportImageSource): Promise<PngImage> {
  const bytes = await readBytes(src);
  try {
    if (src.mirror || src.flip) {
      const { data, info } = await oriented(src, pipelineOf(src, bytes)).png().toBuffer({ resolveWithObject: true });
      return { png: data, width: info.width, height: info.height };
    }
    if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
      const meta = await sharp(bytes, { limitInputPixels: PIXEL_LIMIT }).metadata();
      return { png: bytes, width: meta.width, height: meta.height };
    }
    const { data, info } = await pipelineOf(src, bytes).png().toBuffer({ resolveWithObject: true });
    return { png: data, width: info.width, height: info.height };
  } catch (e) {
    throw unreadable(src, e);
  }
}

/**
 * METHOD.md §0: on where the gray value is ≥ half the mask's maximum, at the file's own depth.
 * Transparency is background; a colour mask takes its brightest channel.
 */
export async function loadMask(src: ExportImageSource): Promise<Mask> {
  const bytes = await readBytes(src);
  try {
    const pipeline = pipelineOf(src, bytes);
    const meta = await pipeline.metadata();
    const wide = meta.depth === 'ushort';
    let p = oriented(src, pipeline.clone());
    if (meta.hasAlpha) p = p.flatten({ background: { r: 0, g: 0, b: 0 } });
    const { data, info } = await p.raw({ depth: wide ? 'ushort' : 'uchar' }).toBuffer({ resolveWithObject: true });
    const samples = wide
      ? new Uint16Array(data.buffer, data.byteOffset, data.length / 2)
      : new Uint8Array(data.buffer, data.byteOffset, data.length);
    const n = info.width * info.height;
    const channels = info.channels;
    const values = wide ? new Uint16Array(n) : new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      let m = 0;
      for (let c = 0; c < channels; c++) m = Math.max(m, samples[i * channels + c]);
      values[i] = m;
    }
    return { width: info.width, height: info.height, data: binariseMask(values).data };
  } catch (e) {
    throw unreadable(src, e);
  }
}

/** The source's mirror (left-right) and flip (upside down) applied. */
function oriented(src: ExportImageSource, p: Sharp): Sharp {
  let out = p;
  if (src.mirror) out = out.flop();
  if (src.flip) out = out.flip();
  return out;
}

export function maskPng(mask: Mask): Promise<Buffer> {
  return encodeMaskPng(mask.data, mask.width, mask.height);
}
