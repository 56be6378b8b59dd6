import { describe, expect, it } from 'vitest';
import { adaptColour, anomalyStats } from '../../../../src-main/core/generate/colour';
import { disc, filled, lightnessOfGray } from './fixtures';

describe('LAB colour adaptation', () => {
  it('moves the surroundings to the target ring and keeps the anomaly-to-ring offset', () => {
    const lab = Float64Array.from([60, 5, -3, 30, 10, 20]);
    const out = adaptColour(lab, [60, 5, -3], [45, -2, 8]);
    expect(Array.from(out.subarray(0, 3))).toEqual([45, -2, 8]);
    // Anomaly − exemplar ring = (−30, 5, 23) before; the same against the target ring after.
    expect(Array.from(out.subarray(3))).toEqual([15, 3, 31]);
  });

  it('measures a gray pit and its ring in L* with zero chroma', () => {
    const pit = disc(40, 40, 20, 20, 5);
    const image = filled(40, 40, 1, (x, y) => (pit.data[y * 40 + x] ? 50 : 200));
    const s = anomalyStats(image, pit, 3);
    expect(s.inside.mean[0]).toBeCloseTo(lightnessOfGray(50), 6);
    expect(s.ring.mean[0]).toBeCloseTo(lightnessOfGray(200), 6);
    expect(s.ring.mean[1]).toBe(0);
    expect(s.ring.std).toBeCloseTo(0, 9);
    expect(s.area).toBe(81);
    // Nearest pixel outside x² + y² ≤ 25 to the centre: offset (5, 1), since 26 is the
    // smallest sum of two squares above 25.
    expect(s.inscribedRadius).toBeCloseTo(Math.sqrt(26), 9);
  });

  it('reads a neutral RGB gray as the same L* as the gray image', () => {
    const pit = disc(20, 20, 10, 10, 3);
    const gray = anomalyStats(filled(20, 20, 1, () => 137), pit, 2);
    const rgb = anomalyStats(filled(20, 20, 3, () => 137), pit, 2);
    expect(rgb.inside.mean[0]).toBeCloseTo(gray.inside.mean[0], 3);
    expect(Math.abs(rgb.inside.mean[1])).toBeLessThan(0.01);
    expect(Math.abs(rgb.inside.mean[2])).toBeLessThan(0.01);
  });
});
