import { describe, expect, it } from 'vitest';
import { changeBalance, changeEnergy, MAX_MARK_RESTORE, markStrengthRestore } from '../../../../src-main/core/generate/structural';

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

  it('never takes the change past the energy it is given: ×√(5 / 1.25) = 2, not the mean\'s ×8', () => {
    // One pixel lightened by 1, the other darkened by 0.5: a mean change of +0.25 where +2 is
    // wanted (×8, capped at 4); bounded by an energy of 5 against the solve's 1² + 0.5² = 1.25.
    const cancelling = lab(51, 49.5, 50, 50);
    expect(markStrengthRestore(target, cancelling, inM, 2)).toBe(MAX_MARK_RESTORE);
    expect(markStrengthRestore(target, cancelling, inM, 2, 0, 5)).toBeCloseTo(2, 12);
    // Never below 1, even where the change already has more energy than given.
    expect(markStrengthRestore(target, cancelling, inM, 2, 0, 0.5)).toBe(1);
    expect(changeEnergy(target, cancelling, inM, 0)).toBeCloseTo(1.25, 12);
  });
});

describe('changeBalance', () => {
  const W = 40;
  const flat = (f: (x: number, y: number) => number) => Float64Array.from({ length: W * W * 3 }, (_, i) => (i % 3 === 0 ? f(Math.floor(i / 3) % W, Math.floor(i / 3 / W)) : 0));
  const zero = flat(() => 0);
  const inner = Uint8Array.from({ length: W * W }, (_, k) => (k % W >= 5 && k % W < 35 && Math.floor(k / W) >= 5 && Math.floor(k / W) < 35 ? 1 : 0));

  it('is 1 for a change of one sign and 0 for two mirror-image blobs of opposite sign', () => {
    expect(changeBalance(zero, flat(() => -3), inner, 0, W, W)).toBeCloseTo(1, 12);
    // +4 on the left third of M, −4 on the right third: the blur is symmetric, so they cancel exactly.
    const blobs = flat((x) => (x >= 5 && x < 15 ? 4 : x >= 25 && x < 35 ? -4 : 0));
    expect(changeBalance(zero, blobs, inner, 0, W, W)).toBeCloseTo(0, 9);
  });

  it('does not read pixel grain as cancelling: a −0.3 mark under a ±1 checkerboard', () => {
    // Unblurred, |Σ d| / Σ |d| = 0.3 / 1 (half the pixels at −1.3, half at +0.7); the 2 px blur
    // removes the checkerboard (its gain there is about e⁻³⁹), leaving the one-signed mark.
    const grainy = flat((x, y) => -0.3 + ((x + y) % 2 === 0 ? 1 : -1));
    expect(changeBalance(zero, grainy, inner, 0, W, W)).toBeGreaterThan(0.99);
  });
});
