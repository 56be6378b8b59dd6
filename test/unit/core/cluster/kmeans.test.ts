import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../../../src-main/core/cluster/ari';
import { kmeansPlusPlus } from '../../../../src-main/core/cluster/kmeans';
import { gaussianBlobs } from './blobs';

describe('k-means++', () => {
  it('recovers three well-separated blobs', () => {
    const { points, truth } = gaussianBlobs([12, 15, 9], { seed: 3 });
    const r = kmeansPlusPlus(points, 3, { seed: 1 });
    expect(adjustedRandIndex(truth, r.labels)).toBe(1);
  });

  it('reports the inertia of its own labels and centroids', () => {
    const { points } = gaussianBlobs([10, 10], { seed: 4, dim: 3 });
    const r = kmeansPlusPlus(points, 2, { seed: 2 });
    let sum = 0;
    points.forEach((p, i) => p.forEach((v, j) => (sum += (v - r.centroids[r.labels[i]][j]) ** 2)));
    expect(r.inertia).toBeCloseTo(sum, 9);
    // At convergence each centroid is the mean of its members.
    for (let c = 0; c < 2; c++) {
      const members = points.filter((_, i) => r.labels[i] === c);
      for (let j = 0; j < 3; j++) expect(r.centroids[c][j]).toBeCloseTo(members.reduce((s, p) => s + p[j], 0) / members.length, 9);
    }
  });

  it('never does worse with more restarts on the same seed', () => {
    // Overlapping blobs, so single runs can land in different local minima.
    const { points } = gaussianBlobs([20, 20, 20, 20], { seed: 5, separation: 3 });
    const one = kmeansPlusPlus(points, 6, { seed: 9, restarts: 1 });
    const ten = kmeansPlusPlus(points, 6, { seed: 9, restarts: 10 });
    expect(ten.inertia).toBeLessThanOrEqual(one.inertia);
  });

  it('gives the same result for the same seed', () => {
    const { points } = gaussianBlobs([20, 20, 20], { seed: 6, separation: 2 });
    const a = kmeansPlusPlus(points, 4, { seed: 11 });
    const b = kmeansPlusPlus(points, 4, { seed: 11 });
    expect([...b.labels]).toEqual([...a.labels]);
    expect(b.inertia).toBe(a.inertia);
  });

  it('puts every point in its own cluster when k = n, with inertia 0', () => {
    const { points } = gaussianBlobs([5], { seed: 7 });
    const r = kmeansPlusPlus(points, 5, { seed: 1 });
    expect(new Set(r.labels).size).toBe(5);
    expect(r.inertia).toBe(0);
  });
});
