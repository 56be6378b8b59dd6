/**
 * Raster primitives for the demo scenes: linear-light float RGB images and single-channel
 * coverage planes, anti-aliased polygon/ellipse/stroke coverage, Gaussian blur, compositing.
 */

export type Rgb = readonly [number, number, number];
export type Points = number[]; // x0, y0, x1, y1, ...

export interface FloatImage {
  width: number;
  height: number;
  /** Interleaved RGB, nominally 0..1. */
  data: Float32Array;
}

export function createImage(width: number, height: number, fill: Rgb): FloatImage {
  const data = new Float32Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    data[i * 3] = fill[0];
    data[i * 3 + 1] = fill[1];
    data[i * 3 + 2] = fill[2];
  }
  return { width, height, data };
}

export function createPlane(width: number, height: number): Float32Array {
  return new Float32Array(width * height);
}

const SUBROWS = 4;

/**
 * Even-odd polygon coverage, max-combined into `plane`. Each pixel row is sampled on
 * SUBROWS scanlines with exact fractional horizontal span ends, so edges are anti-aliased
 * in both directions at a cost linear in the polygon's area.
 */
export function fillPolygon(plane: Float32Array, width: number, height: number, pts: Points, value = 1): void {
  const n = pts.length / 2;
  if (n < 3) return;
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, pts[i * 2]);
    maxX = Math.max(maxX, pts[i * 2]);
    minY = Math.min(minY, pts[i * 2 + 1]);
    maxY = Math.max(maxY, pts[i * 2 + 1]);
  }
  const x0 = Math.max(0, Math.floor(minX));
  const x1 = Math.min(width - 1, Math.ceil(maxX));
  const y0 = Math.max(0, Math.floor(minY));
  const y1 = Math.min(height - 1, Math.ceil(maxY));
  if (x0 > x1 || y0 > y1) return;
  const span = x1 - x0 + 1;
  const acc = new Float32Array(span + 1);
  const xs: number[] = [];
  const w = 1 / SUBROWS;
  for (let y = y0; y <= y1; y++) {
    acc.fill(0);
    for (let s = 0; s < SUBROWS; s++) {
      const sy = y + (s + 0.5) * w;
      xs.length = 0;
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const ay = pts[j * 2 + 1];
        const by = pts[i * 2 + 1];
        if ((ay <= sy && by > sy) || (by <= sy && ay > sy)) {
          const ax = pts[j * 2];
          const bx = pts[i * 2];
          xs.push(ax + ((sy - ay) / (by - ay)) * (bx - ax));
        }
      }
      // Insertion sort: a scanline crosses a small polygon two or four times.
      for (let a = 1; a < xs.length; a++) {
        const v = xs[a];
        let b = a - 1;
        while (b >= 0 && xs[b] > v) {
          xs[b + 1] = xs[b];
          b--;
        }
        xs[b + 1] = v;
      }
      for (let k = 0; k + 1 < xs.length; k += 2) addSpan(acc, x0, span, xs[k], xs[k + 1], w);
    }
    const row = y * width;
    for (let i = 0; i < span; i++) {
      const c = Math.min(1, acc[i]) * value;
      if (c > plane[row + x0 + i]) plane[row + x0 + i] = c;
    }
  }
}

function addSpan(acc: Float32Array, x0: number, span: number, a: number, b: number, w: number): void {
  const la = Math.max(a - x0, 0);
  const lb = Math.min(b - x0, span);
  if (lb <= la) return;
  const ia = Math.floor(la);
  const ib = Math.floor(lb);
  if (ia === ib) {
    acc[ia] += (lb - la) * w;
    return;
  }
  acc[ia] += (ia + 1 - la) * w;
  for (let i = ia + 1; i < ib; i++) acc[i] += w;
  if (ib < span) acc[ib] += (lb - ib) * w;
}

export function ellipsePoints(cx: number, cy: number, rx: number, ry: number, angle: number, segments = 40): Points {
  const ca = Math.cos(angle);
  const sa = Math.sin(angle);
  const out: Points = [];
  for (let i = 0; i < segments; i++) {
    const t = (i / segments) * Math.PI * 2;
    const ex = Math.cos(t) * rx;
    const ey = Math.sin(t) * ry;
    out.push(cx + ex * ca - ey * sa, cy + ex * sa + ey * ca);
  }
  return out;
}

/** Axis-aligned rounded rectangle centred on (cx, cy), in the caller's coordinate frame. */
export function roundedRectPoints(cx: number, cy: number, w: number, h: number, r: number, perCorner = 8): Points {
  const out: Points = [];
  const hx = w / 2 - r;
  const hy = h / 2 - r;
  const corners: [number, number, number][] = [
    [hx, hy, 0],
    [-hx, hy, Math.PI / 2],
    [-hx, -hy, Math.PI],
    [hx, -hy, (3 * Math.PI) / 2],
  ];
  for (const [ox, oy, start] of corners) {
    for (let i = 0; i <= perCorner; i++) {
      const t = start + (i / perCorner) * (Math.PI / 2);
      out.push(cx + ox + Math.cos(t) * r, cy + oy + Math.sin(t) * r);
    }
  }
  return out;
}

