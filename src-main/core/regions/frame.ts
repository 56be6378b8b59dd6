import type { Raster } from '../image/raster';
import { gaussianBlur, grayPlane, sampleBilinear } from './planes';
import { windowedSpectrum } from './spectrum';

/**
 * The normalised registration frame: an image drawn, centred, into a square power-of-two gray
 * frame whose side is the image's longer side, with colour copies for judging an alignment,
 * and the log-polar spectrum that gives rotation and scale.
 */

/** Smoothing (frame pixels) of the colour frames that judge an alignment. */
const AGREEMENT_SIGMA = 1;

export interface Frame {
  size: number;
  /** Frame pixels per image pixel. */
  k: number;
  /** Image centre (pixel-centre coordinates). */
  cx: number;
  cy: number;
  width: number;
  height: number;
  data: Float64Array;
  /** 1 where the frame pixel lies on the image. */
  valid: Uint8Array;
  /**
   * A Hann window over the image's own rectangle (0 on the padding), so neither the frame's
   * edges nor the edges of the padding of a non-square image leak into the spectra.
   */
  weight: Float64Array;
  /** R, G, B frames (a gray image's three times), for judging an alignment by colour as well as by shape. */
  colour: Float64Array[];
}

/** R, G, B planes of a colour raster, 0..255. */
function colourPlanes(raster: Raster): Float64Array[] {
  const { width, height, channels, data } = raster;
  return [0, 1, 2].map((ch) => {
    const out = new Float64Array(width * height);
    for (let i = 0; i < out.length; i++) out[i] = data[i * channels + ch];
    return out;
  });
}

export function makeFrame(raster: Raster, size: number): Frame {
  const { width: w, height: h } = raster;
  const k = size / Math.max(w, h);
  const sigma = k < 1 ? 0.5 * Math.sqrt(1 / (k * k) - 1) : 0;
  const gray = gaussianBlur(grayPlane(raster).data, w, h, sigma);
  // Always three planes (a gray image repeats its one), so a gray target can be judged against
  // a colour exemplar and the other way round.
  const colours = raster.channels < 3 ? [gray, gray, gray] : colourPlanes(raster).map((p) => gaussianBlur(p, w, h, sigma));
  let border = 0;
  let nb = 0;
  for (let x = 0; x < w; x++) {
    border += gray[x] + gray[(h - 1) * w + x];
    nb += 2;
  }
  for (let y = 0; y < h; y++) {
    border += gray[y * w] + gray[y * w + w - 1];
    nb += 2;
  }
  border /= nb;
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const c = size / 2;
  const data = new Float64Array(size * size);
  const colour = colours.map(() => new Float64Array(size * size));
  const valid = new Uint8Array(size * size);
  const weight = new Float64Array(size * size);
  const taper = (u: number) => (u <= 0 || u >= 1 ? 0 : 0.5 - 0.5 * Math.cos(2 * Math.PI * u));
  for (let fy = 0; fy < size; fy++) {
    for (let fx = 0; fx < size; fx++) {
      const px = (fx - c) / k + cx;
      const py = (fy - c) / k + cy;
      const v = sampleBilinear(gray, w, h, px, py, NaN);
      const i = fy * size + fx;
      if (Number.isNaN(v)) data[i] = border;
      else {
        data[i] = v;
        valid[i] = 1;
        weight[i] = taper((px + 0.5) / w) * taper((py + 0.5) / h);
        colours.forEach((p, ch) => (colour[ch][i] = sampleBilinear(p, w, h, px, py, 0)));
      }
    }
  }
  const smoothColour = colour.map((p) => gaussianBlur(p, size, size, AGREEMENT_SIGMA));
  return { size, k, cx, cy, width: w, height: h, data, colour: smoothColour, valid, weight };
}

export interface LogPolarGeometry {
  nTheta: number;
  nRho: number;
  rMin: number;
  logBase: number;
}

export function logPolarGeometry(size: number): LogPolarGeometry {
  const nTheta = 2 * size;
  const nRho = size;
  const rMin = 2;
  return { nTheta, nRho, rMin, logBase: Math.log(size / 2 / rMin) / nRho };
}

/**
 * Log-polar resampling of the high-pass-filtered Fourier magnitude (Reddy & Chatterji §III):
 * rows are angles over [0, π) (the magnitude of a real image is point-symmetric), columns are
 * log radii. A rotation of the image by θ shifts the rows by θ; a scale by s shifts the
 * columns by −ln s.
 */
export function logPolarSpectrum(frame: Frame): { re: Float64Array; im: Float64Array } {
  const n = frame.size;
  const { re, im } = windowedSpectrum(frame.data, n, n, frame.weight);
  const mag = new Float64Array(n * n);
  const c = n / 2;
  for (let v = 0; v < n; v++) {
    const fv = v < c ? v : v - n;
    for (let u = 0; u < n; u++) {
      const fu = u < c ? u : u - n;
      // Their high-pass emphasis H = (1 − X)(2 − X), X = cos(πξ)cos(πη), ξ, η ∈ [−½, ½].
      const x = Math.cos((Math.PI * fu) / n) * Math.cos((Math.PI * fv) / n);
      const i = v * n + u;
      // Shift DC to (c, c) as it goes in.
      mag[((v + c) % n) * n + ((u + c) % n)] = Math.sqrt(re[i] * re[i] + im[i] * im[i]) * (1 - x) * (2 - x);
    }
  }
  const g = logPolarGeometry(n);
  const lp = new Float64Array(g.nTheta * g.nRho);
  for (let t = 0; t < g.nTheta; t++) {
    const th = (Math.PI * t) / g.nTheta;
    const ct = Math.cos(th);
    const st = Math.sin(th);
    for (let r = 0; r < g.nRho; r++) {
      const rad = g.rMin * Math.exp(g.logBase * r);
      lp[t * g.nRho + r] = sampleBilinear(mag, n, n, c + rad * ct, c + rad * st, 0);
    }
  }
  return windowedSpectrum(lp, g.nRho, g.nTheta);
}

