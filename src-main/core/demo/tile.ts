import { absorb, createImage, createPlane, ellipsePoints, fillPolygon, gaussianBlur, hsv, paint, strokePolyline, type FloatImage, type Points, type Rgb } from './draw';
import { ValueNoise, noiseField } from './noise';
import type { Rng } from '../random';
import { need, type Range, type TileSurface } from './recipe';

/**
 * The `tile` texture category: a glazed terrazzo-like ceramic surface (mottled glaze,
 * oriented firing grain, micro-roughness, mineral speckles and pebbles) and the structural
 * defects found on it.
 */

export const TILE_DEFECTS = ['crack', 'stain', 'hole', 'scratch'] as const;
export type TileDefect = (typeof TILE_DEFECTS)[number];

export function renderTileSurface(rng: Rng, width: number, height: number, s: TileSurface): FloatImage {
  const j = s.colorJitter;
  const base: Rgb = [s.baseColor[0] + rng.range(-j, j), s.baseColor[1] + rng.range(-j, j), s.baseColor[2] + rng.range(-j, j)];
  const img = createImage(width, height, base);
  const noise = new ValueNoise(rng.fork('noise'));
  const mottle = noiseField(noise, width, height, { cell: rng.within(s.mottleCell), octaves: 4, gain: 0.55 });
  const grainAngle = rng.within(s.grainAngle);
  const grain = noiseField(noise, width, height, {
    cell: rng.within(s.grainCell),
    octaves: 2,
    angle: grainAngle,
    stretch: rng.within(s.grainStretch),
  });
  const rough = noiseField(noise, width, height, { cell: 1.3, octaves: 1 });
  const mAmp = rng.within(s.mottleAmp);
  const gAmp = rng.within(s.grainAmp);
  const rAmp = rng.within(s.roughAmp);
  // The glaze mottling shifts hue slightly as well as brightness (thicker glaze is warmer).
  const warm = rng.range(0.2, 0.5);
  const d = img.data;
  for (let i = 0; i < width * height; i++) {
    const m = mottle[i] * mAmp;
    const k = 1 + m + grain[i] * gAmp + rough[i] * rAmp;
    d[i * 3] *= k + m * warm * 0.3;
    d[i * 3 + 1] *= k;
    d[i * 3 + 2] *= k - m * warm * 0.3;
  }
  scatterGrains(img, rng.fork('speckle'), rng.within(s.speckleDensity), s.speckleRadius, false);
  scatterGrains(img, rng.fork('pebble'), rng.within(s.pebbleDensity), s.pebbleRadius, true);
  return img;
}

/** Mineral inclusions: small dark and light grains, and fewer larger irregular pebbles. */
function scatterGrains(img: FloatImage, rng: Rng, density: number, radius: Range, pebbles: boolean): void {
  const { width, height } = img;
  const count = Math.round(density * width * height);
  const plane = createPlane(width, height);
  for (let n = 0; n < count; n++) {
    const cx = rng.range(-4, width + 4);
    const cy = rng.range(-4, height + 4);
    const r = rng.within(radius);
    const verts = pebbles ? rng.intBetween(6, 9) : 10;
    const pts: Points = [];
    const rot = rng.range(0, Math.PI * 2);
    const aspect = rng.range(0.55, 1);
    for (let v = 0; v < verts; v++) {
      const t = rot + (v / verts) * Math.PI * 2;
      const rr = r * (pebbles ? rng.range(0.55, 1.2) : rng.range(0.85, 1.1));
      pts.push(cx + Math.cos(t) * rr, cy + Math.sin(t) * rr * aspect);
    }
    const x0 = Math.max(0, Math.floor(cx - r - 2)), x1 = Math.min(width - 1, Math.ceil(cx + r + 2));
    const y0 = Math.max(0, Math.floor(cy - r - 2)), y1 = Math.min(height - 1, Math.ceil(cy + r + 2));
    for (let y = y0; y <= y1; y++) plane.fill(0, y * width + x0, y * width + x1 + 1);
    fillPolygon(plane, width, height, pts);
    const tone = rng.next();
    let color: Rgb;
    if (pebbles) {
      const g = rng.range(0.38, 0.82);
      const warmth = rng.range(0, 0.08);
      color = [g * (1 + warmth), g, g * (1 - warmth)];
    } else if (tone < 0.6) {
      const g = rng.range(0.12, 0.35);
      color = [g, g * 0.97, g * 0.94];
    } else {
      const g = rng.range(0.78, 0.95);
      color = [g, g, g * 0.97];
    }
    const opacity = pebbles ? rng.range(0.35, 0.7) : rng.range(0.55, 0.95);
    const d = img.data;
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const k = y * width + x;
        const a = plane[k] * opacity;
        if (a <= 0) continue;
        d[k * 3] += (color[0] - d[k * 3]) * a;
        d[k * 3 + 1] += (color[1] - d[k * 3 + 1]) * a;
        d[k * 3 + 2] += (color[2] - d[k * 3 + 2]) * a;
      }
    }
  }
}

