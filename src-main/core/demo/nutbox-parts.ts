import { absorb, createPlane, fillPolygon, posePoints, roundedRectPoints, strokePolyline, type FloatImage, type Points, type Pose, type Rgb } from './draw';
import type { Rng } from '../random';
import type { Light } from './shade';

/**
 * Contents and marks of the nutbox scene: cereal flakes, the printed label, foreign objects
 * and scuffs. Coordinates are in the tray's own frame (tray width = 1), mapped by a Pose.
 */

export interface Rect {
  cx: number;
  cy: number;
  w: number;
  h: number;
  r: number;
}

export function rectPoints(r: Rect, perCorner = 8): Points {
  return roundedRectPoints(r.cx, r.cy, r.w, r.h, r.r, perCorner);
}

/** A random point inside a rect, kept `margin` away from its sides. */
export function pointIn(rng: Rng, r: Rect, margin: number): [number, number] {
  return [r.cx + rng.range(-0.5, 0.5) * (r.w - 2 * margin), r.cy + rng.range(-0.5, 0.5) * (r.h - 2 * margin)];
}

/** Irregular convex-ish outline: `verts` points at jittered radii around a centre. */
function blobPoints(rng: Rng, cx: number, cy: number, radius: number, verts: number, jitter: [number, number], aspect = 1): Points {
  const pts: Points = [];
  const rot = rng.range(0, Math.PI * 2);
  const ca = Math.cos(rot), sa = Math.sin(rot);
  for (let v = 0; v < verts; v++) {
    const t = (v / verts) * Math.PI * 2 + rng.range(-0.25, 0.25);
    const rr = radius * rng.within(jitter);
    const ex = Math.cos(t) * rr, ey = Math.sin(t) * rr * aspect;
    pts.push(cx + ex * ca - ey * sa, cy + ex * sa + ey * ca);
  }
  return pts;
}

function scalePoints(pts: Points, cx: number, cy: number, s: number): Points {
  return pts.map((v, i) => (i % 2 === 0 ? cx + (v - cx) * s : cy + (v - cy) * s));
}

/** Pixel box around the points, grown by `pad` and clipped to the image (inclusive bounds). */
function paddedBox(img: FloatImage, pts: Points, pad: number): { x0: number; x1: number; y0: number; y1: number } {
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < pts.length; i += 2) {
    minX = Math.min(minX, pts[i]);
    maxX = Math.max(maxX, pts[i]);
    minY = Math.min(minY, pts[i + 1]);
    maxY = Math.max(maxY, pts[i + 1]);
  }
  return {
    x0: Math.max(0, Math.floor(minX - pad)),
    x1: Math.min(img.width - 1, Math.ceil(maxX + pad)),
    y0: Math.max(0, Math.floor(minY - pad)),
    y1: Math.min(img.height - 1, Math.ceil(maxY + pad)),
  };
}

/** Composite `color` through a coverage plane limited to a bounding box, multiplied by `clip`. */
function paintBox(img: FloatImage, cov: Float32Array, pts: Points, color: Rgb, clip: Float32Array | null, pad = 2): void {
  const { width, data } = img;
  const { x0, x1, y0, y1 } = paddedBox(img, pts, pad);
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const k = y * width + x;
      const a = cov[k] * (clip ? clip[k] : 1);
      cov[k] = 0;
      if (a <= 0) continue;
      data[k * 3] += (color[0] - data[k * 3]) * a;
      data[k * 3 + 1] += (color[1] - data[k * 3 + 1]) * a;
      data[k * 3 + 2] += (color[2] - data[k * 3 + 2]) * a;
    }
  }
}

function shadeBox(img: FloatImage, cov: Float32Array, pts: Points, strength: number, clip: Float32Array | null, pad = 3): void {
  const { width, data } = img;
  const { x0, x1, y0, y1 } = paddedBox(img, pts, pad);
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const k = y * width + x;
      const a = cov[k] * (clip ? clip[k] : 1) * strength;
      cov[k] = 0;
      if (a <= 0) continue;
      data[k * 3] *= 1 - a;
      data[k * 3 + 1] *= 1 - a;
      data[k * 3 + 2] *= 1 - a;
    }
  }
}

/** Toasted cereal flakes piled in a compartment: darker toasted rims, each flake tilted differently. */
export function drawFlakes(img: FloatImage, rng: Rng, pose: Pose, area: Rect, count: number, radius: [number, number], light: Light, clip: Float32Array): void {
  const { width, height } = img;
  const cov = createPlane(width, height);
  const base: Rgb = [0.84, 0.7, 0.46];
  for (let n = 0; n < count; n++) {
    const [ox, oy] = pointIn(rng, area, 0.005);
    const r = rng.within(radius);
    const outline = posePoints(pose, blobPoints(rng, ox, oy, r, rng.intBetween(6, 9), [0.7, 1.1], rng.range(0.6, 1)));
    const [px, py] = posePoints(pose, [ox, oy]);
    const lift = r * pose.scale * 0.3;
    const shadow = outline.map((v, i) => v - (i % 2 === 0 ? light.x : light.y) * lift);
    fillPolygon(cov, width, height, shadow);
    shadeBox(img, cov, shadow, 0.35, clip);
    const tilt = rng.range(0.72, 1.12);
    const tone = rng.range(0.88, 1.08);
    const c: Rgb = [base[0] * tone * tilt, base[1] * tone * tilt, base[2] * tone * tilt * rng.range(0.85, 1.05)];
    fillPolygon(cov, width, height, outline);
    paintBox(img, cov, outline, [c[0] * 0.72, c[1] * 0.62, c[2] * 0.5], clip);
    const inner = scalePoints(outline, px, py, rng.range(0.72, 0.85));
    fillPolygon(cov, width, height, inner);
    paintBox(img, cov, inner, c, clip);
  }
}

