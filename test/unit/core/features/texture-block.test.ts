import { describe, expect, it } from 'vitest';
import { sobelMagnitude } from '../../../../src-main/core/features/texture-block';

describe('Sobel gradient magnitude', () => {
  it('gives a vertical step edge 4× its height next to it and 0 away from it (hand-worked)', () => {
    // Columns 0 0 10 10: at x = 1 and x = 2 the kernel's right minus left column is 10 in each
    // of its rows, weighted 1 + 2 + 1 → gx = 40; rows are equal, so gy = 0. Replicated borders
    // keep the top and bottom rows the same.
    const w = 4;
    const h = 3;
    const g = Float64Array.from({ length: w * h }, (_, i) => (i % w >= 2 ? 10 : 0));
    const m = sobelMagnitude(g, w, h);
    for (let y = 0; y < h; y++) expect([...m.subarray(y * w, y * w + w)]).toEqual([0, 40, 40, 0]);
  });

  it('matches the plain definition with clamped reads on an irregular plane, borders included', () => {
    const w = 7;
    const h = 5;
    const g = Float64Array.from({ length: w * h }, (_, i) => ((i * 37) % 11) + (i % 3) * 0.5);
    const at = (x: number, y: number) => g[Math.min(h - 1, Math.max(0, y)) * w + Math.min(w - 1, Math.max(0, x))];
    const m = sobelMagnitude(g, w, h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const gx = at(x + 1, y - 1) + 2 * at(x + 1, y) + at(x + 1, y + 1) - at(x - 1, y - 1) - 2 * at(x - 1, y) - at(x - 1, y + 1);
        const gy = at(x - 1, y + 1) + 2 * at(x, y + 1) + at(x + 1, y + 1) - at(x - 1, y - 1) - 2 * at(x, y - 1) - at(x + 1, y - 1);
        expect(m[y * w + x]).toBe(Math.hypot(gx, gy));
      }
    }
  });
});
