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

describe('chooseBlendMode on a product with an outline', () => {
  const rnd = random(5);
  const noise = Array.from({ length: 160 * 120 }, () => rnd() * 6 - 3);
  // A bright product (x 30-130, y 30-100) on a dark tray: a clean implicit foreground.
  const product = (x: number, y: number) => x >= 30 && x < 130 && y >= 30 && y < 100;
  const faint = (stain: ReturnType<typeof disc>) =>
    filled(160, 120, 1, (x, y) => (product(x, y) ? 190 : 50) + noise[y * 160 + x] - (stain.data[y * 160 + x] ? 3 : 0));

  it('fades in a large faint stain inside the product', () => {
    const stain = disc(160, 120, 80, 65, 14);
    expect(chooseBlendMode(faint(stain), stain).mode).toBe('soft');
  });

  it('pastes a large faint defect that straddles the product’s outline (a chip changes the silhouette)', () => {
    // The same disc centred on the top edge: half of it on the product, half on the tray.
    const chip = disc(160, 120, 80, 30, 14);
    const choice = chooseBlendMode(faint(chip), chip);
    // Without the outline it would be soft: large, compact and faint against its bimodal ring.
    expect(choice.contrast).toBeLessThan(1.5);
    expect(choice.thinness).toBeLessThan(3);
    expect(choice.mode).toBe('opaque');
  });
});
