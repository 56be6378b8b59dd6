/**
 * The one source of seeded randomness in the core: mulberry32 for uniforms, Box-Muller for
 * normals, and one seed derivation. Same seed, same sequence, on every platform (32-bit
 * integer arithmetic only), which clustering, mask synthesis, the scorer, the few-shot split
 * and the demo dataset all rely on for reproducible, recorded results.
 */

/**
 * An independent 32-bit seed for a sub-task, from a seed and a path of parts
 * (`deriveSeed(seed, 'kmeans', k, restart)`): xmur3-style mixing of their text.
 */
export function deriveSeed(seed: number, ...parts: (number | string)[]): number {
  const s = `${seed}|${parts.join('|')}`;
  let h = 1779033703 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  h = Math.imul(h ^ (h >>> 16), 2246822507);
  h = Math.imul(h ^ (h >>> 13), 3266489909);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A seeded stream. Its methods hold no `this`, so `rng.next` can be handed on as a plain function. */
export interface Rng {
  /** Uniform in [0, 1), a multiple of 2⁻³². */
  next(): number;
  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number;
  /** Uniform over a [min, max] pair as a recipe writes it. */
  within(r: readonly [number, number]): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform integer in [lo, hi], both inclusive. */
  intBetween(lo: number, hi: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** −1 or +1, evenly. */
  sign(): number;
  pick<T>(items: readonly T[]): T;
  /** Standard normal N(0, 1) by Box-Muller, the second value of each pair kept for the next call. */
  normal(): number;
  /**
   * A standard normal from a table of 4096 exact quantiles: one draw instead of Box-Muller's
   * logarithm and trigonometry, for the million sensor-noise samples of the demo dataset.
   * Tails are cut at ±3.5σ, which a sensor-noise histogram cannot tell apart.
   */
  fastNormal(): number;
  /** Fisher-Yates, in place. */
  shuffle<T>(items: T[]): T[];
  /** An independent stream for a sub-task, so adding draws to one part leaves the others unchanged. */
  fork(label: string | number): Rng;
}

/** mulberry32 (Tommy Ettinger): 32-bit state, passes gjrand/PractRand far beyond what one run draws. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  let spareNormal: number | null = null;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const range = (lo: number, hi: number): number => lo + (hi - lo) * next();
  return {
    next,
    range,
    within: (r) => range(r[0], r[1]),
    int: (n) => Math.min(n - 1, Math.floor(next() * n)),
    intBetween: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    sign: () => (next() < 0.5 ? -1 : 1),
    pick: (items) => items[Math.floor(next() * items.length)],
    normal: () => {
      if (spareNormal !== null) {
        const v = spareNormal;
        spareNormal = null;
        return v;
      }
      // A zero would make the logarithm infinite; it is the only draw below 2⁻³².
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spareNormal = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    fastNormal: () => NORMAL_QUANTILES[(next() * QUANTILES) | 0],
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const t = items[i];
        items[i] = items[j];
        items[j] = t;
      }
      return items;
    },
    fork: (label) => createRng(deriveSeed(state, label)),
  };
}

const QUANTILES = 4096;
const NORMAL_QUANTILES = buildQuantiles(QUANTILES);

function buildQuantiles(n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = inverseNormal((i + 0.5) / n);
  return out;
}

/** Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9). */
function inverseNormal(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lo) return -inverseNormal(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}