/** The printed sticker: paper, rows of "words" and a barcode. Its layout is fixed per product. */
export function drawLabel(img: FloatImage, layout: Rng, pose: Pose, label: Rect): void {
  const { width, height } = img;
  const cov = createPlane(width, height);
  const paper = posePoints(pose, rectPoints(label, 4));
  fillPolygon(cov, width, height, paper);
  paintBox(img, cov, paper, [0.94, 0.94, 0.91], null);
  const ink: Rgb = [0.16, 0.18, 0.26];
  const left = label.cx - label.w / 2 + 0.018;
  const textRight = label.cx + label.w * 0.12;
  const lineH = label.h / 5.2;
  for (let row = 0; row < 3; row++) {
    const y = label.cy - label.h / 2 + lineH * (1.1 + row * 1.35);
    const hh = row === 0 ? lineH * 0.62 : lineH * 0.42;
    let x = left;
    while (x < textRight) {
      const w = Math.min(textRight - x, layout.range(0.012, 0.045) * (row === 0 ? 1.3 : 1));
      const word = posePoints(pose, [x, y, x + w, y, x + w, y + hh, x, y + hh]);
      fillPolygon(cov, width, height, word);
      paintBox(img, cov, word, ink, null);
      x += w + layout.range(0.006, 0.01);
    }
  }
  let bx = label.cx + label.w * 0.18;
  const bTop = label.cy - label.h / 2 + lineH * 0.8;
  const bBottom = label.cy + label.h / 2 - lineH * 0.8;
  while (bx < label.cx + label.w / 2 - 0.014) {
    const bw = layout.pick([0.0016, 0.0024, 0.0036]);
    const bar = posePoints(pose, [bx, bTop, bx + bw, bTop, bx + bw, bBottom, bx, bBottom]);
    fillPolygon(cov, width, height, bar);
    paintBox(img, cov, bar, [0.08, 0.08, 0.1], null);
    bx += bw + layout.pick([0.0016, 0.0024, 0.0036]);
  }
}

/**
 * A foreign object (plastic shard or rubber fragment): saturated or very dark, sharp-edged,
 * lit on the side facing the light, casting a small shadow. Returns its coverage.
 */
export function drawContaminant(img: FloatImage, rng: Rng, pose: Pose, at: [number, number], size: number, color: Rgb, light: Light): Float32Array {
  const { width, height, data } = img;
  const elongated = rng.chance(0.5);
  const outline = posePoints(pose, blobPoints(rng, at[0], at[1], size * 0.6, rng.intBetween(5, 8), [0.55, 1.05], elongated ? rng.range(0.3, 0.5) : rng.range(0.65, 1)));
  const lift = size * pose.scale * 0.12;
  const shadowPts = outline.map((v, i) => v - (i % 2 === 0 ? light.x : light.y) * lift);
  const shadow = createPlane(width, height);
  fillPolygon(shadow, width, height, shadowPts);
  absorb(img, shadow, [0.2, 0.2, 0.22], 0.45);
  const cov = createPlane(width, height);
  fillPolygon(cov, width, height, outline);
  const [px, py] = posePoints(pose, at);
  const rPx = (size / 2) * pose.scale;
  for (let k = 0; k < cov.length; k++) {
    const a = cov[k];
    if (a <= 0) continue;
    const x = (k % width) + 0.5 - px, y = Math.floor(k / width) + 0.5 - py;
    // A flat facet tilted towards the light, plus a specular glint near the lit edge.
    const facing = (x * light.x + y * light.y) / rPx;
    const s = 0.85 + 0.3 * facing;
    const glint = Math.max(0, facing - 0.55) * 0.6;
    for (let c = 0; c < 3; c++) data[k * 3 + c] += (color[c] * s + glint - data[k * 3 + c]) * a;
  }
  return cov;
}

/** A scuff on the tray: a thin groove holding dirt, nearly straight, clipped to the tray surface. */
export function drawScuff(img: FloatImage, rng: Rng, pose: Pose, from: [number, number], angle: number, length: number, halfWidthPx: number, strength: number, clip: Uint8Array): Float32Array {
  const { width, height } = img;
  const bend = rng.range(-0.06, 0.06) * length;
  const pts: Points = [];
  const steps = 16;
  for (let i = 0; i <= steps; i++) {
    const t = i / steps - 0.5;
    const off = bend * (1 - 4 * t * t);
    pts.push(from[0] + Math.cos(angle) * t * length - Math.sin(angle) * off, from[1] + Math.sin(angle) * t * length + Math.cos(angle) * off);
  }
  const px = posePoints(pose, pts);
  const widths = pts.filter((_, i) => i % 2 === 0).map((_, i) => halfWidthPx * (0.5 + 0.5 * Math.sin((Math.PI * i) / steps)) + 0.35);
  const alpha = createPlane(width, height);
  strokePolyline(alpha, width, height, px, widths, 1);
  for (let k = 0; k < alpha.length; k++) if (!clip[k]) alpha[k] = 0;
  absorb(img, alpha, [0.42, 0.41, 0.4], strength);
  return alpha;
}
