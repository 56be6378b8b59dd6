import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../../../src-main/core/cluster/ari';
import { selectK } from '../../../../src-main/core/cluster/select-k';
import { gaussianBlobs } from './blobs';

describe('choice of K by Calinski-Harabasz and Davies-Bouldin', () => {
  for (const k of [2, 3, 4, 5, 6]) {
    it(`recovers K = ${k} on well-separated Gaussian blobs`, () => {
      const sizes = Array.from({ length: k }, (_, i) => 8 + ((i * 5) % 7));
      const { points, truth } = gaussianBlobs(sizes, { seed: 100 + k, dim: 3 });
      const r = selectK(points, { seed: 1 });
      expect(r.k).toBe(k);
      expect(adjustedRandIndex(truth, r.labels)).toBe(1);
    });
  }

  it('scores each candidate as 0.5·(1 − CH_norm) + 0.5·DB_norm over k = 2..min(10, N−1)', () => {
    const { points } = gaussianBlobs([3, 3, 2], { seed: 8 });
    const r = selectK(points, { seed: 1 });
    expect(r.curve.map((c) => c.k)).toEqual([2, 3, 4, 5, 6, 7]);
    const chs = r.curve.map((c) => c.ch);
    const dbs = r.curve.map((c) => c.db);
    const norm = (v: number, all: number[]) => (v - Math.min(...all)) / (Math.max(...all) - Math.min(...all));
    for (const c of r.curve) expect(c.score).toBeCloseTo(0.5 * (1 - norm(c.ch, chs)) + 0.5 * norm(c.db, dbs), 12);
    expect(r.k).toBe(r.curve.reduce((best, c) => (c.score < best.score ? c : best)).k);
  });

  it('returns a single cluster for fewer than 4 samples', () => {
    const r = selectK([Float64Array.of(0), Float64Array.of(1), Float64Array.of(9)], { seed: 1 });
    expect(r.k).toBe(1);
    expect([...r.labels]).toEqual([0, 0, 0]);
  });

  it('never asks for more clusters than there are distinct samples', () => {
    const points = [0, 0, 0, 5, 5, 5, 9, 9].map((v) => Float64Array.of(v));
    const r = selectK(points, { seed: 1 });
    expect(Math.max(...r.curve.map((c) => c.k))).toBe(3);
    expect(r.k).toBe(3);
  });
});
