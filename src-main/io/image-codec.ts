/**
 * The image codec (sharp/libvips, plus the core's BMP reader): the one place image files and
 * bytes are decoded into the core's plain pixels and encoded back, under one pixel limit.
 * Every decode goes through `openImage`: header first (size, channels, depth, the limit), pixels
 * only when a step needs them; every failure becomes an ItemDecodeError a user can act on.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { decodeBmp, readBmpHeader } from '../core/dataset/bmp';
import { ItemDecodeError } from '../core/dataset/types';
import type { Mask, Raster } from '../core/image/raster';

/**
 * Images with more pixels than this are refused (16k × 16k): a decompression bomb is refused,
 * any real inspection image passes. The only pixel limit in the app.
 */
export const MAX_INPUT_PIXELS = 16384 * 16384;

/** An image file, or bytes already in memory (named, when known, for BMP detection and messages). */
export type ImageInput = string | { bytes: Buffer; name?: string };

export interface ImageSource {
  /** The file, or the name given with the bytes (`<image bytes>` when none). */
  file: string;
  width: number;
  height: number;
  channels: number;
  /** Bits per sample as stored (1, 8, 16 …). */
  bitDepth: number;
  hasAlpha: boolean;
  /** True when samples decode to 16 bits. */
  wide: boolean;
  /**
   * The file's EXIF orientation tag (1 when it has none). It is never applied: the project's one
   * orientation is the pixels as stored, the one the dataset's masks were drawn on, which every
   * decode, thumbnail, served image and export uses (issue 12, item 7).
   */
  orientation: number;
  /** The limit this source was opened under. */
  limitInputPixels: number;
  /** A fresh sharp pipeline over the pixels, with the pixel limit set. */
  pipeline(): Sharp;
}

function labelOf(input: ImageInput): string {
  return typeof input === 'string' ? input : (input.name ?? '<image bytes>');
}

function isBmp(input: ImageInput): boolean {
  const named = path.extname(labelOf(input)).toLowerCase() === '.bmp';
  if (typeof input === 'string') return named;
  const b = input.bytes;
  return named || (b.length > 2 && b[0] === 0x42 && b[1] === 0x4d);
}

/** Opens an image for decoding; throws ItemDecodeError when it cannot be read or is over the limit. */
export async function openImage(input: ImageInput, limitInputPixels = MAX_INPUT_PIXELS): Promise<ImageSource> {
  const file = labelOf(input);
  if (isBmp(input)) return openBmp(input, file, limitInputPixels);
  const data = typeof input === 'string' ? input : input.bytes;
  let meta: Metadata;
  try {
    // Header only and no limit here, so an oversized image is named with its size below.
    meta = await sharp(data, { limitInputPixels: false }).metadata();
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
    orientation: meta.orientation ?? 1,
    limitInputPixels,
    pipeline: () => sharp(data, { limitInputPixels }),
  };
}

async function openBmp(input: ImageInput, file: string, limitInputPixels: number): Promise<ImageSource> {
  let bytes: Buffer;
  try {
    bytes = typeof input === 'string' ? await readFile(input) : input.bytes;
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
    orientation: 1,
    limitInputPixels,
    pipeline: () => sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), { raw: { width, height, channels }, limitInputPixels }),
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

/** The same image mirrored left-right and/or flipped upside down (both: a half turn). */
export function orientImage(source: ImageSource, orientation: { mirror?: boolean; flip?: boolean }): ImageSource {
  if (!orientation.mirror && !orientation.flip) return source;
  return {
    ...source,
    pipeline: () => {
      let p = source.pipeline();
      if (orientation.mirror) p = p.flop();
      if (orientation.flip) p = p.flip();
      return p;
    },
  };
}

/** Runs a decoding step on `source`, turning its failure into an ItemDecodeError. */
async function guarded<T>(source: ImageSource, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    throw new ItemDecodeError(source.file, describeFailure(e, source.limitInputPixels));
  }
}

function errorCode(e: unknown): string {
  if (e && typeof e === 'object' && 'code' in e && typeof e.code === 'string') return e.code;
  return e instanceof Error ? e.message : String(e);
}

