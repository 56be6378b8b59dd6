/**
 * Test-only synthetic anomalies of three visually different kinds on a noisy, textured
 * background: thin dark lines (scratches), soft light blobs (stains), small dark round
 * pits. Seeded; used by the AMFC recovery test and by the timing script.
 */
import { createRng, type Rng } from '../../../../src-main/core/random';
import { createMask, createRaster, type Mask, type Raster } from '../../../../src-main/core/image/raster';

export type SyntheticKind = 'line' | 'blob' | 'pit';
export const SYNTHETIC_KINDS: readonly SyntheticKind[] = ['line', 'blob', 'pit'];

export interface SyntheticAnomaly {
  kind: SyntheticKind;
  image: Raster;
  mask: Mask;
}

function gauss(rng: Rng): number {
  const u = Math.max(rng.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** A woven, slightly tinted metal-like texture with pixel noise. */
function background(size: number, rng: Rng): Float64Array {
  const px = new Float64Array(size * size * 3);
  const phase = rng.next() * 6.28;
  const base = [128 + 10 * gauss(rng), 124 + 10 * gauss(rng), 116 + 10 * gauss(rng)];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const weave = 10 * Math.sin(x * 0.7 + phase) * Math.sin(y * 0.55) + 6 * Math.sin((x + y) * 0.21);
      const noise = 6 * gauss(rng);
      for (let c = 0; c < 3; c++) px[(y * size + x) * 3 + c] = base[c] + weave + noise;
    }
  }
  return px;
}

function toRaster(px: Float64Array, size: number): Raster {
  const r = createRaster(size, size, 3);
  for (let i = 0; i < px.length; i++) r.data[i] = Math.max(0, Math.min(255, Math.round(px[i])));
  return r;
}

export function syntheticAnomaly(kind: SyntheticKind, size: number, rng: Rng): SyntheticAnomaly {
  const px = background(size, rng);
  const mask = createMask(size, size);
  const s = size / 128;
  const cx = size * (0.35 + 0.3 * rng.next());
  const cy = size * (0.35 + 0.3 * rng.next());
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      let delta = 0;
      let on = false;
      if (kind === 'line') continue;
      const dx = x - cx;
      const dy = y - cy;
      const r = Math.hypot(dx, dy);
      if (kind === 'blob') {
        const radius = (10 + 2 * Math.sin(7 * cx)) * s;
        const falloff = Math.exp(-(r * r) / (2 * radius * radius));
        delta = 55 * falloff;
        on = falloff > 0.35;
        px[i * 3] += delta * 1.05;
        px[i * 3 + 1] += delta;
        px[i * 3 + 2] += delta * 0.9;
      } else {
        const radius = (3.5 + 1.5 * Math.sin(5 * cy)) * s;
        on = r <= radius;
        if (on) for (let c = 0; c < 3; c++) px[i * 3 + c] = 35 + 10 * (r / radius) + 4 * Math.sin(x + y);
      }
      if (on) mask.data[i] = 255;
    }
  }
  if (kind === 'line') {
    const angle = rng.next() * Math.PI;
    const half = (18 + 12 * rng.next()) * s;
    const width = (0.8 + 0.5 * rng.next()) * s;
    const ux = Math.cos(angle);
    const uy = Math.sin(angle);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const dx = x - cx;
        const dy = y - cy;
        const along = dx * ux + dy * uy;
        const across = Math.abs(-dx * uy + dy * ux);
        if (Math.abs(along) > half || across > width) continue;
        const i = y * size + x;
        mask.data[i] = 255;
        for (let c = 0; c < 3; c++) px[i * 3 + c] -= 60 * (1 - 0.4 * (across / width));
      }
    }
  }
  return { kind, image: toRaster(px, size), mask };
}

/** n anomalies cycling through the three kinds, each on its own size×size image. */
export function syntheticAnomalies(n: number, size: number, seed: number): SyntheticAnomaly[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => syntheticAnomaly(SYNTHETIC_KINDS[i % 3], size, rng));
}
