import { describe, expect, it } from 'vitest';
import { allocateCounts } from '../../../../src-main/core/masks/allocation';

describe('allocating pairs to clusters', () => {
  it('shares the total by cluster size: 18, 2 and 1 members get 86, 10 and 5 of 101', () => {
    // 101·18/21 = 86.57, 101·2/21 = 9.62, 101·1/21 = 4.81: floors 86 + 9 + 4 = 99; the two left go to .81 and .62.
    expect(allocateCounts(101, [18, 2, 1], 'proportional')).toEqual([86, 10, 5]);
  });

  it('gives a one-member cluster a third only when asked for equal shares', () => {
    expect(allocateCounts(99, [18, 2, 1], 'equal')).toEqual([33, 33, 33]);
    expect(allocateCounts(100, [18, 2, 1], 'equal')).toEqual([34, 33, 33]);
  });

  it('always hands out exactly the total and nothing to empty clusters', () => {
    for (const total of [0, 1, 7, 50, 333]) {
      for (const sizes of [[5], [3, 0, 4], [1, 1, 1, 1, 1, 1, 1], [40, 2, 9]]) {
        for (const mode of ['proportional', 'equal'] as const) {
          const c = allocateCounts(total, sizes, mode);
          expect(c.reduce((a, b) => a + b, 0)).toBe(total);
          sizes.forEach((s, i) => s === 0 && expect(c[i]).toBe(0));
        }
      }
    }
  });
});
