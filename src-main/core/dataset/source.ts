/**
 * Opening one image file for decoding: header first (size, channels, depth, the pixel limit),
 * pixels only when a pipeline is run. Every failure becomes an ItemDecodeError whose reason a
 * user can act on.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { decodeBmp, readBmpHeader } from './bmp';
import { errorCode } from './files';

export class ItemDecodeError extends Error {
  override name = 'ItemDecodeError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

export interface ImageSource {
  file: string;
  width: number;
  height: number;
  channels: number;
  /** Bits per sample as stored (1, 8, 16 …). */
  bitDepth: number;
  hasAlpha: boolean;
  /** True when samples decode to 16 bits. */
  wide: boolean;
  /** A fresh sharp pipeline over the pixels, with the pixel limit set. */
  pipeline(): Sharp;
}

export async function openImage(file: string, limitInputPixels: number): Promise<ImageSource> {
  if (path.extname(file).toLowerCase() === '.bmp') return openBmp(file, limitInputPixels);
  let meta: Metadata;
  try {
    // Header only and no limit here, so an oversized image is named with its size below.
    meta = await sharp(file, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw new ItemDecodeError(file, describeFailure(e, limitInputPixels));
  }
  const { width, height } = meta;
  checkLimit(file, width, height, limitInputPixels);
  const wide = meta.depth === 'ushort';
  return {
    file,
    width,
    height,
    channels: meta.channels,
    bitDepth: meta.bitsPerSample ?? (wide ? 16 : 8),
    hasAlpha: meta.hasAlpha,
    wide,
    pipeline: () => sharp(file, { limitInputPixels }),
  };
}

async function openBmp(file: string, limitInputPixels: number): Promise<ImageSource> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new ItemDecodeError(file, describeFailure(e, limitInputPixels));
  }
  let pixels;
  try {
    const header = readBmpHeader(bytes);
    checkLimit(file, header.width, header.height, limitInputPixels);
    pixels = decodeBmp(bytes);
  } catch (e) {
    if (e instanceof ItemDecodeError) throw e;
    throw new ItemDecodeError(file, `not a readable BMP image: ${(e as Error).message}`);
  }
  const { width, height, channels, data } = pixels;
  return {
    file,
    width,
    height,
    channels,
    bitDepth: 8,
    hasAlpha: channels === 4,
    wide: false,
    pipeline: () => sharp(data, { raw: { width, height, channels }, limitInputPixels }),
  };
}

function checkLimit(file: string, width: number, height: number, limit: number): void {
  if (limit > 0 && width * height > limit) {
    throw new ItemDecodeError(
      file,
      `image is ${width}×${height} = ${width * height} pixels, over the pixel limit of ${limit} pixels`,
    );
  }
}

/** Runs a sharp step on `file`, turning its failure into an ItemDecodeError. */
export async function guarded<T>(file: string, limitInputPixels: number, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    throw new ItemDecodeError(file, describeFailure(e, limitInputPixels));
  }
}

export function describeFailure(e: unknown, limitInputPixels: number): string {
  const code = errorCode(e);
  const message = e instanceof Error ? e.message : String(e);
  if (code === 'ENOENT' || /input file is missing/i.test(message)) return 'file not found';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (/pixel limit/i.test(message)) return `image is over the pixel limit of ${limitInputPixels} pixels`;
  if (/unsupported image format/i.test(message)) {
    return 'not a readable image: the file is corrupt or not in a supported format';
  }
  if (/premature end|truncat|read error|corrupt|invalid|bad|crc|unexpected end/i.test(message)) {
    return `image data is truncated or corrupt (decoder: ${message.trim()})`;
  }
  return `cannot decode image (decoder: ${message.trim()})`;
}
