import { fft2d } from './fft';
import type { Plane } from './planes';

/** Windowed spectra and (generalised) phase correlation for registration. */

export interface PhaseCorrelation {
  /** b(x) ≈ a(x − (dx, dy)), with sub-pixel refinement; |d| ≤ half the plane. */
  dx: number;
  dy: number;
  peak: number;
}

export function hann(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}

export function hannWindow(w: number, h: number): Float64Array {
  const wx = hann(w);
  const wy = hann(h);
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[y * w + x] = wx[x] * wy[y];
  return out;
}

/** FFT of (data − its weighted mean)·weight; the weight defaults to a Hann window over the plane. */
export function windowedSpectrum(data: Float64Array, w: number, h: number, weight: Float64Array = hannWindow(w, h)): { re: Float64Array; im: Float64Array } {
  let mean = 0;
  let wsum = 0;
  for (let i = 0; i < data.length; i++) {
    mean += data[i] * weight[i];
    wsum += weight[i];
  }
  mean = wsum > 0 ? mean / wsum : 0;
  const re = new Float64Array(w * h);
  for (let i = 0; i < re.length; i++) re[i] = (data[i] - mean) * weight[i];
  const im = new Float64Array(w * h);
  fft2d(re, im, w, h);
  return { re, im };
}

/** Vertex of the parabola through (−1, a), (0, b), (1, c): the sub-sample offset of a peak at 0. */
export function parabolicOffset(a: number, b: number, c: number): number {
  const den = a - 2 * b + c;
  if (den >= 0) return 0;
  const off = (0.5 * (a - c)) / den;
  return off > 0.5 ? 0.5 : off < -0.5 ? -0.5 : off;
}

/**
 * Correlation of two spectra, normalised by |conj(A)·B|^whiten: 1 is phase correlation (every
 * frequency counts the same), 0.5 keeps some of the energy weighting, which is what two shots
 * of one product need when they share only their outline (their contents, the belt's texture
 * differ): there pure phase correlation hears mostly noise.
 */
export function correlateSpectra(aRe: Float64Array, aIm: Float64Array, bRe: Float64Array, bIm: Float64Array, w: number, h: number, whiten = 1): PhaseCorrelation {
  const n = w * h;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  // The highest the surface can reach (every term in phase at d), to report the peak in 0..1.
  let reach = 0;
  for (let i = 0; i < n; i++) {
    // conj(A)·B: its inverse transform peaks at d where b(x) = a(x − d).
    const r = aRe[i] * bRe[i] + aIm[i] * bIm[i];
    const m = aRe[i] * bIm[i] - aIm[i] * bRe[i];
    const mag = whiten === 1 ? Math.sqrt(r * r + m * m) : Math.pow(r * r + m * m, whiten / 2);
    if (mag > 1e-12) {
      re[i] = r / mag;
      im[i] = m / mag;
      reach += Math.sqrt(re[i] * re[i] + im[i] * im[i]);
    }
  }
  fft2d(re, im, w, h, true);
  let best = 0;
  for (let i = 1; i < n; i++) if (re[i] > re[best]) best = i;
  const bx = best % w;
  const by = (best - bx) / w;
  const at = (x: number, y: number): number => re[((y + h) % h) * w + ((x + w) % w)];
  const ox = parabolicOffset(at(bx - 1, by), re[best], at(bx + 1, by));
  const oy = parabolicOffset(at(bx, by - 1), re[best], at(bx, by + 1));
  const dx = (bx > w / 2 ? bx - w : bx) + ox;
  const dy = (by > h / 2 ? by - h : by) + oy;
  return { dx, dy, peak: reach > 0 ? (re[best] * n) / reach : 0 };
}

/**
 * Phase correlation of two equally sized power-of-two planes (Kuglin & Hines 1975):
 * the shift d with b(x) ≈ a(x − d). `window` applies a Hann window first (default true),
 * which suppresses the cross-shaped artefact of non-periodic borders.
 */
export function phaseCorrelate(a: Plane, b: Plane, options: { window?: boolean } = {}): PhaseCorrelation {
  const { width: w, height: h } = a;
  if (b.width !== w || b.height !== h) throw new Error('phaseCorrelate: planes differ in size');
  const spec = (p: Plane) => {
    if (options.window ?? true) return windowedSpectrum(p.data, w, h);
    const re = p.data.slice();
    const im = new Float64Array(w * h);
    fft2d(re, im, w, h);
    return { re, im };
  };
  const sa = spec(a);
  const sb = spec(b);
  return correlateSpectra(sa.re, sa.im, sb.re, sb.im, w, h);
}

