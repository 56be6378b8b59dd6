/**
 * Radix-2 complex FFT (iterative Cooley-Tukey, in place) and its 2-D form, for the
 * power-of-two working frames registration uses. Sign convention: forward is
 * X[k] = Σ x[n]·e^{−2πi·kn/N}; the inverse divides by N.
 */

export function isPowerOfTwo(n: number): boolean {
  return n >= 1 && (n & (n - 1)) === 0;
}

const twiddleCache = new Map<number, { cos: Float64Array; sin: Float64Array }>();

/** cos/sin of 2πk/n for k < n/2, computed directly (not by recurrence) so error does not accumulate. */
function twiddles(n: number): { cos: Float64Array; sin: Float64Array } {
  let t = twiddleCache.get(n);
  if (!t) {
    t = { cos: new Float64Array(n >> 1), sin: new Float64Array(n >> 1) };
    for (let k = 0; k < n >> 1; k++) {
      t.cos[k] = Math.cos((2 * Math.PI * k) / n);
      t.sin[k] = Math.sin((2 * Math.PI * k) / n);
    }
    twiddleCache.set(n, t);
  }
  return t;
}

/** In-place 1-D FFT of (re, im), length a power of two; `inverse` includes the 1/N. */
export function fft1d(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if (!isPowerOfTwo(n) || im.length !== n) throw new Error(`fft1d: length ${n} is not a power of two`);
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  const sign = inverse ? 1 : -1;
  const tw = twiddles(n);
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    const step = n / len;
    for (let k = 0; k < half; k++) {
      const wr = tw.cos[k * step];
      const wi = sign * tw.sin[k * step];
      for (let s = k; s < n; s += len) {
        const t = s + half;
        const xr = re[t] * wr - im[t] * wi;
        const xi = re[t] * wi + im[t] * wr;
        re[t] = re[s] - xr;
        im[t] = im[s] - xi;
        re[s] += xr;
        im[s] += xi;
      }
    }
  }
  if (inverse) {
    for (let i = 0; i < n; i++) {
      re[i] /= n;
      im[i] /= n;
    }
  }
}

/** In-place 2-D FFT of a row-major w×h complex plane (both sides powers of two). */
export function fft2d(re: Float64Array, im: Float64Array, w: number, h: number, inverse = false): void {
  if (!isPowerOfTwo(w) || !isPowerOfTwo(h)) throw new Error(`fft2d: ${w}×${h} is not power-of-two sized`);
  const rr = new Float64Array(w);
  const ri = new Float64Array(w);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    rr.set(re.subarray(o, o + w));
    ri.set(im.subarray(o, o + w));
    fft1d(rr, ri, inverse);
    re.set(rr, o);
    im.set(ri, o);
  }
  const cr = new Float64Array(h);
  const ci = new Float64Array(h);
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) {
      cr[y] = re[y * w + x];
      ci[y] = im[y * w + x];
    }
    fft1d(cr, ci, inverse);
    for (let y = 0; y < h; y++) {
      re[y * w + x] = cr[y];
      im[y * w + x] = ci[y];
    }
  }
}
