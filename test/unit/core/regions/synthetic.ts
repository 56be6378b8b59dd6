import { createMask, type Mask, type Raster } from '../../../../src-main/core/image/raster';
import { createRng } from '../../../../src-main/core/random';

/** Test scenes drawn analytically, so every pose is rendered exactly (no resampling). */

export interface Pose {
  cx: number;
  cy: number;
  /** Radians; positive turns clockwise on screen (y down). */
  angle: number;
  /** Pixels per object unit. */
  scale: number;
}

/** Object coordinates of pixel (x, y). */
export function toObject(p: Pose, x: number, y: number): [number, number] {
  const dx = (x - p.cx) / p.scale;
  const dy = (y - p.cy) / p.scale;
  const c = Math.cos(p.angle);
  const s = Math.sin(p.angle);
  return [c * dx + s * dy, -s * dx + c * dy];
}

function hash2(ix: number, iy: number, seed: number): number {
  let h = Math.imul(ix, 374761393) ^ Math.imul(iy, 668265263) ^ Math.imul(seed, 2246822519);
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** Smooth value noise in [0, 1) with cells of `cell` units. */
export function valueNoise(x: number, y: number, cell: number, seed: number): number {
  const gx = x / cell;
  const gy = y / cell;
  const ix = Math.floor(gx);
  const iy = Math.floor(gy);
  const fx = gx - ix;
  const fy = gy - iy;
  const sx = fx * fx * (3 - 2 * fx);
  const sy = fy * fy * (3 - 2 * fy);
  const a = hash2(ix, iy, seed) + sx * (hash2(ix + 1, iy, seed) - hash2(ix, iy, seed));
  const b = hash2(ix, iy + 1, seed) + sx * (hash2(ix + 1, iy + 1, seed) - hash2(ix, iy + 1, seed));
  return a + sy * (b - a);
}

/** A gray textured picture as a function of object coordinates (for registration tests). */
export function blobScene(seed: number): (x: number, y: number) => number {
  const rng = createRng(seed);
  const blobs = Array.from({ length: 40 }, () => ({ x: rng.next() - 0.5, y: rng.next() - 0.5, r: 0.02 + 0.06 * rng.next(), v: rng.next() * 2 - 1 }));
  return (x, y) => {
    let v = 110 + 40 * valueNoise(x, y, 0.05, seed);
    for (const b of blobs) {
      const d2 = ((x - b.x) ** 2 + (y - b.y) ** 2) / (b.r * b.r);
      if (d2 < 9) v += 90 * b.v * Math.exp(-d2 / 2);
    }
    return v;
  };
}

export function renderGray(w: number, h: number, pose: Pose, scene: (x: number, y: number) => number): Raster {
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const [ox, oy] = toObject(pose, x, y);
    data[y * w + x] = Math.max(0, Math.min(255, Math.round(scene(ox, oy))));
  }
  return { width: w, height: h, channels: 1, data };
}

/** Rounded-free axis-aligned box in object units. */
interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
const inBox = (b: Box, x: number, y: number) => x >= b.x0 && x < b.x1 && y >= b.y0 && y < b.y1;

/** The tray: width 1, height 0.66, three compartments side by side, each with its own texture. */
export const TRAY: Box = { x0: -0.5, y0: -0.33, x1: 0.5, y1: 0.33 };
export const COMPARTMENTS: Record<string, Box> = {
  stripes: { x0: -0.44, y0: -0.26, x1: -0.16, y1: 0.26 },
  grains: { x0: -0.13, y0: -0.26, x1: 0.13, y1: 0.26 },
  cells: { x0: 0.16, y0: -0.26, x1: 0.44, y1: 0.26 },
};

export interface TrayShot {
  image: Raster;
  /** The three compartments. */
  regions: Record<string, Mask>;
  /** The whole tray, compartments included. */
  tray: Mask;
}

/**
 * A light textured tray with three compartments (stripes, fine grains, large cells) on a
 * dark belt, at a pose, under a gain/offset lighting change. `seed` varies the random
 * textures from shot to shot, as real contents differ from box to box.
 */
export function renderTray(w: number, h: number, pose: Pose, gain: number, offset: number, seed: number): TrayShot {
  const data = new Uint8Array(w * h * 3);
  const regions: Record<string, Mask> = {};
  for (const name of Object.keys(COMPARTMENTS)) regions[name] = createMask(w, h);
  const tray = createMask(w, h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const [ox, oy] = toObject(pose, x, y);
    const i = y * w + x;
    let rgb: [number, number, number];
    const belt = 45 + 20 * valueNoise(x, y, 3, seed + 7);
    rgb = [belt, belt, belt * 1.1];
    if (inBox(TRAY, ox, oy)) {
      tray.data[i] = 255;
      const t = 200 + 15 * valueNoise(ox, oy, 0.08, 3);
      rgb = [t, t * 0.98, t * 0.92];
      if (inBox(COMPARTMENTS.stripes, ox, oy)) {
        const s = 0.5 + 0.5 * Math.sin(ox * 2 * Math.PI / 0.04 + 3 * valueNoise(ox, oy, 0.1, seed));
        rgb = [150 + 80 * s, 110 + 60 * s, 60 + 30 * s];
        regions.stripes.data[i] = 255;
      } else if (inBox(COMPARTMENTS.grains, ox, oy)) {
        const g = valueNoise(ox, oy, 0.012, seed + 1);
        rgb = [90 + 120 * g, 140 + 80 * g, 90 + 60 * g];
        regions.grains.data[i] = 255;
      } else if (inBox(COMPARTMENTS.cells, ox, oy)) {
        const c = valueNoise(ox, oy, 0.05, seed + 2) > 0.5 ? 1 : 0;
        rgb = [70 + 140 * c, 80 + 130 * c, 150 + 60 * c];
        regions.cells.data[i] = 255;
      }
    }
    for (let ch = 0; ch < 3; ch++) data[i * 3 + ch] = Math.max(0, Math.min(255, Math.round(rgb[ch] * gain + offset)));
  }
  return { image: { width: w, height: h, channels: 3, data }, regions, tray };
}

export function iou(a: Mask, b: Mask): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.data.length; i++) {
    const p = a.data[i] !== 0;
    const q = b.data[i] !== 0;
    if (p && q) inter++;
    if (p || q) union++;
  }
  return union === 0 ? 1 : inter / union;
}
