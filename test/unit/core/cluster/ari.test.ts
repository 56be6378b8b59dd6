import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../../../src-main/core/cluster/ari';

describe('adjusted Rand index', () => {
  it('is 1 for identical labelings and for a renaming of the labels', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2], [0, 0, 1, 1, 2])).toBe(1);
    expect(adjustedRandIndex([0, 0, 1, 1, 2], [5, 5, 9, 9, 1])).toBe(1);
  });

  it('matches a hand-worked pair', () => {
    // a = [0,0,0,1,1,1], b = [0,0,1,1,2,2]: contingency [[2,1,0],[0,1,2]].
    // Σ C(n_ij,2) = 1 + 1 = 2; Σ C(a_i,2) = 3 + 3 = 6; Σ C(b_j,2) = 1+1+1 = 3; C(6,2) = 15.
    // expected = 6·3/15 = 1.2; max = (6+3)/2 = 4.5; ARI = (2−1.2)/(4.5−1.2) = 8/33.
    expect(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])).toBeCloseTo(8 / 33, 14);
    // scikit-learn's documented example: ([0,0,1,1], [0,0,1,2]) → 4/7 ≈ 0.57.
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(4 / 7, 14);
  });

  it('is symmetric', () => {
    const a = [0, 1, 1, 2, 2, 2, 0, 1];
    const b = [1, 1, 0, 0, 2, 2, 2, 1];
    expect(adjustedRandIndex(a, b)).toBeCloseTo(adjustedRandIndex(b, a), 14);
  });

  it('is negative for a labeling that splits every true pair', () => {
    // a pairs (0,1),(2,3); b pairs (0,2),(1,3): no agreeing pair, below chance.
    // Σ C(n_ij,2) = 0; Σa = Σb = 2; C(4,2) = 6; expected = 4/6; max = 2 → (0 − 2/3)/(4/3) = −1/2.
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5, 14);
  });
});
