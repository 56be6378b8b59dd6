import { describe, expect, it } from 'vitest';
import { MAX_MARK_RESTORE, markStrengthRestore } from '../../../../src-main/core/generate/structural';

/** LAB planes of four pixels, L* given, a* = b* = 0. */
const lab = (...l: number[]) => Float64Array.from(l.flatMap((v) => [v, 0, 0]));

describe('markStrengthRestore', () => {
  // Two of four pixels in M; the solve darkened them by 1 and 3 L*: a mean change of −2.
  const target = lab(50, 50, 50, 50);
  const solved = lab(49, 47, 50, 40);
  const inM = Uint8Array.from([1, 1, 0, 0]);

  it('scales the change so its mean over M reaches the wanted shift', () => {
    expect(markStrengthRestore(target, solved, inM, -6)).toBeCloseTo(3, 12);
  });

  it('never scales up by more than the limit', () => {
    expect(markStrengthRestore(target, solved, inM, -20)).toBe(MAX_MARK_RESTORE);
  });

  it('never scales a change that is already as strong down', () => {
    expect(markStrengthRestore(target, solved, inM, -1)).toBe(1);
  });

  it('leaves a change alone whose sign the solve turned, or where nothing changed', () => {
    expect(markStrengthRestore(target, solved, inM, 5)).toBe(1);
    expect(markStrengthRestore(target, target, inM, -5)).toBe(1);
    expect(markStrengthRestore(target, solved, inM, 0)).toBe(1);
  });

  it('reads and scales the channel it is given', () => {
    // L* fell by 1 and 3 as above; b* (channel 2) fell by 2 and 4, a mean of −3.
    const withB = Float64Array.from([49, 0, -2, 47, 0, -4, 50, 0, 0, 40, 0, 0]);
    expect(markStrengthRestore(target, withB, inM, -6, 2)).toBeCloseTo(2, 12);
    expect(markStrengthRestore(target, withB, inM, -6, 0)).toBeCloseTo(3, 12);
    expect(markStrengthRestore(target, withB, inM, -6, 1)).toBe(1);
  });
});