/**
 * Anti-aliased stroke along a polyline with per-vertex half-widths, max-combined into
 * `plane`: coverage is 1 within the half-width of the nearest segment and falls off over
 * one pixel, so joins are round and thin strokes stay continuous.
 */
export function strokePolyline(plane: Float32Array, width: number, height: number, pts: Points, halfWidths: number[], value = 1): void {
  const n = pts.length / 2;
  for (let i = 0; i + 1 < n; i++) {
    const ax = pts[i * 2], ay = pts[i * 2 + 1];
    const bx = pts[i * 2 + 2], by = pts[i * 2 + 3];
    const ha = halfWidths[i], hb = halfWidths[i + 1];
    const pad = Math.max(ha, hb) + 1.5;
    const xa = Math.max(0, Math.floor(Math.min(ax, bx) - pad));
    const xb = Math.min(width - 1, Math.ceil(Math.max(ax, bx) + pad));
    const ya = Math.max(0, Math.floor(Math.min(ay, by) - pad));
    const yb = Math.min(height - 1, Math.ceil(Math.max(ay, by) + pad));
    const dx = bx - ax, dy = by - ay;
    const len2 = dx * dx + dy * dy || 1e-9;
    for (let y = ya; y <= yb; y++) {
      for (let x = xa; x <= xb; x++) {
        const px = x + 0.5 - ax, py = y + 0.5 - ay;
        const t = Math.max(0, Math.min(1, (px * dx + py * dy) / len2));
        const ex = px - t * dx, ey = py - t * dy;
        const d = Math.sqrt(ex * ex + ey * ey);
        const hw = ha + (hb - ha) * t;
        const c = Math.max(0, Math.min(1, hw + 0.5 - d)) * value;
        const k = y * width + x;
        if (c > plane[k]) plane[k] = c;
      }
    }
  }
}

/**
 * Separable Gaussian blur with clamped borders; returns a new plane. Only the bounding box
 * of the non-zero pixels (grown by the kernel radius) is processed, since most planes here
 * are one object's coverage.
 */
export function gaussianBlur(src: Float32Array, width: number, height: number, sigma: number): Float32Array {
  if (sigma <= 0.05) return src.slice();
  const r = Math.max(1, Math.ceil(sigma * 3));
  const kernel = new Float32Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) {
    kernel[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
    sum += kernel[i + r];
  }
  for (let i = 0; i < kernel.length; i++) kernel[i] /= sum;
  let bx0 = width, bx1 = -1, by0 = height, by1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (src[row + x] !== 0) {
        if (x < bx0) bx0 = x;
        if (x > bx1) bx1 = x;
        if (y < by0) by0 = y;
        by1 = y;
      }
    }
  }
  const out = new Float32Array(src.length);
  if (bx1 < 0) return out;
  bx0 = Math.max(0, bx0 - r);
  bx1 = Math.min(width - 1, bx1 + r);
  by0 = Math.max(0, by0 - r);
  by1 = Math.min(height - 1, by1 + r);
  // The horizontal pass only needs the bounding box; keep it in a box-sized buffer.
  const bw = bx1 - bx0 + 1;
  const tmp = new Float32Array(bw * (by1 - by0 + 1));
  for (let y = by0; y <= by1; y++) {
    const row = y * width;
    const trow = (y - by0) * bw - bx0;
    for (let x = bx0; x <= bx1; x++) {
      let acc = 0;
      if (x - r >= 0 && x + r < width) {
        for (let k = -r; k <= r; k++) acc += src[row + x + k] * kernel[k + r];
      } else {
        for (let k = -r; k <= r; k++) {
          const xx = x + k < 0 ? 0 : x + k >= width ? width - 1 : x + k;
          acc += src[row + xx] * kernel[k + r];
        }
      }
      tmp[trow + x] = acc;
    }
  }
  for (let y = by0; y <= by1; y++) {
    for (let x = bx0; x <= bx1; x++) {
      let acc = 0;
      for (let k = -r; k <= r; k++) {
        // Rows outside the box are zero rows of the source, except where clamping to the
        // image border repeats the box's own edge row.
        let yy = y + k;
        if (yy < 0) yy = 0;
        else if (yy >= height) yy = height - 1;
        if (yy < by0 || yy > by1) continue;
        acc += tmp[(yy - by0) * bw + x - bx0] * kernel[k + r];
      }
      out[y * width + x] = acc;
    }
  }
  return out;
}

/**
 * Blur an interleaved RGB image in place (the lens's point-spread function). Works on the
 * interleaved buffer directly: this runs once per image over every pixel.
 */
