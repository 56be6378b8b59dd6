import { describe, expect, it } from 'vitest';
import { fitThinPlate } from '../../../../src-main/core/generate/tps';
import type { Point } from '../../../../src-main/core/masks/transform';

describe('fitThinPlate', () => {
  const from: Point[] = [[0, 0], [10, 1], [12, 9], [3, 11], [-4, 5], [5, 5]];

  it('passes through every control point', () => {
    const to: Point[] = from.map(([x, y], i) => [x + Math.sin(i) * 2, y + Math.cos(3 * i)]);
    const map = fitThinPlate(from, to);
    from.forEach(([x, y], i) => {
      const p = map(x, y);
      expect(p[0]).toBeCloseTo(to[i][0], 8);
      expect(p[1]).toBeCloseTo(to[i][1], 8);
    });
  });

  it('is exactly the affine map when the control points are related by one', () => {
    // A thin-plate spline has zero bending energy for an affine map, so it must reproduce it everywhere.
    const affine = ([x, y]: Point): Point => [1.2 * x - 0.3 * y + 4, 0.5 * x + 0.9 * y - 2];
    const map = fitThinPlate(from, from.map(affine));
    for (const q of [[30, -20], [-15, 40], [6.5, 3.25]] as Point[]) {
      const p = map(q[0], q[1]);
      const e = affine(q);
      expect(p[0]).toBeCloseTo(e[0], 8);
      expect(p[1]).toBeCloseTo(e[1], 8);
    }
  });

  it('falls back to the mean displacement with too few distinct points', () => {
    const map = fitThinPlate([[1, 1], [1, 1], [4, 2]], [[2, 3], [2, 3], [5, 6]]);
    expect(map(0, 0)).toEqual([1, 3]);
  });
});
