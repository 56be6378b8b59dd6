import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from '../../../../src-main/core/masks/random';

describe('seeded random numbers', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const sa = Array.from({ length: 8 }, () => a.next());
    expect(Array.from({ length: 8 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 8 }, () => c.next())).not.toEqual(sa);
    expect(deriveSeed(42, 0)).not.toBe(deriveSeed(42, 1));
  });

  it('draws uniforms in [0, 1) with mean ½ and normals with mean 0 and variance 1', () => {
    const rng = createRng(7);
    const n = 40000;
    let su = 0;
    let sn = 0;
    let sn2 = 0;
    let outOfRange = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      if (!(u >= 0 && u < 1)) outOfRange++;
      su += u;
      const z = rng.normal();
      sn += z;
      sn2 += z * z;
    }
    expect(outOfRange).toBe(0);
    // Standard errors: uniform mean 0.0014, normal mean 0.005, normal variance 0.007; bounds are ≈ 5 SE.
    expect(Math.abs(su / n - 0.5)).toBeLessThan(0.007);
    expect(Math.abs(sn / n)).toBeLessThan(0.025);
    expect(Math.abs(sn2 / n - 1)).toBeLessThan(0.035);
  });
});
