/** Builds small dataset trees on disk for the dataset tests. Test-only; not part of src. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';

export const SIZE = 32;

export function makeTempDir(label: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `gaa-dataset-${label}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function ensureParent(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
}

/** A colour (or gray) image whose pixels depend on `seed`, so files differ in content. */
export async function writeImage(
  file: string,
  opts: { width?: number; height?: number; channels?: 1 | 3 | 4; seed?: number } = {},
): Promise<void> {
  const { width = SIZE, height = SIZE, channels = 3, seed = 1 } = opts;
  const data = Buffer.alloc(width * height * channels);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7 + seed * 31) % 251;
  if (channels === 4) for (let i = 3; i < data.length; i += 4) data[i] = 255;
  ensureParent(file);
  let p = sharp(data, { raw: { width, height, channels } });
  if (channels === 1) p = p.toColourspace('b-w');
  const ext = path.extname(file).toLowerCase();
  await (ext === '.jpg' || ext === '.jpeg' ? p.jpeg() : ext === '.webp' ? p.webp() : ext === '.tif' || ext === '.tiff' ? p.tiff() : p.png()).toFile(file);
}

/** An 8-bit gray PNG mask with the rectangle [x, y, w, h] set to `on`. */
export async function writeRectMask(
  file: string,
  rect: [number, number, number, number],
  opts: { width?: number; height?: number; on?: number } = {},
): Promise<void> {
  const { width = SIZE, height = SIZE, on = 255 } = opts;
  const [rx, ry, rw, rh] = rect;
  const data = Buffer.alloc(width * height);
  for (let y = ry; y < ry + rh; y++) for (let x = rx; x < rx + rw; x++) data[y * width + x] = on;
  await writeGray(file, data, width, height);
}

/** A gray PNG at 8 bits (Uint8Array) or 16 bits (Uint16Array) with exactly these values. */
export async function writeGray(file: string, values: Uint8Array | Uint16Array, width: number, height: number): Promise<void> {
  ensureParent(file);
  const wide = values instanceof Uint16Array;
  await sharp(values, { raw: { width, height, channels: 1 } })
    .toColourspace(wide ? 'grey16' : 'b-w')
    .png()
    .toFile(file);
}

/** An uncompressed 24-bit BMP written byte by byte (bottom-up rows, BGR, rows padded to 4 bytes). */
export function writeBmp24(file: string, width: number, height: number, rgb: (x: number, y: number) => [number, number, number]): void {
  const stride = Math.ceil((width * 3) / 4) * 4;
  const buf = Buffer.alloc(54 + stride * height);
  buf.write('BM', 0, 'latin1');
  buf.writeUInt32LE(buf.length, 2);
  buf.writeUInt32LE(54, 10);
  buf.writeUInt32LE(40, 14);
  buf.writeInt32LE(width, 18);
  buf.writeInt32LE(height, 22);
  buf.writeUInt16LE(1, 26);
  buf.writeUInt16LE(24, 28);
  for (let y = 0; y < height; y++) {
    const row = 54 + (height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const [r, g, b] = rgb(x, y);
      buf[row + x * 3] = b;
      buf[row + x * 3 + 1] = g;
      buf[row + x * 3 + 2] = r;
    }
  }
  ensureParent(file);
  writeFileSync(file, buf);
}

export function writeText(file: string, text: string | Buffer): void {
  ensureParent(file);
  writeFileSync(file, text);
}

/** Raw single-channel pixels of a PNG, for checking decoded masks independently. */
export async function grayPixels(png: Buffer): Promise<Uint8Array> {
  const { data } = await sharp(png).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return new Uint8Array(data);
}
