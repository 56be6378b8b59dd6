import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import sharp from 'sharp';

/** Statistics computed straight from decoded PNGs, independently of the generator's code. */

export interface Decoded {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

export async function decode(path: string): Promise<Decoded> {
  const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: info.channels, data: new Uint8Array(data) };
}

/** Channels as stored in the file (sharp's raw decode widens grey PNGs to three bands). */
export async function storedChannels(path: string): Promise<number> {
  return (await sharp(path).metadata()).channels ?? 0;
}

export async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(relative(root, p).split('\\').join('/'));
    }
  };
  await walk(root);
  return out.sort();
}

export async function sha256s(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of await listFiles(root)) out[f] = createHash('sha256').update(await readFile(join(root, f))).digest('hex');
  return out;
}

/** Rec. 601 luma as floats. */
export function luma(img: Decoded): Float64Array {
  const n = img.width * img.height;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = i * img.channels;
    out[i] = img.channels >= 3 ? 0.299 * img.data[k] + 0.587 * img.data[k + 1] + 0.114 * img.data[k + 2] : img.data[k];
  }
  return out;
}

/**
 * Immerkær (1996), "Fast noise variance estimation": σ = sqrt(π/2)/(6(W−2)(H−2)) Σ|I∗N| with
 * N = [1 −2 1; −2 4 −2; 1 −2 1], a mask that cancels smooth shading and most edges.
 */
export function immerkaerSigma(v: Float64Array, width: number, height: number): number {
  let sum = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const k = y * width + x;
      const conv =
        v[k - width - 1] - 2 * v[k - width] + v[k - width + 1] -
        2 * v[k - 1] + 4 * v[k] - 2 * v[k + 1] +
        v[k + width - 1] - 2 * v[k + width] + v[k + width + 1];
      sum += Math.abs(conv);
    }
  }
  return (Math.sqrt(Math.PI / 2) * sum) / (6 * (width - 2) * (height - 2));
}

/** Box mean with a (2r+1)² window, borders clamped. */
export function boxMean(v: Float64Array, width: number, height: number, r: number): Float64Array {
  const tmp = new Float64Array(v.length);
  const out = new Float64Array(v.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let k = -r; k <= r; k++) s += v[y * width + Math.min(width - 1, Math.max(0, x + k))];
      tmp[y * width + x] = s / (2 * r + 1);
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let k = -r; k <= r; k++) s += tmp[Math.min(height - 1, Math.max(0, y + k)) * width + x];
      out[y * width + x] = s / (2 * r + 1);
    }
  }
  return out;
}

/** Binary dilation with a (2r+1)² square. */
export function dilate(mask: Uint8Array, width: number, height: number, r: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      for (let dy = -r; dy <= r; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -r; dx <= r; dx++) {
          const xx = x + dx;
          if (xx >= 0 && xx < width) out[yy * width + xx] = 1;
        }
      }
    }
  }
  return out;
}

export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s / values.length;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function meanOfBox(v: Float64Array, width: number, x0: number, y0: number, x1: number, y1: number): number {
  let s = 0;
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
    s += v[y * width + x];
    n++;
  }
  return s / n;
}

/** Hubert & Arabie's adjusted Rand index from the contingency table. */
export function adjustedRandIndex(a: (string | number)[], b: (string | number)[]): number {
  const c2 = (n: number) => (n * (n - 1)) / 2;
  const table = new Map<string, number>();
  const rows = new Map<string | number, number>();
  const cols = new Map<string | number, number>();
  for (let i = 0; i < a.length; i++) {
    const key = `${a[i]}\u0000${b[i]}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(a[i], (rows.get(a[i]) ?? 0) + 1);
    cols.set(b[i], (cols.get(b[i]) ?? 0) + 1);
  }
  let index = 0;
  for (const n of table.values()) index += c2(n);
  let sa = 0;
  for (const n of rows.values()) sa += c2(n);
  let sb = 0;
  for (const n of cols.values()) sb += c2(n);
  const expected = (sa * sb) / c2(a.length);
  const max = (sa + sb) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}
