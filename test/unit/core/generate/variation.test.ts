import { describe, expect, it } from 'vitest';
import { drawContrastGain, MAX_CONTRAST_GAIN, MIN_CONTRAST_GAIN } from '../../../../src-main/core/generate/variation';

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
