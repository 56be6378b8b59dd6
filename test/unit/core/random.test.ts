import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from '../../../src-main/core/random';

const TWO_32 = 4294967296;

describe('the seeded generator', () => {
  it('draws the published mulberry32 sequence', () => {
    // Integers from an independent Python transcription of Tommy Ettinger's mulberry32;
    // mulberry32(0)'s first draw, 0.26642920868471265, is the value quoted with the original.
    const zero = createRng(0);
    expect([zero.next(), zero.next(), zero.next()]).toEqual([1144304738, 1416247, 958946056].map((v) => v / TWO_32));
    expect(createRng(0).next()).toBe(0.26642920868471265);
    const r = createRng(42);
    expect(Array.from({ length: 6 }, () => r.next() * TWO_32)).toEqual([2581720956, 1925393290, 3661312704, 2876485805, 750819978, 2261697747]);
  });

  it('repeats its sequence for the same seed and differs for another', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const sa = Array.from({ length: 8 }, () => a.next());
    expect(Array.from({ length: 8 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 8 }, () => c.next())).not.toEqual(sa);
  });

  it('keeps working when next is handed on as a plain function', () => {
    const next = createRng(42).next;
    expect(next() * TWO_32).toBe(2581720956);
  });

  it('draws uniforms in [0, 1) with mean ½ and normals with mean 0 and variance 1 by both methods', () => {
    const rng = createRng(7);
    const n = 40000;
    let su = 0;
    let outOfRange = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      if (!(u >= 0 && u < 1)) outOfRange++;
      su += u;
    }
    expect(outOfRange).toBe(0);
    // Standard errors: uniform mean 0.0014, normal mean 0.005, normal variance 0.007; bounds are ≈ 5 SE.
    expect(Math.abs(su / n - 0.5)).toBeLessThan(0.007);
    for (const draw of ['normal', 'fastNormal'] as const) {
      const r = createRng(9);
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        const v = r[draw]();
        s += v;
        s2 += v * v;
      }
      expect(Math.abs(s / n)).toBeLessThan(0.025);
      expect(Math.abs(s2 / n - 1)).toBeLessThan(0.035);
    }
  });

  it('turns a pair of uniforms into a pair of normals (Box-Muller, cosine first)', () => {
    const u = createRng(5);
    const [a, b] = [u.next(), u.next()];
    const r = Math.sqrt(-2 * Math.log(a));
    const rng = createRng(5);
    expect(rng.normal()).toBe(r * Math.cos(2 * Math.PI * b));
    expect(rng.normal()).toBe(r * Math.sin(2 * Math.PI * b));
  });

  it('draws integers in range, both bounds reachable', () => {
    const rng = createRng(11);
    const seen = new Set<number>();
    const between = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      seen.add(rng.int(5));
      between.add(rng.intBetween(-2, 2));
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
    expect([...between].sort()).toEqual([-1, -2, 0, 1, 2]);
  });

  it('shuffles into a permutation', () => {
    const v = createRng(3).shuffle([...Array(50).keys()]);
    expect([...v].sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
    expect(v).not.toEqual([...Array(50).keys()]);
  });

  it('forks reproducible streams per label without advancing the parent', () => {
    expect(createRng(1).fork('noise').next()).toBe(createRng(1).fork('noise').next());
    expect(createRng(1).fork('noise').next()).not.toBe(createRng(1).fork('camera').next());
    const parent = createRng(1);
    parent.fork('noise').next();
    expect(parent.next()).toBe(createRng(1).next());
  });
});

describe('seed derivation', () => {
  it('gives the pinned seeds (xmur3-style mixing of the parts’ text)', () => {
    // From the same independent Python transcription.
    expect(deriveSeed(42, 'kmeans', 3, 0)).toBe(3083838838);
    expect(deriveSeed(7)).toBe(4250110843);
    expect(deriveSeed(1, 'few-shot', 'crack')).toBe(1392509456);
  });

  it('separates nearby paths', () => {
    const seeds = new Set<number>();
    for (let i = 0; i < 1000; i++) seeds.add(deriveSeed(42, 'part', i));
    expect(seeds.size).toBe(1000);
    expect(deriveSeed(1, 'tile', 'train', 0)).not.toBe(deriveSeed(1, 'tile', 'train', 1));
  });
});
