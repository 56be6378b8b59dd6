import { describe, expect, it } from 'vitest';
import { calinskiHarabasz, daviesBouldin } from '../../../../src-main/core/cluster/indices';

const pts = (xy: number[][]) => xy.map((p) => Float64Array.from(p));

// Two clusters, worked by hand:
//   A = (0,0),(2,0): centroid (1,0), σ_A = (1+1)/2 = 1, W_A = 1+1 = 2
//   B = (6,0),(6,2),(6,4): centroid (6,2), σ_B = (2+0+2)/3 = 4/3, W_B = 4+0+4 = 8
//   overall mean (4, 1.2); B = 2·|(1,0)−(4,1.2)|² + 3·|(6,2)−(4,1.2)|² = 2·10.44 + 3·4.64 = 34.8
//   (check: total scatter 17.44+5.44+5.44+4.64+11.84 = 44.8 = W + B)
//   CH = (34.8 / (2−1)) / (10 / (5−2)) = 10.44
//   d_AB = √29, DB = ((1 + 4/3)/√29 + (4/3 + 1)/√29) / 2 = 7 / (3√29) ≈ 0.43329
const two = pts([[0, 0], [2, 0], [6, 0], [6, 2], [6, 4]]);
const twoLabels = [0, 0, 1, 1, 1];

// Add C = (0,10),(0,12): centroid (0,11), σ_C = 1, W_C = 2 → W = 12.
//   mean (20/7, 4); B = 2·((13/7)²+16) + 3·((22/7)²+4) + 2·((20/7)²+49) = 1364/7
//   CH = (1364/7 / 2) / (12 / (7−3)) = 682/21 ≈ 32.476
//   d_AB = √29, d_AC = √122, d_BC = √117; R_AB = (7/3)/√29, R_AC = 2/√122, R_BC = (7/3)/√117
//   max per cluster: A → R_AB, B → R_AB (> R_BC), C → R_BC (0.2157 > R_AC 0.1811)
//   DB = (2·(7/3)/√29 + (7/3)/√117) / 3 ≈ 0.36077
const three = pts([[0, 0], [2, 0], [6, 0], [6, 2], [6, 4], [0, 10], [0, 12]]);
const threeLabels = [0, 0, 1, 1, 1, 2, 2];

describe('Calinski-Harabasz index', () => {
  it('matches the hand-worked value for two clusters', () => {
    expect(calinskiHarabasz(two, twoLabels)).toBeCloseTo(10.44, 10);
  });
  it('matches the hand-worked value for three clusters', () => {
    expect(calinskiHarabasz(three, threeLabels)).toBeCloseTo(682 / 21, 10);
  });
  it('does not depend on the label values, only on the partition', () => {
    expect(calinskiHarabasz(three, [7, 7, -1, -1, -1, 3, 3])).toBeCloseTo(682 / 21, 10);
  });
  it('returns 1 when every point sits on its centroid, as scikit-learn does', () => {
    expect(calinskiHarabasz(pts([[0], [0], [5], [5]]), [0, 0, 1, 1])).toBe(1);
  });
  it('refuses a single cluster', () => {
    expect(() => calinskiHarabasz(two, [0, 0, 0, 0, 0])).toThrow();
  });
});

describe('Davies-Bouldin index', () => {
  it('matches the hand-worked value for two clusters', () => {
    expect(daviesBouldin(two, twoLabels)).toBeCloseTo(7 / (3 * Math.sqrt(29)), 12);
  });
  it('matches the hand-worked value for three clusters', () => {
    const expected = ((2 * (7 / 3)) / Math.sqrt(29) + 7 / 3 / Math.sqrt(117)) / 3;
    expect(daviesBouldin(three, threeLabels)).toBeCloseTo(expected, 12);
  });
  it('returns 0 when every cluster is a single point, as scikit-learn does', () => {
    expect(daviesBouldin(pts([[0], [0], [5], [5]]), [0, 0, 1, 1])).toBe(0);
  });
});
