import { describe, expect, it } from 'vitest';
import { contrastRatio, defectContrast, drawContrastGain, MAX_CONTRAST_GAIN, MIN_CONTRAST_GAIN } from '../../../../src-main/core/generate/variation';
import { disc, filled } from './fixtures';

describe('contrast variation within the cluster’s range', () => {
  it('maps a uniform draw onto the cluster’s contrast range relative to the exemplar', () => {
    // Cluster contrasts 10..20, exemplar at 10: the gain spans 1..2, clamped at 1.6.
    expect(drawContrastGain(() => 0, [10, 15, 20], 10)).toBe(1);
    expect(drawContrastGain(() => 0.25, [10, 15, 20], 10)).toBeCloseTo(1.25, 12);
    expect(drawContrastGain(() => 0.999, [10, 15, 20], 10)).toBe(MAX_CONTRAST_GAIN);
    expect(drawContrastGain(() => 0, [2, 20], 10)).toBe(MIN_CONTRAST_GAIN);
  });

  it('varies a lone exemplar by ±15 % only', () => {
    expect(drawContrastGain(() => 0, [12], 12)).toBeCloseTo(0.85, 12);
    expect(drawContrastGain(() => 1, [12], 12)).toBeCloseTo(1.15, 12);
    // No measurable contrast of its own: no ratio to take.
    expect(drawContrastGain(() => 0.5, [5, 9], 0.2)).toBeCloseTo(1, 12);
  });
});

describe('a defect’s contrast against its cluster’s exemplars', () => {
  /** CIE L* of an sRGB grey level, written out from the standard (D65, Y of a grey = its linear value). */
  const lStar = (v: number) => {
    const c = v / 255;
    const y = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    return y > 216 / 24389 ? 116 * Math.cbrt(y) - 16 : (24389 / 27) * y;
  };

  it('is |ΔL*| between a uniform defect and the uniform surface around it', () => {
    const mask = disc(64, 64, 32, 32, 6);
    const image = filled(64, 64, 1, (x, y) => (mask.data[y * 64 + x] ? 60 : 100));
    expect(defectContrast(image, mask)).toBeCloseTo(lStar(100) - lStar(60), 6);
    // The normal image itself shows no defect under the same mask.
    expect(defectContrast(filled(64, 64, 1, () => 100), mask)).toBeCloseTo(0, 9);
  });

  it('divides by the median of the cluster’s measurable contrasts', () => {
    expect(contrastRatio(10, [40, 10, 20])).toBeCloseTo(0.5, 12);
    expect(contrastRatio(25, [10, 20, 30, 40])).toBeCloseTo(1, 12);
    // Unreadable (NaN) and flat (0) exemplars are not part of the range.
    expect(contrastRatio(5, [NaN, 0, 20])).toBeCloseTo(0.25, 12);
    expect(contrastRatio(5, [])).toBeNull();
    expect(contrastRatio(5, [0, NaN])).toBeNull();
  });
});