/** A read or decode failure as a reason a user can act on. */
export function describeFailure(e: unknown, limitInputPixels: number): string {
  if (e instanceof ItemDecodeError) return e.reason;
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

function bytesOf(data: Buffer): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

/**
 * The core's Raster: 8-bit (16-bit sources are rescaled by the colourspace conversion), gray
 * stays 1 channel, colour becomes RGB, alpha is dropped (inspection images carry no
 * meaningful transparency). With `fit`, shrunk to fit `fit` px on its longer side (never enlarged).
 */
export async function readRaster(source: ImageSource, fit?: number): Promise<Raster> {
  const colour = source.channels - (source.hasAlpha ? 1 : 0) >= 3;
  const { data, info } = await guarded(source, () =>
    (fit === undefined ? source.pipeline() : source.pipeline().resize({ width: fit, height: fit, fit: 'inside', withoutEnlargement: true }))
      .removeAlpha()
      .toColourspace(colour ? 'srgb' : 'b-w')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true }),
  );
  return { width: info.width, height: info.height, channels: info.channels as Raster['channels'], data: bytesOf(data) };
}

/** Decodes an image file into the core's Raster (see readRaster). */
export async function loadRaster(file: string, limitInputPixels = MAX_INPUT_PIXELS): Promise<Raster> {
  return readRaster(await openImage(file, limitInputPixels));
}

/**
 * Decodes an image already shrunk to fit `side` px on its longer side (never enlarged): libvips
 * shrinks while decoding, so a stage that works at a small size never converts the full image.
 */
export async function loadRasterFitting(file: string, side: number, limitInputPixels = MAX_INPUT_PIXELS): Promise<Raster> {
  return readRaster(await openImage(file, limitInputPixels), side);
}

/**
 * One value per pixel at the file's own depth, for binarising a ground-truth mask. Transparency
 * is composited onto black (a clear pixel is background); colour masks take their brightest
 * channel, so a pure red or blue label counts as fully on instead of being dimmed by luminance
 * weights.
 */
export async function readMaskValues(source: ImageSource): Promise<Uint8Array | Uint16Array> {
  const gray = source.channels - (source.hasAlpha ? 1 : 0) === 1;
  const space = gray ? (source.wide ? 'grey16' : 'b-w') : source.wide ? 'rgb16' : 'srgb';
  const { data, info } = await guarded(source, () => {
    let p = source.pipeline();
    if (source.hasAlpha) p = p.flatten({ background: { r: 0, g: 0, b: 0 } });
    return p
      .toColourspace(space)
      .raw({ depth: source.wide ? 'ushort' : 'uchar' })
      .toBuffer({ resolveWithObject: true });
  });
  const samples = source.wide
    ? new Uint16Array(data.buffer, data.byteOffset, data.length / 2)
    : new Uint8Array(data.buffer, data.byteOffset, data.length);
  const channels = info.channels;
  if (channels === 1) return samples;
  const n = info.width * info.height;
  const out = source.wide ? new Uint16Array(n) : new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let c = 0; c < channels; c++) m = Math.max(m, samples[i * channels + c]);
    out[i] = m;
  }
  return out;
}

