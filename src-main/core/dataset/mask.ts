/** Reading a ground-truth mask at its native depth and binarising it (METHOD.md §0). */
import sharp from 'sharp';
import { guarded, type ImageSource } from './source';

/** METHOD.md §0: a mask pixel is on where its gray value is >= half of that mask's maximum value. */
export function binariseMask(values: Uint8Array | Uint16Array): { data: Uint8Array; area: number; max: number } {
  let max = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  const data = new Uint8Array(values.length);
  if (max === 0) return { data, area: 0, max };
  let area = 0;
  for (let i = 0; i < values.length; i++) {
    // v >= max/2 without fractions, so 0/1 masks (max 1) keep every 1.
    if (values[i] * 2 >= max) {
      data[i] = 255;
      area++;
    }
  }
  return { data, area, max };
}

/**
 * One value per pixel at the file's own depth. Transparency is composited onto black (a clear
 * pixel is background); colour masks take their brightest channel, so a pure red or blue label
 * counts as fully on instead of being dimmed by luminance weights.
 */
export async function readMaskValues(
  source: ImageSource,
  limitInputPixels: number,
): Promise<Uint8Array | Uint16Array> {
  const gray = source.channels - (source.hasAlpha ? 1 : 0) === 1;
  const space = gray ? (source.wide ? 'grey16' : 'b-w') : source.wide ? 'rgb16' : 'srgb';
  const { data, info } = await guarded(source.file, limitInputPixels, () => {
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

/** 0/255 mask bytes as a single-channel PNG. */
export function encodeMaskPng(data: Uint8Array, width: number, height: number): Promise<Buffer> {
  return sharp(data, { raw: { width, height, channels: 1 } }).toColourspace('b-w').png().toBuffer();
}

