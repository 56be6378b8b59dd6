import { describe, expect, it } from 'vitest';
import { pca2 } from '../../../../src-main/core/cluster/pca';

describe('two-component PCA for the scatter plot', () => {
  it('recovers axis-aligned coordinates when the spread is largest along x, then y', () => {
    // x spread ±10, y ±3, z ±0.5, uncorrelated by construction (a full ±grid).
    const points: Float64Array[] = [];
    for (const x of [-10, 10]) for (const y of [-3, 3]) for (const z of [-0.5, 0.5]) points.push(Float64Array.of(x + 4, y - 1, z));
    const xy = pca2(points);
    points.forEach((p, i) => {
      expect(Math.abs(xy[i][0])).toBeCloseTo(10, 8);
      expect(Math.abs(xy[i][1])).toBeCloseTo(3, 8);
      // Same sign pattern as the centred x and y (up to one global flip per axis).
      expect(Math.sign(xy[i][0]) * Math.sign(xy[0][0])).toBe(Math.sign(p[0] - 4) * Math.sign(points[0][0] - 4));
    });
  });

  it('preserves pairwise distances of points that lie in a plane', () => {
    const points = [
      [0, 0],
      [3, 1],
      [-2, 5],
      [4, -4],
      [1, 2],
    ].map(([u, v]) => Float64Array.of(u + v, u - v, 2 * u, 7));
    const xy = pca2(points);
    for (let i = 0; i < points.length; i++) {
      for (let j = 0; j < points.length; j++) {
        const d = Math.hypot(...points[i].map((t, k) => t - points[j][k]));
        expect(Math.hypot(xy[i][0] - xy[j][0], xy[i][1] - xy[j][1])).toBeCloseTo(d, 8);
      }
    }
  });
});
