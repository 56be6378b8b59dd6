/**
 * Fills a region from its surroundings for logical ("missing") anomalies (METHOD.md §2b):
 * onion-peel, pixel-wise patch synthesis. Hole pixels are filled in order of their distance
 * to the known surface, each copying the centre of the source patch whose known/already
 * filled neighbourhood matches best (sum of squared differences). Candidates are random
 * source patches from a band around the hole (seeded) plus coherent ones, the continuations
 * of the neighbours' own sources (Ashikhmin 2001), which carry stripes and texture
 * structure across the hole instead of averaging them away.
 */
import { squaredDistanceTransform } from '../image/morphology';
import type { Mask, Raster } from '../image/raster';
import { boxHeight, boxWidth, growBox, maskBox } from './box';
import { createRng, type Rng } from '../random';

export interface InpaintOptions {
  seed: number;
  /** Half-size of the compared patch; default 3 (7 × 7). */
  patchRadius?: number;
  /** Random source patches tried per pixel; default 24. */
  candidates?: number;
}

/** The image with every hole pixel replaced; pixels outside the hole are copied unchanged. */
export function inpaint(image: Raster, hole: Mask, options: InpaintOptions): Raster {
  const out: Raster = { ...image, data: Uint8Array.from(image.data) };
  const box = maskBox(hole);
  if (!box) return out;
  const rho = Math.max(1, Math.round(options.patchRadius ?? 3));
  const nCand = Math.max(1, Math.round(options.candidates ?? 24));
  let holeArea = 0;
  for (let i = 0; i < hole.data.length; i++) if (hole.data[i] !== 0) holeArea++;
  // Sources close enough to share the hole's lighting, far enough to hold enough texture.
  const band = Math.max(6 * rho + 3, Math.ceil(Math.sqrt(holeArea) / 2));
  const b = growBox(box, band + rho, image.width, image.height);
  const w = boxWidth(b);
  const h = boxHeight(b);
  const ch = image.channels;
  const inHole = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) inHole[y * w + x] = hole.data[(b.y0 + y) * image.width + b.x0 + x] !== 0 ? 1 : 0;
  }
  const px = new Uint8Array(w * h * ch);
  for (let y = 0; y < h; y++) {
    const s = ((b.y0 + y) * image.width + b.x0) * ch;
    px.set(image.data.subarray(s, s + w * ch), y * w * ch);
  }

  const holeCrop = { width: w, height: h, data: inHole };
  const toHole = squaredDistanceTransform(holeCrop, 'on');
  const isSource = new Uint8Array(w * h);
  const sources: number[] = [];
  for (let y = rho; y < h - rho; y++) {
    for (let x = rho; x < w - rho; x++) {
      const i = y * w + x;
      // d² > 2ρ² keeps every hole pixel outside the (2ρ+1)² patch.
      if (toHole[i] > 2 * rho * rho && toHole[i] <= band * band) {
        isSource[i] = 1;
        sources.push(i);
      }
    }
  }
  const filled = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) filled[i] = inHole[i] ? 0 : 1;
  const holePixels: number[] = [];
  for (let i = 0; i < w * h; i++) if (inHole[i]) holePixels.push(i);

  if (sources.length === 0) {
    fillWithMean(px, inHole, ch);
  } else {
    const toKnown = squaredDistanceTransform(holeCrop, 'off');
    holePixels.sort((p, q) => toKnown[p] - toKnown[q] || p - q);
    synthesise(px, w, h, ch, rho, nCand, holePixels, filled, isSource, sources, createRng(options.seed));
  }
  for (const i of holePixels) {
    const x = i % w;
    const y = (i - x) / w;
    const o = ((b.y0 + y) * image.width + b.x0 + x) * ch;
    for (let c = 0; c < ch; c++) out.data[o + c] = px[i * ch + c];
  }
  return out;
}

function fillWithMean(px: Uint8Array, inHole: Uint8Array, ch: number): void {
  const sum = new Float64Array(ch);
  let n = 0;
  for (let i = 0; i < inHole.length; i++) {
    if (inHole[i]) continue;
    for (let c = 0; c < ch; c++) sum[c] += px[i * ch + c];
    n++;
  }
  if (n === 0) throw new Error('cannot inpaint: the region covers the whole image');
  for (let i = 0; i < inHole.length; i++) {
    if (!inHole[i]) continue;
    for (let c = 0; c < ch; c++) px[i * ch + c] = Math.round(sum[c] / n);
  }
}

function synthesise(
  px: Uint8Array,
  w: number,
  h: number,
  ch: number,
  rho: number,
  nCand: number,
  order: number[],
  filled: Uint8Array,
  isSource: Uint8Array,
  sources: number[],
  rng: Rng,
): void {
  const sourceOf = new Int32Array(w * h).fill(-1);
  const side = 2 * rho + 1;
  const offsets = new Int32Array(side * side);
  const tried = new Set<number>();
  for (const p of order) {
    const x = p % w;
    const y = (p - x) / w;
    // Offsets (as index deltas) of the patch pixels already known or filled.
    let m = 0;
    for (let dy = -rho; dy <= rho; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= h) continue;
      for (let dx = -rho; dx <= rho; dx++) {
        const xx = x + dx;
        if (xx < 0 || xx >= w || !filled[yy * w + xx]) continue;
        offsets[m++] = dy * w + dx;
      }
    }
    tried.clear();
    let best = -1;
    let bestCost = Infinity;
    const consider = (s: number): void => {
      if (tried.has(s)) return;
      tried.add(s);
      let cost = 0;
      for (let k = 0; k < m && cost < bestCost; k++) {
        const a = (p + offsets[k]) * ch;
        const bb = (s + offsets[k]) * ch;
        for (let c = 0; c < ch; c++) {
          const d = px[a + c] - px[bb + c];
          cost += d * d;
        }
      }
      if (cost < bestCost) {
        bestCost = cost;
        best = s;
      }
    };
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const qx = x + dx;
        const qy = y + dy;
        if ((dx === 0 && dy === 0) || qx < 0 || qy < 0 || qx >= w || qy >= h) continue;
        const sq = sourceOf[qy * w + qx];
        if (sq < 0) continue;
        const sx = (sq % w) - dx;
        const sy = Math.floor(sq / w) - dy;
        if (sx < 0 || sy < 0 || sx >= w || sy >= h) continue;
        if (isSource[sy * w + sx]) consider(sy * w + sx);
      }
    }
    for (let k = 0; k < nCand; k++) consider(sources[rng.int(sources.length)]);
    for (let c = 0; c < ch; c++) px[p * ch + c] = px[best * ch + c];
    sourceOf[p] = best;
    filled[p] = 1;
  }
}
