/** Reading the images and masks an export is handed through the image codec: PNG bytes to write, sizes, and binarised masks. */
import { readFile } from 'node:fs/promises';
import { binariseMask } from '../../core/dataset/mask';
import type { ExportPixels, PngImage } from '../../core/export/export';
import { ExportError, type ExportImageSource } from '../../core/export/types';
import type { Mask } from '../../core/image/raster';
import { describeFailure, encodeLosslessPng, encodeMaskPng, isPng, MAX_INPUT_PIXELS, openImage, orientImage, readMaskValues, type ImageSource } from '../image-codec';

export function describeSource(src: ExportImageSource): string {
  return 'path' in src ? src.path : '<image bytes>';
}

function unreadable(src: ExportImageSource, e: unknown): ExportError {
  return new ExportError('source-unreadable', `cannot read ${describeSource(src)}: ${describeFailure(e, MAX_INPUT_PIXELS)}`);
}

async function open(src: ExportImageSource): Promise<{ bytes: Buffer; image: ImageSource }> {
  try {
    const bytes = 'path' in src ? await readFile(src.path) : src.png;
    // Repeated copies of a real pair are written mirrored and/or flipped.
    return { bytes, image: orientImage(await openImage({ bytes, name: describeSource(src) }), src) };
  } catch (e) {
    throw unreadable(src, e);
  }
}

/**
 * The image as PNG bytes. A PNG is written byte for byte (its pixels, depth and colour type
 * untouched) unless it is mirrored, flipped or carries an EXIF orientation; anything else is
 * converted losslessly from its decoded pixels, as stored (the orientation tag is not applied).
 */
export async function loadPng(src: ExportImageSource): Promise<PngImage> {
  const { bytes, image } = await open(src);
  // A PNG with an EXIF orientation would be shown turned by a viewer: its stored pixels are written instead.
  if (isPng(bytes) && !src.mirror && !src.flip && image.orientation === 1) return { png: bytes, width: image.width, height: image.height };
  try {
    return await encodeLosslessPng(image);
  } catch (e) {
    throw unreadable(src, e);
  }
}

/**
 * METHOD.md §0: on where the gray value is ≥ half the mask's maximum, at the file's own depth.
 * Transparency is background; a colour mask takes its brightest channel.
 */
export async function loadMask(src: ExportImageSource): Promise<Mask> {
  const { image } = await open(src);
  try {
    return { width: image.width, height: image.height, data: binariseMask(await readMaskValues(image)).data };
  } catch (e) {
    throw unreadable(src, e);
  }
}

export function maskPng(mask: Mask): Promise<Buffer> {
  return encodeMaskPng(mask.data, mask.width, mask.height);
}

export const codecExportPixels: ExportPixels = { loadPng, loadMask, maskPng };
