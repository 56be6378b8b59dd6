/**
 * Decoding one scanned item: image header, thumbnail, content hash and its binarised masks.
 * One item at a time holds one image and one mask in memory.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { binariseMask } from '../../core/dataset/mask';
import { ItemDecodeError, type ScanItem } from '../../core/dataset/types';
import { describeFailure, encodeMaskPng, encodeThumbnail, MAX_INPUT_PIXELS, openImage, readMaskValues, type ImageSource } from '../image-codec';

export interface DecodedMask {
  /** The mask file; null for a union computed from region files. */
  sourcePath: string | null;
  role: 'union' | 'region';
  regionIndex: number | null;
  width: number;
  height: number;
  /** On-pixels after binarisation. */
  area: number;
  /**
   * Largest raw value in the mask file (null for a computed union). MVTec LOCO encodes the
   * defect kind of a region as its pixel value (`pixel_value` in defects_config.json).
   */
  sourceMaxValue: number | null;
  /** 1-channel PNG, 0/255. */
  png: Buffer;
}

export interface DecodedItem {
  width: number;
  height: number;
  channels: number;
  bitDepth: number;
  /** sha256 hex of the image file bytes. */
  hash: string;
  /** JPEG, longest side <= thumbSize. */
  thumbnail: Buffer;
  /** The union mask first (when the item has masks), then LOCO region masks in file order. */
  masks: DecodedMask[];
}

export interface DecodeOptions {
  /** Images and masks with more pixels than this are refused; default MAX_INPUT_PIXELS. */
  limitInputPixels?: number;
  /** Longest side of the thumbnail; default 256. */
  thumbSize?: number;
}

export async function decodeItem(item: ScanItem, opts: DecodeOptions = {}): Promise<DecodedItem> {
  const limit = opts.limitInputPixels ?? MAX_INPUT_PIXELS;
  const image = await openImage(item.imagePath, limit);
  // Encoding the thumbnail decodes every pixel, which is what exposes a truncated file.
  const thumbnail = await encodeThumbnail(image, opts.thumbSize ?? 256);
  const hash = await hashFile(item.imagePath, limit);
  const masks = await decodeMasks(item, image, limit);
  return { width: image.width, height: image.height, channels: image.channels, bitDepth: image.bitDepth, hash, thumbnail, masks };
}

async function decodeMasks(item: ScanItem, image: ImageSource, limit: number): Promise<DecodedMask[]> {
  const { width, height } = image;
  const regions: DecodedMask[] = [];
  let union: Uint8Array | null = null;
  for (const [index, file] of item.maskPaths.entries()) {
    const source = await openImage(file, limit);
    if (source.width !== width || source.height !== height) {
      throw new ItemDecodeError(
        file,
        `mask is ${source.width}×${source.height} but its image is ${width}×${height}; masks are never resized`,
      );
    }
    const { data, area, max } = binariseMask(await readMaskValues(source));
    if (area === 0) throw new ItemDecodeError(file, 'mask is empty (no pixel is set)');
    const png = await encodeMaskPng(data, width, height);
    if (!item.regionMasks) {
      regions.push({ sourcePath: file, role: 'union', regionIndex: null, width, height, area, sourceMaxValue: max, png });
      continue;
    }
    regions.push({ sourcePath: file, role: 'region', regionIndex: index, width, height, area, sourceMaxValue: max, png });
    union ??= new Uint8Array(width * height);
    for (let i = 0; i < data.length; i++) union[i] |= data[i];
  }
  if (!union) return regions;
  let area = 0;
  for (let i = 0; i < union.length; i++) if (union[i]) area++;
  const png = await encodeMaskPng(union, width, height);
  return [{ sourcePath: null, role: 'union', regionIndex: null, width, height, area, sourceMaxValue: null, png }, ...regions];
}

async function hashFile(file: string, limit: number): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  } catch (e) {
    throw new ItemDecodeError(file, describeFailure(e, limit));
  }
  return hash.digest('hex');
}
