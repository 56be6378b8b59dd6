/**
 * Windows BMP reader. sharp's prebuilt libvips has no BMP loader, and some inspection
 * datasets ship BMP images, so uncompressed BMPs (1/4/8-bit palette, 16/24/32-bit) are
 * decoded here and handed to sharp as raw pixels. RLE-compressed BMPs are refused.
 */

export interface BmpPixels {
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  /** 8 bits per sample, interleaved, top row first. */
  data: Uint8Array;
}

interface BmpHeader {
  width: number;
  height: number;
  topDown: boolean;
  bitsPerPixel: number;
  compression: number;
  dataOffset: number;
  dibSize: number;
  colorsUsed: number;
}

const BI_RGB = 0;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

/** Little-endian reads at byte offsets, as the BMP format stores every field. */
function le(buf: Uint8Array): { u16(at: number): number; u32(at: number): number; i32(at: number): number } {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  return { u16: (at) => view.getUint16(at, true), u32: (at) => view.getUint32(at, true), i32: (at) => view.getInt32(at, true) };
}

export function readBmpHeader(buf: Uint8Array): BmpHeader {
  if (buf.length < 54 || buf[0] !== 0x42 || buf[1] !== 0x4d) throw new Error('not a BMP file');
  const r = le(buf);
  const dibSize = r.u32(14);
  if (dibSize < 40) throw new Error('unsupported BMP header (OS/2 bitmap)');
  const rawHeight = r.i32(22);
  return {
    width: r.i32(18),
    height: Math.abs(rawHeight),
    topDown: rawHeight < 0,
    bitsPerPixel: r.u16(28),
    compression: r.u32(30),
    dataOffset: r.u32(10),
    dibSize,
    colorsUsed: r.u32(46),
  };
}

export function decodeBmp(buf: Uint8Array): BmpPixels {
  const h = readBmpHeader(buf);
  const { width, height, bitsPerPixel: bpp } = h;
  if (width <= 0 || height <= 0) throw new Error(`BMP has an invalid size ${width}×${height}`);
  if (![BI_RGB, BI_BITFIELDS, BI_ALPHABITFIELDS].includes(h.compression)) {
    throw new Error('compressed (RLE/JPEG/PNG-in-BMP) BMP files are not supported; save it uncompressed or as PNG');
  }
  if (![1, 4, 8, 16, 24, 32].includes(bpp)) throw new Error(`unsupported BMP bit depth ${bpp}`);
  const stride = Math.floor((bpp * width + 31) / 32) * 4;
  if (h.dataOffset + stride * height > buf.length) throw new Error('BMP pixel data is truncated');
  const rowStart = (y: number) => h.dataOffset + stride * (h.topDown ? y : height - 1 - y);

  if (bpp <= 8) return decodePalette(buf, h, rowStart);
  if (bpp === 24) {
    const data = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) {
      const row = rowStart(y);
      for (let x = 0; x < width; x++) {
        const s = row + x * 3;
        const d = (y * width + x) * 3;
        data[d] = buf[s + 2];
        data[d + 1] = buf[s + 1];
        data[d + 2] = buf[s];
      }
    }
    return { width, height, channels: 3, data };
  }
  return decodeBitfields(buf, h, rowStart);
}

function decodePalette(buf: Uint8Array, h: BmpHeader, rowStart: (y: number) => number): BmpPixels {
  const { width, height, bitsPerPixel: bpp } = h;
  const count = h.colorsUsed || 1 << bpp;
  const paletteAt = 14 + h.dibSize;
  if (paletteAt + count * 4 > buf.length) throw new Error('BMP palette is truncated');
  const palette: [number, number, number][] = [];
  for (let i = 0; i < count; i++) {
    const p = paletteAt + i * 4;
    palette.push([buf[p + 2], buf[p + 1], buf[p]]);
  }
  const gray = palette.every(([r, g, b]) => r === g && g === b);
  const channels = gray ? 1 : 3;
  const data = new Uint8Array(width * height * channels);
  const perByte = 8 / bpp;
  const mask = (1 << bpp) - 1;
  for (let y = 0; y < height; y++) {
    const row = rowStart(y);
    for (let x = 0; x < width; x++) {
      const byte = buf[row + Math.floor(x / perByte)];
      const shift = 8 - bpp * ((x % perByte) + 1);
      const colour = palette[(byte >> shift) & mask] ?? [0, 0, 0];
      const d = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) data[d + c] = colour[c];
    }
  }
  return { width, height, channels, data };
}

function decodeBitfields(buf: Uint8Array, h: BmpHeader, rowStart: (y: number) => number): BmpPixels {
  const r = le(buf);
  const { width, height, bitsPerPixel: bpp } = h;
  const explicit = h.compression !== BI_RGB;
  const masks = explicit
    ? [54, 58, 62].map((o) => r.u32(o))
    : bpp === 16
      ? [0x7c00, 0x03e0, 0x001f]
      : [0xff0000, 0xff00, 0xff];
  // The alpha mask lives in V3+ headers or ALPHABITFIELDS; BI_RGB 32-bit's fourth byte is padding.
  const alphaMask = explicit && (h.dibSize >= 56 || h.compression === BI_ALPHABITFIELDS) ? r.u32(66) : 0;
  if (alphaMask) masks.push(alphaMask);
  const channels = alphaMask ? 4 : 3;
  const fields = masks.map((m) => {
    const shift = m === 0 ? 0 : Math.log2(m & -m);
    return { mask: m >>> 0, shift, max: m === 0 ? 1 : (m >>> 0) / 2 ** shift };
  });
  const data = new Uint8Array(width * height * channels);
  const bytes = bpp / 8;
  for (let y = 0; y < height; y++) {
    const row = rowStart(y);
    for (let x = 0; x < width; x++) {
      const s = row + x * bytes;
      const px = bpp === 16 ? r.u16(s) : r.u32(s);
      const d = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) {
        const f = fields[c];
        data[d + c] = Math.round(((((px & f.mask) >>> 0) / 2 ** f.shift) * 255) / f.max);
      }
    }
  }
  return { width, height, channels, data };
}