/** JPEG of the whole image, longest side at most `size` (decoding every pixel exposes a truncated file). */
export function encodeThumbnail(source: ImageSource, size: number): Promise<Buffer> {
  return guarded(source, () =>
    source
      .pipeline()
      .resize({ width: size, height: size, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 85 })
      .toBuffer(),
  );
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function isPng(bytes: Buffer): boolean {
  return bytes.subarray(0, 8).equals(PNG_SIGNATURE);
}

/**
 * The image's pixels as a lossless PNG (depth and channels as decoded, no EXIF orientation). A gray source stays gray:
 * libvips would write a gray JPEG or BMP as three equal sRGB channels, so an export of a gray
 * dataset mixed RGB real pairs and normals with gray synthetic ones.
 */
export async function encodeLosslessPng(source: ImageSource): Promise<{ png: Buffer; width: number; height: number }> {
  const gray = source.channels - (source.hasAlpha ? 1 : 0) === 1;
  const { data, info } = await guarded(source, () => {
    const p = source.pipeline();
    return (gray ? p.toColourspace(source.wide ? 'grey16' : 'b-w') : p).png().toBuffer({ resolveWithObject: true });
  });
  return { png: data, width: info.width, height: info.height };
}

/**
 * A mask image's first band at 8 bits, as our own binarised mask blobs (and label PNGs handed in
 * by the UI) are read: their first channel holds the mask whatever colour type the PNG has.
 */
export async function loadMask(input: ImageInput): Promise<Mask> {
  const source = await openImage(input);
  const { data, info } = await guarded(source, () => source.pipeline().extractChannel(0).raw().toBuffer({ resolveWithObject: true }));
  return { width: info.width, height: info.height, data: bytesOf(data) };
}

/** The first band of an image at 16 bits (8-bit files are scaled up), for score maps and masks of any depth. */
export async function loadFirstBand16(input: ImageInput): Promise<{ width: number; height: number; data: Uint16Array }> {
  const source = await openImage(input);
  const { data, info } = await guarded(source, () =>
    source.pipeline().extractChannel(0).raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true }),
  );
  return { width: info.width, height: info.height, data: new Uint16Array(data.buffer, data.byteOffset, data.length / 2) };
}

function rawInput(data: Uint8Array, width: number, height: number, channels: 1 | 2 | 3 | 4): Sharp {
  return sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), { raw: { width, height, channels } });
}

/** 0/255 mask bytes as a single-channel (b-w) PNG. */
export function encodeMaskPng(data: Uint8Array, width: number, height: number): Promise<Buffer> {
  return rawInput(data, width, height, 1).toColourspace('b-w').png().toBuffer();
}

/** A Raster as PNG: gray (with or without alpha) stays gray, colour is sRGB; zlib level 6 unless given. */
export function encodeRasterPng(r: Raster, options: { compressionLevel?: number } = {}): Promise<Buffer> {
  return rawInput(r.data, r.width, r.height, r.channels)
    .toColourspace(r.channels <= 2 ? 'b-w' : 'srgb')
    .png({ compressionLevel: options.compressionLevel ?? 6 })
    .toBuffer();
}

/**
 * zlib level of the generated images a synthesis job stores: level 3 encodes a 256² pair about
 * 2× and a 1024² one about 2.5× faster than the default 6, for files 1-3 % larger (measured on
 * devdata photographs); level 1 is faster still but its files are half as large again.
 */
export const SAMPLE_PNG_COMPRESSION = 3;

/** A generated image as the synthesis job stores it (see SAMPLE_PNG_COMPRESSION). */
export function encodeSamplePng(r: Raster): Promise<Buffer> {
  return encodeRasterPng(r, { compressionLevel: SAMPLE_PNG_COMPRESSION });
}

/**
 * Raw 8-bit samples as PNG in libvips's default interpretation, which writes a single band as
 * three equal sRGB channels. The heat maps and region-mask blobs have always been written so;
 * their readers take the first band.
 */
export function encodeRawPng(data: Uint8Array, width: number, height: number, channels: 1 | 3): Promise<Buffer> {
  return rawInput(data, width, height, channels).png().toBuffer();
}

/**
 * A core Mask as the engine's mask blobs (aligned, region and segmenter masks) have always been
 * written: 0/255 (any non-zero value is on), one raw band in libvips's default interpretation,
 * which PNG stores as three equal sRGB channels; every reader takes the first band.
 */
export function encodeMaskBlobPng(mask: Mask): Promise<Buffer> {
  const data = new Uint8Array(mask.width * mask.height);
  for (let i = 0; i < data.length; i++) data[i] = mask.data[i] ? 255 : 0;
  return encodeRawPng(data, mask.width, mask.height, 1);
}

/**
 * Writes pixels as a PNG file (parent folders made) with fixed encoder settings, so the same
 * pixels always give the same bytes; one channel stays 8-bit gray, as MVTec's masks are.
 */
export async function writePngFile(file: string, data: Uint8Array, width: number, height: number, channels: 1 | 3): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  let img = rawInput(data, width, height, channels);
  if (channels === 1) img = img.toColourspace('b-w');
  await img.png({ compressionLevel: 6, adaptiveFiltering: true, palette: false }).toFile(file);
}
