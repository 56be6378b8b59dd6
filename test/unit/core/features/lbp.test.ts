import { describe, expect, it } from 'vitest';
import { riu2Code } from '../../../../src-main/core/features/lbp';

describe('rotation-invariant uniform LBP (riu2)', () => {
  it('codes all ones (a flat patch: every neighbour ≥ the centre) as P and all zeros as 0', () => {
    expect(riu2Code(new Array(8).fill(1))).toBe(8);
    expect(riu2Code(new Array(16).fill(1))).toBe(16);
    expect(riu2Code(new Array(8).fill(0))).toBe(0);
  });

  it('codes an alternating ring as non-uniform, P + 1', () => {
    expect(riu2Code([1, 0, 1, 0, 1, 0, 1, 0])).toBe(9);
    expect(riu2Code([1, 1, 0, 0, 1, 0, 0, 0])).toBe(9);
  });

  it('gives a rotated uniform pattern the same code', () => {
    expect(riu2Code([1, 1, 1, 0, 0, 0, 0, 0])).toBe(3);
    expect(riu2Code([0, 0, 0, 0, 0, 1, 1, 1])).toBe(3);
    expect(riu2Code([1, 0, 0, 0, 0, 0, 1, 1])).toBe(3);
  });
});