export function blurImage(img: FloatImage, sigma: number): void {
  if (sigma <= 0.05) return;
  const { width, height, data } = img;
  // ±2.5σ keeps 98.8 % of the kernel's weight: enough for a sub-pixel lens blur.
  const r = Math.max(1, Math.ceil(sigma * 2.5));
  const kernel = new Float32Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) {
    kernel[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
    sum += kernel[i + r];
  }
  for (let i = 0; i < kernel.length; i++) kernel[i] /= sum;
  const stride = width * 3;
  const tmp = new Float32Array(data.length);
  // Horizontal: interior pixels need no clamping; only the r pixels at each end do.
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    for (let x = 0; x < width; x++) {
      let r0 = 0, g0 = 0, b0 = 0;
      if (x >= r && x < width - r) {
        let i = row + (x - r) * 3;
        for (let k = 0; k <= 2 * r; k++, i += 3) {
          const w = kernel[k];
          r0 += data[i] * w;
          g0 += data[i + 1] * w;
          b0 += data[i + 2] * w;
        }
      } else {
        for (let k = -r; k <= r; k++) {
          const xx = x + k < 0 ? 0 : x + k >= width ? width - 1 : x + k;
          const w = kernel[k + r];
          const i = row + xx * 3;
          r0 += data[i] * w;
          g0 += data[i + 1] * w;
          b0 += data[i + 2] * w;
        }
      }
      const o = row + x * 3;
      tmp[o] = r0;
      tmp[o + 1] = g0;
      tmp[o + 2] = b0;
    }
  }
  // Vertical: accumulate whole rows, which walks memory contiguously.
  data.fill(0);
  for (let y = 0; y < height; y++) {
    const dst = y * stride;
    for (let k = -r; k <= r; k++) {
      const yy = y + k < 0 ? 0 : y + k >= height ? height - 1 : y + k;
      const src = yy * stride;
      const w = kernel[k + r];
      for (let i = 0; i < stride; i++) data[dst + i] += tmp[src + i] * w;
    }
  }
}

/** Paint `color` over the image with per-pixel opacity `alpha * opacity`. */
export function paint(img: FloatImage, alpha: Float32Array, color: Rgb, opacity = 1): void {
  const d = img.data;
  for (let i = 0; i < alpha.length; i++) {
    const a = alpha[i] * opacity;
    if (a <= 0) continue;
    d[i * 3] += (color[0] - d[i * 3]) * a;
    d[i * 3 + 1] += (color[1] - d[i * 3 + 1]) * a;
    d[i * 3 + 2] += (color[2] - d[i * 3 + 2]) * a;
  }
}

/** Multiply the image by `1 - alpha * strength * (1 - tint)`: a translucent absorbing layer (dye, shadow). */
export function absorb(img: FloatImage, alpha: Float32Array, tint: Rgb, strength = 1): void {
  const d = img.data;
  for (let i = 0; i < alpha.length; i++) {
    const a = alpha[i] * strength;
    if (a <= 0) continue;
    d[i * 3] *= 1 - a * (1 - tint[0]);
    d[i * 3 + 1] *= 1 - a * (1 - tint[1]);
    d[i * 3 + 2] *= 1 - a * (1 - tint[2]);
  }
}

/** HSV to RGB, all in 0..1; with v = 1 it is a transmission tint for `absorb`. */
export function hsv(h: number, s: number, v: number): Rgb {
  const f = (n: number) => {
    const k = (n + h * 6) % 6;
    return v * (1 - s * Math.max(0, Math.min(k, 4 - k, 1)));
  };
  return [f(5), f(3), f(1)];
}

/** Binary footprint: 255 where the defect's alpha is at least half its peak. */
export function footprint(alpha: Float32Array): Uint8Array {
  let peak = 0;
  for (let i = 0; i < alpha.length; i++) if (alpha[i] > peak) peak = alpha[i];
  const out = new Uint8Array(alpha.length);
  if (peak <= 0) return out;
  const th = peak * 0.5;
  for (let i = 0; i < alpha.length; i++) out[i] = alpha[i] >= th ? 255 : 0;
  return out;
}

export function countOn(mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) n++;
  return n;
}

/** A similarity transform from an object's own frame into pixels. */
export interface Pose {
  cx: number;
  cy: number;
  angle: number;
  /** Pixels per object unit. */
  scale: number;
}

export function posePoints(pose: Pose, pts: Points): Points {
  const ca = Math.cos(pose.angle) * pose.scale;
  const sa = Math.sin(pose.angle) * pose.scale;
  const out: Points = new Array(pts.length);
  for (let i = 0; i < pts.length; i += 2) {
    out[i] = pose.cx + pts[i] * ca - pts[i + 1] * sa;
    out[i + 1] = pose.cy + pts[i] * sa + pts[i + 1] * ca;
  }
  return out;
}
