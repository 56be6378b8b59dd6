import { describe, expect, it } from 'vitest';
import { homogeneity } from '../../../../src-main/core/cluster/homogeneity';

describe('homogeneity', () => {
  it('is 1 when every cluster holds one type, however finely the types are split', () => {
    expect(homogeneity([0, 0, 1, 1], [0, 0, 1, 1])).toBe(1);
    expect(homogeneity([0, 0, 1, 1], [0, 1, 2, 3])).toBe(1);
  });

  it('is 0 when one cluster holds everything', () => {
    expect(homogeneity([0, 0, 1, 1], [0, 0, 0, 0])).toBeCloseTo(0, 14);
  });

  it('matches a hand-worked mixture', () => {
    // truth [0,0,1,1], clusters {0,0,1} and {1}: H(T) = ln 2;
    // H(T|C) = −(2/4)ln(2/3) − (1/4)ln(1/3) − (1/4)ln(1/1) = 0.5·ln 1.5 + 0.25·ln 3.
    const expected = 1 - (0.5 * Math.log(1.5) + 0.25 * Math.log(3)) / Math.log(2);
    expect(homogeneity([0, 0, 1, 1], [0, 0, 0, 1])).toBeCloseTo(expected, 14);
    // scikit-learn's homogeneity_score gives 0.3112781244591328 for this pair.
    expect(homogeneity([0, 0, 1, 1], [0, 0, 0, 1])).toBeCloseTo(0.3112781244591328, 12);
  });
});
