/**
 * `npm run bench -- sheet --export DIR --category C --out FILE.png [--pairs 8] [--seed 0]`:
 * a contact sheet of an export's synthetic pairs, one row per pair:
 * normal | generated | generated with the mask outlined | the same three zoomed on the defect |
 * |generated − normal| ×4 with the mask outlined (every change must be inside the outline).
 * Prints what it drew as JSON. For looking at what the generator made, not for tests.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';

interface Rgb {
  width: number;
  height: number;
  data: Uint8Array;
}

async function rgb(file: string): Promise<Rgb> {
  const { data, info } = await sharp(file).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

async function maskOf(file: string): Promise<Rgb> {
  const { data, info } = await sharp(file).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: Uint8Array.from(data, (v) => (v >= 128 ? 1 : 0)) };
}

function crop(img: Rgb, x0: number, y0: number, w: number, h: number, ch: number): Rgb {
  const data = new Uint8Array(w * h * ch);
  for (let y = 0; y < h; y++) data.set(img.data.subarray(((y0 + y) * img.width + x0) * ch, ((y0 + y) * img.width + x0 + w) * ch), y * w * ch);
  return { width: w, height: h, data };
}

function outline(img: Rgb, mask: Rgb): Rgb {
  const out = { ...img, data: Uint8Array.from(img.data) };
  const { width: w, height: h } = mask;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!mask.data[y * w + x]) continue;
      const edge = x === 0 || y === 0 || x === w - 1 || y === h - 1 || !mask.data[y * w + x - 1] || !mask.data[y * w + x + 1] || !mask.data[(y - 1) * w + x] || !mask.data[(y + 1) * w + x];
      if (edge) out.data.set([0, 255, 0], (y * w + x) * 3);
    }
  }
  return out;
}

/** Nearest-neighbour resize to height `h` (pixels stay visible when zoomed). */
function fit(img: Rgb, h: number): Rgb {
  const w = Math.max(1, Math.round((img.width * h) / img.height));
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(img.height - 1, Math.floor(((y + 0.5) * img.height) / h));
    for (let x = 0; x < w; x++) {
      const sx = Math.min(img.width - 1, Math.floor(((x + 0.5) * img.width) / w));
      data.set(img.data.subarray((sy * img.width + sx) * 3, (sy * img.width + sx) * 3 + 3), (y * w + x) * 3);
    }
  }
  return { width: w, height: h, data };
}

function hstack(tiles: Rgb[], gap: number): Rgb {
  const h = Math.max(...tiles.map((t) => t.height));
  const w = tiles.reduce((s, t) => s + t.width + gap, 0);
  const data = new Uint8Array(w * h * 3);
  let x0 = 0;
  for (const t of tiles) {
    for (let y = 0; y < t.height; y++) data.set(t.data.subarray(y * t.width * 3, (y + 1) * t.width * 3), (y * w + x0) * 3);
    x0 += t.width + gap;
  }
  return { width: w, height: h, data };
}

function vstack(rows: Rgb[], gap: number): Rgb {
  const w = Math.max(...rows.map((r) => r.width));
  const h = rows.reduce((s, r) => s + r.height + gap, 0);
  const data = new Uint8Array(w * h * 3);
  let y0 = 0;
  for (const r of rows) {
    for (let y = 0; y < r.height; y++) data.set(r.data.subarray(y * r.width * 3, (y + 1) * r.width * 3), ((y0 + y) * w) * 3);
    y0 += r.height + gap;
  }
  return { width: w, height: h, data };
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Seeded shuffle (mulberry32) so a sheet can be drawn again. */
function shuffled<T>(list: T[], seed: number): T[] {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export async function benchSheet(args: string[]): Promise<unknown> {
  const root = option(args, 'export');
  const category = option(args, 'category');
  const out = option(args, 'out');
  if (!root || !category || !out) throw new Error('sheet needs --export DIR --category C --out FILE.png');
  const n = Number(option(args, 'pairs') ?? 8);
  const seed = Number(option(args, 'seed') ?? 0);
  const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as {
    files: { image: string; mask: string; normalImage: string | null; cluster: string; source: string; outsideChange?: { max: number } | null; provenance?: { blendMode?: string } }[];
  };
  const pairs = shuffled(manifest.files.filter((f) => f.source === 'synthetic' && f.image.startsWith(`${category}/`) && f.normalImage), seed).slice(0, n);
  const H = 180;
  const rows: Rgb[] = [];
  for (const p of pairs) {
    const generated = await rgb(join(root, p.image));
    const normal = await rgb(p.normalImage!);
    const mask = await maskOf(join(root, p.mask));
    let x0 = generated.width;
    let y0 = generated.height;
    let x1 = 0;
    let y1 = 0;
    for (let y = 0; y < mask.height; y++) {
      for (let x = 0; x < mask.width; x++) {
        if (!mask.data[y * mask.width + x]) continue;
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x + 1);
        y1 = Math.max(y1, y + 1);
      }
    }
    const r = Math.max(24, Math.round(0.8 * Math.max(x1 - x0, y1 - y0)));
    const cx = Math.round((x0 + x1) / 2);
    const cy = Math.round((y0 + y1) / 2);
    const bx = Math.max(0, cx - r);
    const by = Math.max(0, cy - r);
    const bw = Math.min(generated.width, cx + r) - bx;
    const bh = Math.min(generated.height, cy + r) - by;
    const diff: Rgb = { ...generated, data: generated.data.map((v, i) => Math.min(255, 4 * Math.abs(v - normal.data[i]))) };
    const zoom = (img: Rgb, ch = 3) => fit(crop(img, bx, by, bw, bh, ch), H);
    const zmask = crop(mask, bx, by, bw, bh, 1);
    rows.push(
      hstack(
        [
          fit(normal, H),
          fit(generated, H),
          fit(outline(generated, mask), H),
          zoom(normal),
          zoom(generated),
          fit(outline(crop(generated, bx, by, bw, bh, 3), zmask), H),
          fit(outline(crop(diff, bx, by, bw, bh, 3), zmask), H),
        ],
        4,
      ),
    );
  }
  if (rows.length === 0) throw new Error(`no synthetic pairs of category ${category} in ${root}`);
  const sheet = vstack(rows, 4);
  await sharp(Buffer.from(sheet.data), { raw: { width: sheet.width, height: sheet.height, channels: 3 } }).png().toFile(resolve(out));
  return { out: resolve(out), pairs: pairs.map((p) => ({ image: p.image, cluster: p.cluster, blendMode: p.provenance?.blendMode, outsideChangeMax: p.outsideChange?.max ?? null })) };
}