/** Draws one defect onto the surface and returns its alpha (the mask is its ≥ 0.5 footprint). */
export function applyTileDefect(img: FloatImage, rng: Rng, subtype: string, params: Record<string, Range>, lightAngle: number): Float32Array {
  const where = `tile/${subtype}`;
  const p = (key: string) => rng.within(need(params, key, where));
  switch (subtype) {
    case 'crack':
      return crack(img, rng, p);
    case 'stain':
      return stain(img, rng, p);
    case 'hole':
      return hole(img, rng, p, lightAngle);
    case 'scratch':
      return scratch(img, rng, p);
    default:
      throw new Error(`demo recipe: tile has no defect subtype "${subtype}" (known: ${TILE_DEFECTS.join(', ')})`);
  }
}

type Sample = (key: string) => number;

/** A thin dark fracture: a wandering main path with tapering branches, sharp-edged. */
function crack(img: FloatImage, rng: Rng, p: Sample): Float32Array {
  const { width, height } = img;
  const side = Math.min(width, height);
  const alpha = createPlane(width, height);
  const length = p('lengthFrac') * side;
  const halfWidth = p('halfWidthPx');
  const wiggle = p('wiggle');
  const branches = Math.round(p('branches'));
  const start: [number, number] = [rng.range(0.2, 0.8) * width, rng.range(0.2, 0.8) * height];
  const heading = rng.range(0, Math.PI * 2);
  const main = walk(rng, start, heading, length, wiggle, width, height);
  strokePolyline(alpha, width, height, main, taper(main.length / 2, halfWidth), 1);
  for (let b = 0; b < branches; b++) {
    const at = rng.intBetween(Math.floor(main.length / 6), Math.max(1, Math.floor(main.length / 2) - 2));
    const from: [number, number] = [main[at * 2], main[at * 2 + 1]];
    const dir = Math.atan2(main[at * 2 + 3] - main[at * 2 + 1], main[at * 2 + 2] - main[at * 2]) + rng.sign() * rng.range(0.45, 1.1);
    const arm = walk(rng, from, dir, length * rng.range(0.2, 0.45), wiggle, width, height);
    strokePolyline(alpha, width, height, arm, taper(arm.length / 2, halfWidth * 0.75), 1);
  }
  // Depth, and so darkness, varies along a real crack.
  const noise = new ValueNoise(rng.fork('crack'));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const k = y * width + x;
      if (alpha[k] > 0) alpha[k] *= 0.72 + 0.28 * (0.5 + 0.5 * noise.sample(x / 9, y / 9));
    }
  }
  absorb(img, alpha, [0.3, 0.27, 0.24], p('darkness'));
  return alpha;
}

/**
 * A fracture keeps its overall direction (stress runs one way) but kinks sharply at grain
 * boundaries: heading deviation reverts to the mean, with occasional jumps.
 */
function walk(rng: Rng, from: [number, number], heading: number, length: number, wiggle: number, width: number, height: number): Points {
  const pts: Points = [from[0], from[1]];
  let [x, y] = from;
  let dev = 0;
  let travelled = 0;
  while (travelled < length) {
    const step = rng.range(2, 5);
    dev = dev * 0.7 + rng.normal() * wiggle;
    if (rng.chance(0.08)) dev += rng.sign() * rng.range(0.4, 0.8);
    x += Math.cos(heading + dev) * step;
    y += Math.sin(heading + dev) * step;
    if (x < 3 || y < 3 || x > width - 3 || y > height - 3) break;
    pts.push(x, y);
    travelled += step;
  }
  return pts;
}

/** Half-widths along a path: full in the middle, thinning to ~45 % at both tips. */
function taper(n: number, halfWidth: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = n > 1 ? i / (n - 1) : 0.5;
    out.push(halfWidth * (0.45 + 0.55 * Math.sin(Math.PI * t)));
  }
  return out;
}

