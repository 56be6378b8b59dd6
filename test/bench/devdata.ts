/**
 * The images of one MVTec-layout category on disk (the shared devdata by default), listed as
 * `../shared/devtools/peer_perf.py` lists them, so the project's benches and the OpenCV peer
 * work on the same files. The devdata is evaluation-only: benches read it in place, never copy it.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import sharp from 'sharp';
import type { Mask } from '../../src-main/core/image/raster';

export const DEFAULT_DATA_ROOT = resolve(__dirname, '../../../shared/devdata');
export const DEFAULT_CATEGORY = 'tire';

export interface CategoryFiles {
  root: string;
  category: string;
  dir: string;
  /** train/good, sorted, at most 400 (as the peer). */
  normals: string[];
  /** test/<type>/* except good, sorted by path. */
  anomalies: string[];
  maskOf(anomaly: string): string;
}

const IMAGE = /\.(jpg|png|bmp)$/i;

export function categoryFiles(root: string, category: string): CategoryFiles {
  const dir = join(root, category);
  if (!existsSync(join(dir, 'train', 'good'))) throw new Error(`${dir} is not an MVTec-layout category (no train/good); pass --data DIR --category C`);
  const list = (d: string) => (existsSync(d) ? readdirSync(d).filter((f) => IMAGE.test(f)).map((f) => join(d, f)) : []);
  const normals = list(join(dir, 'train', 'good')).sort().slice(0, 400);
  const anomalies = readdirSync(join(dir, 'test'))
    .filter((t) => t !== 'good')
    .flatMap((t) => list(join(dir, 'test', t)))
    .sort();
  const maskOf = (p: string) => join(dir, 'ground_truth', basename(dirname(p)), `${basename(p).slice(0, -4)}_mask.png`);
  return { root, category, dir, normals, anomalies, maskOf };
}

/** A ground-truth mask as 0/1-is-on bytes (> 127 is on, as the peer reads it). */
export async function readBinaryMask(file: string): Promise<Mask> {
  const { data, info } = await sharp(file).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  const out = new Uint8Array(info.width * info.height);
  for (let i = 0; i < out.length; i++) out[i] = data[i] > 127 ? 255 : 0;
  return { width: info.width, height: info.height, data: out };
}

/** Nearest-neighbour resize by one factor (OpenCV's INTER_NEAREST: source = floor(dest / factor)). */
export function resizeMaskNearest(m: Mask, factor: number): Mask {
  const w = Math.max(1, Math.round(m.width * factor));
  const h = Math.max(1, Math.round(m.height * factor));
  const out = new Uint8Array(w * h);
  const sx = m.width / w;
  const sy = m.height / h;
  const cols = new Int32Array(w);
  for (let x = 0; x < w; x++) cols[x] = Math.min(m.width - 1, Math.floor(x * sx));
  for (let y = 0; y < h; y++) {
    const row = Math.min(m.height - 1, Math.floor(y * sy)) * m.width;
    for (let x = 0; x < w; x++) out[y * w + x] = m.data[row + cols[x]];
  }
  return { width: w, height: h, data: out };
}
