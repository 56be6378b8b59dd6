/**
 * Seeded pseudo-random numbers for clustering: every run with the same seed gives the
 * same clusters, which the review screen and the stored provenance rely on.
 */

/** 32-bit hash of a seed and a path of parts (xmur3-style string mixing). */
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

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

/** Mulberry32: small, fast, and good enough for sampling initial centres. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.min(n - 1, Math.floor(next() * n)) };
}
