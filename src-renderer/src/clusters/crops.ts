/**
 * Member crops: each few-shot anomaly shown as its image cut to the mask's bounding box
 * (plus a margin) with the mask outline drawn, so a cluster reads as "what the defects look
 * like", not as whole parts. One crop per mask is made once and kept for the session.
 */
import { api } from '../api';

export type Crop =
  /** A finished crop as a data URL (the canvas could be read back). */
  | { kind: 'crop'; src: string; width: number; height: number }
  /** The image route taints the canvas (Electron's gaa-img: without CORS): show the whole image under its mask. */
  | { kind: 'whole'; imageSrc: string; maskSrc: string }
  | { kind: 'failed'; reason: string };

const OUTLINE: [number, number, number] = [255, 48, 96];
/** Margin around the bounding box, as a share of its larger side (at least 6 px). */
const MARGIN = 0.35;
const SIDE = 160;
/** Small defects are enlarged to fill the tile, but not past this factor (beyond it is only blur). */
const MAX_ZOOM = 4;

const cache = new Map<number, Promise<Crop>>();

function crossOrigin(url: string): boolean {
  try {
    return new URL(url, window.location.href).origin !== window.location.origin;
  } catch {
    return true;
  }
}

function load(url: string): Promise<HTMLImageElement> {
  return new Promise((ok, fail) => {
    const img = new Image();
    img.decoding = 'async';
    if (crossOrigin(url)) img.crossOrigin = 'anonymous';
    img.onload = () => ok(img);
    img.onerror = () => fail(new Error(`could not load ${url.split('?')[0]}`));
    img.src = url;
  });
}

function pixels(img: HTMLImageElement): ImageData {
  const c = document.createElement('canvas');
  c.width = img.naturalWidth;
  c.height = img.naturalHeight;
  const ctx = c.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2d context');
  ctx.drawImage(img, 0, 0);
  return ctx.getImageData(0, 0, c.width, c.height);
}

/** On = gray value at least half the mask's maximum (METHOD.md §0), as the engine reads masks. */
function maskOn(d: ImageData): Uint8Array {
  const on = new Uint8Array(d.width * d.height);
  let max = 0;
  for (let i = 0; i < on.length; i++) max = Math.max(max, d.data[i * 4], d.data[i * 4 + 1], d.data[i * 4 + 2]);
  if (max === 0) return on;
  for (let i = 0; i < on.length; i++) on[i] = Math.max(d.data[i * 4], d.data[i * 4 + 1], d.data[i * 4 + 2]) >= max / 2 ? 1 : 0;
  return on;
}

async function makeCrop(imageId: number, maskId: number): Promise<Crop> {
  const imageSrc = api.imageUrl({ kind: 'image', imageId });
  const maskSrc = api.imageUrl({ kind: 'mask', maskId });
  let image: HTMLImageElement;
  let mask: HTMLImageElement;
  try {
    [image, mask] = await Promise.all([load(imageSrc), load(maskSrc)]);
  } catch (err) {
    // A CORS-refused route fails the load itself: the plain elements still show it.
    if (crossOrigin(imageSrc)) return { kind: 'whole', imageSrc, maskSrc };
    return { kind: 'failed', reason: err instanceof Error ? err.message : String(err) };
  }
  let m: ImageData;
  try {
    m = pixels(mask);
  } catch {
    return { kind: 'whole', imageSrc, maskSrc };
  }
  const on = maskOn(m);
  let x0 = m.width, y0 = m.height, x1 = -1, y1 = -1;
  for (let y = 0; y < m.height; y++) {
    for (let x = 0; x < m.width; x++) {
      if (!on[y * m.width + x]) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  if (x1 < 0) return { kind: 'failed', reason: 'empty mask' };
  // The mask may be stored at another size than the image: map its box onto the image.
  const sx = image.naturalWidth / m.width;
  const sy = image.naturalHeight / m.height;
  const side = Math.max(x1 - x0 + 1, y1 - y0 + 1);
  const pad = Math.max(6, Math.round(side * MARGIN));
  // A square window keeps crops of thin scratches from turning into slivers.
  const cx = (x0 + x1 + 1) / 2;
  const cy = (y0 + y1 + 1) / 2;
  const half = Math.min(Math.max(m.width, m.height), side + 2 * pad) / 2;
  const bx0 = Math.max(0, Math.floor(cx - half));
  const by0 = Math.max(0, Math.floor(cy - half));
  const bx1 = Math.min(m.width, Math.ceil(cx + half));
  const by1 = Math.min(m.height, Math.ceil(cy + half));
  const bw = bx1 - bx0;
  const bh = by1 - by0;
  const scale = Math.min(MAX_ZOOM, SIDE / Math.max(bw * sx, bh * sy)) * Math.max(sx, sy);
  const ow = Math.max(1, Math.round(bw * scale));
  const oh = Math.max(1, Math.round(bh * scale));
  const canvas = document.createElement('canvas');
  canvas.width = ow;
  canvas.height = oh;
  const ctx = canvas.getContext('2d');
  if (!ctx) return { kind: 'failed', reason: 'no 2d context' };
  ctx.drawImage(image, bx0 * sx, by0 * sy, bw * sx, bh * sy, 0, 0, ow, oh);
  // Outline: a mask pixel with an off (or out-of-window) neighbour, drawn at output scale.
  const k = ow / bw;
  ctx.fillStyle = `rgb(${OUTLINE.join(',')})`;
  // Thinner than a source pixel once enlarged, so the outline does not hide the defect's rim.
  const dot = Math.max(1.5, k * 0.6);
  for (let y = by0; y < by1; y++) {
    for (let x = bx0; x < bx1; x++) {
      if (!on[y * m.width + x]) continue;
      const edge =
        x === 0 || y === 0 || x === m.width - 1 || y === m.height - 1 ||
        !on[y * m.width + x - 1] || !on[y * m.width + x + 1] || !on[(y - 1) * m.width + x] || !on[(y + 1) * m.width + x];
      if (edge) ctx.fillRect((x - bx0 + 0.5) * k - dot / 2, (y - by0 + 0.5) * k - dot / 2, dot, dot);
    }
  }
  try {
    return { kind: 'crop', src: canvas.toDataURL('image/png'), width: ow, height: oh };
  } catch {
    return { kind: 'whole', imageSrc, maskSrc };
  }
}

/** The crop of one member, made once per mask. */
export function cropOf(imageId: number, maskId: number): Promise<Crop> {
  let p = cache.get(maskId);
  if (!p) {
    p = makeCrop(imageId, maskId);
    cache.set(maskId, p);
  }
  return p;
}