/** A large translucent discolouration (rust, oil, dried liquid) with soft, irregular edges and a faint tide line. */
function stain(img: FloatImage, rng: Rng, p: Sample): Float32Array {
  const { width, height } = img;
  const side = Math.min(width, height);
  const r = p('radiusFrac') * side;
  const aspect = p('aspect');
  const cx = rng.range(r * 1.3, width - r * 1.3);
  const cy = rng.range(r * 1.3, height - r * 1.3);
  const rot = rng.range(0, Math.PI);
  const noise = new ValueNoise(rng.fork('stain'));
  const pts: Points = [];
  for (let v = 0; v < 72; v++) {
    const t = (v / 72) * Math.PI * 2;
    const rr = r * (1 + 0.32 * noise.fbm(Math.cos(t) * 1.6 + 40, Math.sin(t) * 1.6 + 40, 3));
    const ex = Math.cos(t) * rr;
    const ey = Math.sin(t) * rr * aspect;
    pts.push(cx + ex * Math.cos(rot) - ey * Math.sin(rot), cy + ex * Math.sin(rot) + ey * Math.cos(rot));
  }
  const hard = createPlane(width, height);
  fillPolygon(hard, width, height, pts);
  const alpha = gaussianBlur(hard, width, height, r * p('softness'));
  let peak = 0;
  for (let i = 0; i < alpha.length; i++) peak = Math.max(peak, alpha[i]);
  const cell = r * 0.35;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const k = y * width + x;
      if (alpha[k] <= 0.001) continue;
      const a = alpha[k] / peak;
      // Pigment gathers at the drying front: a faint darker rim inside the edge.
      const tide = 1 + 0.35 * Math.max(0, 1 - Math.abs(a - 0.6) / 0.25);
      alpha[k] = Math.min(1, a * (0.8 + 0.2 * noise.fbm(x / cell, y / cell, 2)) * tide);
    }
  }
  absorb(img, alpha, hsv(p('hue'), p('saturation'), 1), p('opacity'));
  return alpha;
}

/** A small pit: dark opaque interior, its far wall catching the light, a raised rim lit on one side. */
function hole(img: FloatImage, rng: Rng, p: Sample, lightAngle: number): Float32Array {
  const { width, height, data } = img;
  const r = p('radiusPx');
  const rim = p('rimPx');
  const aspect = rng.range(0.75, 1);
  const rot = rng.range(0, Math.PI);
  const cx = rng.range(r + rim + 6, width - r - rim - 6);
  const cy = rng.range(r + rim + 6, height - r - rim - 6);
  const pit = createPlane(width, height);
  fillPolygon(pit, width, height, ellipsePoints(cx, cy, r, r * aspect, rot, 36));
  const outer = createPlane(width, height);
  fillPolygon(outer, width, height, ellipsePoints(cx, cy, r + rim, (r + rim) * aspect, rot, 36));
  const lx = Math.cos(lightAngle), ly = Math.sin(lightAngle);
  const depth = p('depth');
  const rimContrast = p('rimContrast');
  const x0 = Math.max(0, Math.floor(cx - r - rim - 2)), x1 = Math.min(width - 1, Math.ceil(cx + r + rim + 2));
  const y0 = Math.max(0, Math.floor(cy - r - rim - 2)), y1 = Math.min(height - 1, Math.ceil(cy + r + rim + 2));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const k = y * width + x;
      const dx = x + 0.5 - cx, dy = y + 0.5 - cy;
      const dist = Math.sqrt(dx * dx + dy * dy) || 1;
      // Light arrives from lightAngle: the rim facing it brightens, the far one shades.
      const facing = -(dx * lx + dy * ly) / dist;
      const ring = Math.max(0, outer[k] - pit[k]);
      const rimGain = 1 + ring * rimContrast * facing;
      // Inside, the wall opposite the light is lit and the near wall is in shadow.
      const wall = Math.max(0, -facing) * Math.min(1, dist / r);
      const pitGain = 1 - depth * (1 - 0.55 * wall);
      const g = rimGain * (1 - pit[k]) + pitGain * pit[k];
      data[k * 3] *= g;
      data[k * 3 + 1] *= g;
      data[k * 3 + 2] *= g * 0.97;
    }
  }
  const alpha = createPlane(width, height);
  fillPolygon(alpha, width, height, ellipsePoints(cx, cy, r + rim * 0.5, (r + rim * 0.5) * aspect, rot, 36));
  return alpha;
}

/** A long thin bright line where the glaze was scored, nearly straight, fading at the ends. */
function scratch(img: FloatImage, rng: Rng, p: Sample): Float32Array {
  const { width, height } = img;
  const side = Math.min(width, height);
  const length = p('lengthFrac') * side;
  const angle = rng.range(0, Math.PI);
  const cx = width / 2 + rng.range(-0.2, 0.2) * width;
  const cy = height / 2 + rng.range(-0.2, 0.2) * height;
  const bend = p('bend') * length;
  const pts: Points = [];
  const steps = 24;
  for (let i = 0; i <= steps; i++) {
    const t = i / steps - 0.5;
    const off = bend * (1 - 4 * t * t);
    const x = cx + Math.cos(angle) * t * length - Math.sin(angle) * off;
    const y = cy + Math.sin(angle) * t * length + Math.cos(angle) * off;
    pts.push(Math.max(2, Math.min(width - 2, x)), Math.max(2, Math.min(height - 2, y)));
  }
  const hw = p('halfWidthPx');
  const alpha = createPlane(width, height);
  strokePolyline(alpha, width, height, pts, taper(steps + 1, hw).map((w) => Math.max(0.5, w * 1.2)), 1);
  paint(img, alpha, [0.93, 0.93, 0.92], p('brightness'));
  return alpha;
}
