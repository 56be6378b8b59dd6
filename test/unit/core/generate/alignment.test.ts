import { describe, expect, it } from 'vitest';
import { alignmentBand, keepsAlignment, measureOutsideChange, OUTSIDE_CHANGE_TOLERANCE } from '../../../../src-main/core/generate/alignment';
import { disc, filled } from './fixtures';

describe('the alignment rule (changes outside the aligned mask)', () => {
  it('grows the mask by 0.5 % of the longer side, at least 1 px', () => {
    expect(alignmentBand(64, 64)).toBe(1);
    expect(alignmentBand(512, 341)).toBe(3);
    expect(alignmentBand(1024, 1024)).toBe(5);
  });

  it('ignores changes within the band and counts those beyond it over the tolerance', () => {
    const normal = filled(100, 100, 3, () => 100);
    const mask = disc(100, 100, 50, 50, 5); // band: 1 px
    const changed = filled(100, 100, 3, (x, y, c) => {
      if (x === 56 && y === 50) return 200; // 1 px outside the disc's edge (x = 55): inside the band
      if (x === 60 && y === 50 && c === 2) return 100 + OUTSIDE_CHANGE_TOLERANCE + 1; // beyond: over
      if (x === 10 && y === 10) return 100 - OUTSIDE_CHANGE_TOLERANCE; // beyond, at the tolerance: not over
      return 100;
    });
    const c = measureOutsideChange(normal, changed, mask);
    expect(c).toEqual({ max: OUTSIDE_CHANGE_TOLERANCE + 1, overTolerance: 1, band: 1 });
    expect(keepsAlignment(c)).toBe(false);
    expect(keepsAlignment(measureOutsideChange(normal, normal, mask))).toBe(true);
  });

  it('reads only colour channels, never alpha', () => {
    const normal = filled(20, 20, 4, (_x, _y, c) => (c === 3 ? 255 : 50));
    const alpha = filled(20, 20, 4, (_x, _y, c) => (c === 3 ? 0 : 50));
    expect(measureOutsideChange(normal, alpha, disc(20, 20, 10, 10, 2)).max).toBe(0);
  });
});
