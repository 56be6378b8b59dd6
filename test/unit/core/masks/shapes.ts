import { createMask, type Mask } from '../../../../src-main/core/image/raster';

/** Test fixtures: masks drawn from closed-form shapes (pixel centres at x + ½, y + ½). */
export function drawMask(width: number, height: number, inside: (x: number, y: number) => boolean): Mask {
  const m = createMask(width, height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (inside(x + 0.5, y + 0.5)) m.data[y * width + x] = 255;
  return m;
}

export function ellipse(width: number, height: number, cx: number, cy: number, rx: number, ry: number): Mask {
  return drawMask(width, height, (x, y) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1);
}

/** A thick "C": annulus between radii r0 and r1 with a gap of ±gap radians around the +x axis. Non-convex. */
export function cRegion(size: number, r0: number, r1: number, gap: number): Mask {
  const c = size / 2;
  return drawMask(size, size, (x, y) => {
    const r = Math.hypot(x - c, y - c);
    return r > r0 && r < r1 && Math.abs(Math.atan2(y - c, x - c)) > gap;
  });
}

export function countOn(m: Mask): number {
  let n = 0;
  for (const v of m.data) if (v) n++;
  return n;
}

export function centroidOf(m: Mask): [number, number] {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < m.data.length; i++) if (m.data[i]) {
    n++;
    sx += (i % m.width) + 0.5;
    sy += Math.floor(i / m.width) + 0.5;
  }
  return [sx / n, sy / n];
}

/** Pixels of `m` that are also in `region`, over all pixels of `m`. */
export function fractionInside(m: Mask, region: Mask): number {
  let n = 0;
  let k = 0;
  for (let i = 0; i < m.data.length; i++) if (m.data[i]) {
    n++;
    if (region.data[i]) k++;
  }
  return k / n;
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
  return union ? inter / union : 0;
}
