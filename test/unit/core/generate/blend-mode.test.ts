import { describe, expect, it } from 'vitest';
import { chooseBlendMode } from '../../../../src-main/core/generate/blend-mode';
import { disc, filled, maskWhere, random } from './fixtures';

describe('chooseBlendMode', () => {
  const rnd = random(3);
  const noise = Array.from({ length: 96 * 96 }, () => rnd() * 12 - 6);

  it('keeps a dark opaque pit opaque', () => {
    const pit = disc(96, 96, 48, 48, 9);
    const image = filled(96, 96, 1, (x, y) => (pit.data[y * 96 + x] ? 35 : 150 + noise[y * 96 + x]));
    const choice = chooseBlendMode(image, pit);
    expect(choice.mode).toBe('opaque');
    expect(choice.thinness).toBeLessThan(1.2);
    expect(choice.contrast).toBeGreaterThan(5);
  });

  it('blends a thin scratch with mixed gradients even when it is dark', () => {
    const scratch = maskWhere(96, 96, (x, y) => x >= 10 && x < 86 && Math.abs(y - 30 - 0.3 * (x - 10)) < 1.5);
    const image = filled(96, 96, 3, (x, y, c) => (scratch.data[y * 96 + x] ? 40 : 150 + c * 5 + noise[y * 96 + x]));
    const choice = chooseBlendMode(image, scratch);
    expect(choice.mode).toBe('mixed');
    // A ~3 px wide, ~76 px long strip: equivalent radius ≈ 8.5 over a half-width of ≈ 1.5.
    expect(choice.thinness).toBeGreaterThan(4);
  });

  it('adds a large faint stain as a soft layer', () => {
    const stain = disc(96, 96, 40, 50, 14);
    // 3 gray levels darker on a surface whose own texture spans ±6; 615 px, 6.7 % of the image.
    const image = filled(96, 96, 1, (x, y) => 150 + noise[y * 96 + x] - (stain.data[y * 96 + x] ? 3 : 0));
    const choice = chooseBlendMode(image, stain);
    expect(choice.mode).toBe('soft');
    expect(choice.contrast).toBeLessThan(1.5);
  });

  it('keeps a small faint compact spot’s own pixels', () => {
    const spot = disc(96, 96, 40, 50, 5);
    // 81 px: under the 400 px a soft area defect needs, and not thin.
    const image = filled(96, 96, 1, (x, y) => 150 + noise[y * 96 + x] - (spot.data[y * 96 + x] ? 3 : 0));
    const choice = chooseBlendMode(image, spot);
    expect(choice.mode).toBe('opaque');
    expect(choice.contrast).toBeLessThan(1.5);
  });
});