/** b'(y) = b(S·(y − c) + c + t) for each of `planes` of the target frame, with its window. */
export function pullBack(b: Frame, planes: Float64Array[], s: number, theta: number, tx: number, ty: number): { planes: Float64Array[]; valid: Uint8Array; weight: Float64Array } {
  const n = b.size;
  const c = n / 2;
  const cs = s * Math.cos(theta);
  const sn = s * Math.sin(theta);
  const out = planes.map(() => new Float64Array(n * n));
  const valid = new Uint8Array(n * n);
  const weight = new Float64Array(n * n);
  const bw = b.weight;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const ux = cs * (x - c) - sn * (y - c) + c + tx;
      const uy = sn * (x - c) + cs * (y - c) + c + ty;
      // The window is 0 on the frame's outer pixels, so only interior samples can count.
      if (!(ux >= 0 && uy >= 0 && ux < n - 1 && uy < n - 1)) continue;
      const x0 = ux | 0;
      const y0 = uy | 0;
      const fx = ux - x0;
      const fy = uy - y0;
      const j = y0 * n + x0;
      const w00 = (1 - fx) * (1 - fy);
      const w10 = fx * (1 - fy);
      const w01 = (1 - fx) * fy;
      const w11 = fx * fy;
      const wv = w00 * bw[j] + w10 * bw[j + 1] + w01 * bw[j + n] + w11 * bw[j + n + 1];
      if (wv <= 0) continue;
      const i = y * n + x;
      for (let p = 0; p < planes.length; p++) {
        const q = planes[p];
        out[p][i] = w00 * q[j] + w10 * q[j + 1] + w01 * q[j + n] + w11 * q[j + n + 1];
      }
      weight[i] = wv;
      valid[i] = 1;
    }
  }
  return { planes: out, valid, weight };
}

/**
 * How well the reference frame `a` and the target frame `b` agree under the alignment
 * f_b = S·(f_a − c) + c + t: the NCC of their smoothed colour frames over the pixels both
 * cover, every channel centred on its own mean, then one correlation over all channels (so a
 * channel counts by its contrast). Sampled on a grid of `stride`; −1..1, 0 when they barely overlap.
 */
export function colourAgreement(a: Frame, b: Frame, s: number, theta: number, tx: number, ty: number, stride = 2): number {
  const n = b.size;
  const c = n / 2;
  const cs = s * Math.cos(theta);
  const sn = s * Math.sin(theta);
  const C = a.colour.length;
  const sa = new Float64Array(C);
  const sb = new Float64Array(C);
  const sab = new Float64Array(C);
  const saa = new Float64Array(C);
  const sbb = new Float64Array(C);
  let m = 0;
  for (let y = 0; y < n; y += stride) {
    for (let x = 0; x < n; x += stride) {
      const i = y * n + x;
      if (!a.valid[i]) continue;
      const ux = cs * (x - c) - sn * (y - c) + c + tx;
      const uy = sn * (x - c) + cs * (y - c) + c + ty;
      if (!(ux >= 0 && uy >= 0 && ux < n - 1 && uy < n - 1)) continue;
      const x0 = ux | 0;
      const y0 = uy | 0;
      const j = y0 * n + x0;
      if (!(b.valid[j] & b.valid[j + 1] & b.valid[j + n] & b.valid[j + n + 1])) continue;
      const fx = ux - x0;
      const fy = uy - y0;
      const w00 = (1 - fx) * (1 - fy);
      const w10 = fx * (1 - fy);
      const w01 = (1 - fx) * fy;
      const w11 = fx * fy;
      m++;
      for (let ch = 0; ch < C; ch++) {
        const q = b.colour[ch];
        const vb = w00 * q[j] + w10 * q[j + 1] + w01 * q[j + n] + w11 * q[j + n + 1];
        const va = a.colour[ch][i];
        sa[ch] += va;
        sb[ch] += vb;
        sab[ch] += va * vb;
        saa[ch] += va * va;
        sbb[ch] += vb * vb;
      }
    }
  }
  if (m < 16) return 0;
  let cab = 0;
  let caa = 0;
  let cbb = 0;
  for (let ch = 0; ch < C; ch++) {
    cab += sab[ch] - (sa[ch] * sb[ch]) / m;
    caa += saa[ch] - (sa[ch] * sa[ch]) / m;
    cbb += sbb[ch] - (sb[ch] * sb[ch]) / m;
  }
  return caa > 1e-9 && cbb > 1e-9 ? cab / Math.sqrt(caa * cbb) : 0;
}
