import { describe, expect, it } from 'vitest';
import { prepareExemplar } from '../../../../src-main/core/generate/defect-layer';
import { boxWidth } from '../../../../src-main/core/generate/box';
import { filled, maskWhere, random } from './fixtures';

describe('an exemplar split into its surface and its defect', () => {
  // A grainy surface (±8 levels) with a 1-px dark crack along y = 30, inside a generous 9-px-high mask.
  const rnd = random(11);
  const grain = Array.from({ length: 64 * 64 }, () => rnd() * 16 - 8);
  const image = filled(64, 64, 1, (x, y) => 140 + grain[y * 64 + x] - (y === 30 && x >= 12 && x < 52 ? 60 : 0));
  const mask = maskWhere(64, 64, (x, y) => x >= 10 && x < 54 && Math.abs(y - 30) <= 4);
  const ex = prepareExemplar(image, mask);
  const at = (x: number, y: number) => ex.matte[(y - ex.box.y0) * boxWidth(ex.box) + (x - ex.box.x0)];

  it('mattes the crack in and the grain around it out', () => {
    let onCrack = 0;
    let offCrack = 0;
    for (let x = 14; x < 50; x++) {
      onCrack += at(x, 30) / 36;
      offCrack += (at(x, 27) + at(x, 33)) / 72;
    }
    expect(onCrack).toBeGreaterThan(0.95);
    expect(offCrack).toBeLessThan(0.15);
  });

  it('is zero outside the mask grown by one pixel and keeps the surface there exactly', () => {
    const w = boxWidth(ex.box);
    for (let y = ex.box.y0; y < ex.box.y1; y++) {
      for (let x = ex.box.x0; x < ex.box.x1; x++) {
        const k = (y - ex.box.y0) * w + (x - ex.box.x0);
        const near = x >= 9 && x < 55 && Math.abs(y - 30) <= 5;
        if (near) continue;
        expect(ex.surface[3 * k]).toBe(ex.lab[3 * k]);
        expect(at(x, y)).toBeLessThan(0.4); // only the σ = 1 spread of the crack's ends reaches here
      }
    }
  });
});
