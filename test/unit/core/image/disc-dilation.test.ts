import { describe, expect, it } from 'vitest';
import { dilate, squaredDistanceTransform } from '../../../../src-main/core/image/morphology';
import { maskBox } from '../../../../src-main/core/generate/box';
import { maskWhere, random } from '../generate/fixtures';

// Moved from test/unit/core/generate/distance.test.ts when the generator's private distance
// transform and disc dilation gave way to the shared ones.
describe('disc dilation and distance transform', () => {
  it('grows one pixel into the 13 pixels within distance 2', () => {
    const m = maskWhere(9, 9, (x, y) => x === 4 && y === 4);
    const d = dilate(m, 2);
    const on: string[] = [];
    for (let y = 0; y < 9; y++) for (let x = 0; x < 9; x++) if (d.data[y * 9 + x]) on.push(`${x - 4},${y - 4}`);
    // x² + y² ≤ 4: the centre, 4 at distance 1, 4 at √2, 4 at 2.
    expect(on.sort()).toEqual(['-1,-1', '-1,0', '-1,1', '-2,0', '0,-1', '0,-2', '0,0', '0,1', '0,2', '1,-1', '1,0', '1,1', '2,0'].sort());
  });

  it('clips the dilation at the image edge', () => {
    const m = maskWhere(6, 4, (x, y) => x === 0 && y === 0);
    const d = dilate(m, 1.5);
    expect(Array.from(d.data).filter((v) => v).length).toBe(4);
    expect(maskBox(d)).toEqual({ x0: 0, y0: 0, x1: 2, y1: 2 });
  });

  it('matches brute-force squared distances to scattered seeds', () => {
    const rnd = random(11);
    const w = 23;
    const h = 17;
    const seeds = Array.from({ length: w * h }, () => rnd() < 0.04);
    const d = squaredDistanceTransform(maskWhere(w, h, (x, y) => seeds[y * w + x]), 'on');
    for (let i = 0; i < w * h; i++) {
      let best = Infinity;
      for (let j = 0; j < w * h; j++) {
        if (!seeds[j]) continue;
        best = Math.min(best, ((i % w) - (j % w)) ** 2 + (Math.floor(i / w) - Math.floor(j / w)) ** 2);
      }
      expect(d[i]).toBe(best);
    }
  });
});
