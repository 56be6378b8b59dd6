import type { Rng } from '../random';

/**
 * Periodic value noise on a square lattice. Cheap (one table lookup per corner) and smooth
 * enough for material texture once a few octaves are summed; the period is large (256
 * cells) so no repetition is visible at the cell sizes the demo uses.
 */
const PERIOD = 256;
const MASK = PERIOD - 1;

export class ValueNoise {
  private readonly table: Float32Array;

  constructor(rng: Rng) {
    this.table = new Float32Array(PERIOD * PERIOD);
    for (let i = 0; i < this.table.length; i++) this.table[i] = rng.next() * 2 - 1;
  }

  /** Noise in [-1, 1] at continuous lattice coordinates. */
  sample(x: number, y: number): number {
    const xf = Math.floor(x);
    const yf = Math.floor(y);
    const tx = x - xf;
    const ty = y - yf;
    // Quintic fade: continuous second derivative, so no lattice-aligned creases in shading.
    const sx = tx * tx * tx * (tx * (tx * 6 - 15) + 10);
    const sy = ty * ty * ty * (ty * (ty * 6 - 15) + 10);
    const x0 = xf & MASK;
    const y0 = yf & MASK;
    const x1 = (x0 + 1) & MASK;
    const y1 = (y0 + 1) & MASK;
    const t = this.table;
    const a = t[y0 * PERIOD + x0];
    const b = t[y0 * PERIOD + x1];
    const c = t[y1 * PERIOD + x0];
    const d = t[y1 * PERIOD + x1];
    const top = a + (b - a) * sx;
    const bottom = c + (d - c) * sx;
    return top + (bottom - top) * sy;
  }

  /** Fractal sum; each octave doubles frequency and multiplies amplitude by `gain`. Roughly in [-1, 1]. */
  fbm(x: number, y: number, octaves: number, gain = 0.5): number {
    let sum = 0;
    let amp = 1;
    let norm = 0;
    let f = 1;
    for (let o = 0; o < octaves; o++) {
      // Offset each octave so the lattice origins do not line up.
      sum += amp * this.sample(x * f + o * 17.3, y * f + o * 31.7);
      norm += amp;
      amp *= gain;
      f *= 2;
    }
    return sum / norm;
  }
}

export interface FieldOptions {
  /** Size in pixels of one lattice cell of the coarsest octave. */
  cell: number;
  octaves: number;
  gain?: number;
  /** Grain direction in radians and stretch (> 1 elongates features along that direction). */
  angle?: number;
  stretch?: number;
}

/**
 * A full-image fractal noise field, optionally anisotropic (brushed or fibrous grain). Each
 * octave is evaluated on a grid about a third of its own cell size and bilinearly
 * interpolated: invisible at that scale, and the coarse octaves become almost free.
 */
export function noiseField(noise: ValueNoise, width: number, height: number, o: FieldOptions): Float32Array {
  const angle = o.angle ?? 0;
  const stretch = o.stretch ?? 1;
  const gain = o.gain ?? 0.5;
  const ca = Math.cos(angle);
  const sa = Math.sin(angle);
  const out = new Float32Array(width * height);
  let amp = 1;
  let norm = 0;
  for (let oct = 0; oct < o.octaves; oct++) {
    norm += amp;
    amp *= gain;
  }
  amp = 1 / norm;
  for (let oct = 0; oct < o.octaves; oct++) {
    const f = 2 ** oct / o.cell;
    // Same lattice offsets as ValueNoise.fbm, so both give the same field.
    const ox = oct * 17.3, oy = oct * 31.7;
    const at = (x: number, y: number) => noise.sample(((x * ca + y * sa) * f) / stretch + ox, (-x * sa + y * ca) * f + oy);
    const step = Math.max(1, Math.min(8, Math.floor(o.cell / 2 ** oct / 3)));
    if (step === 1) {
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] += amp * at(x, y);
    } else {
      const gw = Math.ceil((width - 1) / step) + 1;
      const gh = Math.ceil((height - 1) / step) + 1;
      const grid = new Float32Array(gw * gh);
      for (let gy = 0; gy < gh; gy++) for (let gx = 0; gx < gw; gx++) grid[gy * gw + gx] = at(gx * step, gy * step);
      for (let y = 0; y < height; y++) {
        const fy = y / step;
        const y0 = Math.min(gh - 2, Math.floor(fy));
        const ty = fy - y0;
        for (let x = 0; x < width; x++) {
          const fx = x / step;
          const x0 = Math.min(gw - 2, Math.floor(fx));
          const tx = fx - x0;
          const a = grid[y0 * gw + x0], b = grid[y0 * gw + x0 + 1];
          const c = grid[(y0 + 1) * gw + x0], d = grid[(y0 + 1) * gw + x0 + 1];
          out[y * width + x] += amp * ((a + (b - a) * tx) * (1 - ty) + (c + (d - c) * tx) * ty);
        }
      }
    }
    amp *= gain;
  }
  return out;
}
