import { describe, expect, it } from 'vitest';
import { lbpHistograms, riu2Code } from '../../../../src-main/core/features/lbp';

/** The riu2 histogram of the centre pixel alone of a square patch given as rows. */
function centreHistograms(rows: number[][]): { p8: number[]; p16: number[] } {
  const n = rows.length;
  const g = Float64Array.from(rows.flat());
  const inside = new Uint8Array(n * n);
  inside[((n - 1) / 2) * n + (n - 1) / 2] = 1;
  const h = lbpHistograms(g, inside, n, n);
  return { p8: [...h.subarray(0, 10)], p16: [...h.subarray(10)] };
}

function oneHot(size: number, at: number): number[] {
  return Array.from({ length: size }, (_, i) => (i === at ? 1 : 0));
}

describe('rotation-invariant uniform LBP (riu2)', () => {
  it('codes a flat patch as P, because every neighbour is ≥ the centre', () => {
    const flat = Array.from({ length: 5 }, () => [40, 40, 40, 40, 40]);
    const h = centreHistograms(flat);
    expect(h.p8).toEqual(oneHot(10, 8));
    expect(h.p16).toEqual(oneHot(18, 16));
  });

  it('codes a single bright centre as 0', () => {
    const rows = Array.from({ length: 5 }, () => [10, 10, 10, 10, 10]);
    rows[2][2] = 90;
    const h = centreHistograms(rows);
    expect(h.p8).toEqual(oneHot(10, 0));
    expect(h.p16).toEqual(oneHot(18, 0));
  });

  it('codes a vertical half-plane edge as the count of neighbours ≥ the centre', () => {
    // Columns 0,0,0 | 100 (centre column) | 200,200,200.
    // P=8: the 3 right neighbours + N and S (equal to the centre) = 5, one run → code 5.
    // P=16, R=2: 7 samples have x > centre (angles −67.5°..67.5°), N and S sit exactly on
    // the centre column (= 100); the 7 on the left interpolate between 0 and 100 → < 100.
    // 9 ones in one run → code 9.
    const rows = Array.from({ length: 7 }, () => [0, 0, 0, 100, 200, 200, 200]);
    const h = centreHistograms(rows);
    expect(h.p8).toEqual(oneHot(10, 5));
    expect(h.p16).toEqual(oneHot(18, 9));
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

  it('gives the same histograms for a texture and its 90° rotation', () => {
    const n = 9;
    const g = new Float64Array(n * n);
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) g[y * n + x] = (x * 37 + y * y * 11 + x * y * 5) % 23;
    const rot = new Float64Array(n * n);
    // (x, y) → (n−1−y, x)
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) rot[x * n + (n - 1 - y)] = g[y * n + x];
    const inside = new Uint8Array(n * n);
    for (let y = 2; y < n - 2; y++) for (let x = 2; x < n - 2; x++) inside[y * n + x] = 1;
    const a = lbpHistograms(g, inside, n, n);
    const b = lbpHistograms(rot, inside, n, n);
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i], 12);
    expect(a.subarray(0, 10).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expect(a.subarray(10).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
  });
});
