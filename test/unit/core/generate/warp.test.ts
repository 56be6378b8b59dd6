import { describe, expect, it } from 'vitest';
import { inverseWarp, warpExemplar } from '../../../../src-main/core/generate/warp';
import { targetPolygon, type MaskTransform, type Point } from '../../../../src-main/core/masks/transform';
import { filled, maskWhere } from './fixtures';

function identity(c: Point, polygon: Point[]): MaskTransform {
  return { sourceCentroid: c, sourcePolygon: polygon, vertexOffsets: polygon.map(() => [0, 0]), rotation: 0, scale: 1, targetCentroid: c };
}

describe('warpExemplar', () => {
  it('reproduces the exemplar inside its mask under the identity transform', () => {
    const image = filled(32, 24, 3, (x, y, c) => (x * 7 + y * 13 + c * 50) % 256);
    const mask = maskWhere(32, 24, (x, y) => x >= 8 && x < 20 && y >= 5 && y < 17 && x + y < 33);
    const t = identity([13, 10], [[8, 5], [19, 5], [8, 16]]);
    const box = { x0: 8, y0: 5, x1: 20, y1: 17 };
    const out = warpExemplar(image, mask, t, box);
    for (let y = box.y0; y < box.y1; y++) {
      for (let x = box.x0; x < box.x1; x++) {
        const k = (y - box.y0) * 12 + (x - box.x0);
        const on = mask.data[y * 32 + x] !== 0;
        expect(out.coverage[k]).toBeCloseTo(on ? 1 : 0, 9);
        expect(out.valid[k]).toBe(1);
        for (let c = 0; c < 3; c++) expect(out.values[k * 3 + c]).toBeCloseTo(image.data[(y * 32 + x) * 3 + c], 9);
      }
    }
  });

  it('turns an asymmetric exemplar by 90° as worked by hand', () => {
    // rotation π/2 maps a source offset (dx, dy) from the centroid to (−dy, dx).
    const image = filled(20, 20, 1, () => 10);
    const set = (x: number, y: number, v: number): void => {
      image.data[y * 20 + x] = v;
    };
    set(13, 10, 200); // (3, 0) → (0, 3)
    set(10, 12, 100); // (0, 2) → (−2, 0)
    set(8, 10, 50); // (−2, 0) → (0, −2)
    set(11, 7, 150); // (1, −3) → (3, 1)
    const mask = maskWhere(20, 20, (x, y) => (y === 10 && x >= 8 && x <= 13) || (x === 10 && y >= 10 && y <= 12));
    const t: MaskTransform = {
      sourceCentroid: [10, 10],
      sourcePolygon: [[8, 10], [13, 10], [10, 12]],
      vertexOffsets: [[0, 0], [0, 0], [0, 0]],
      rotation: Math.PI / 2,
      scale: 1,
      targetCentroid: [30, 25],
    };
    const box = { x0: 25, y0: 20, x1: 36, y1: 31 };
    const out = warpExemplar(image, mask, t, box);
    const at = (x: number, y: number): number => (y - box.y0) * 11 + (x - box.x0);
    expect(out.values[at(30, 28)]).toBeCloseTo(200, 6);
    expect(out.values[at(28, 25)]).toBeCloseTo(100, 6);
    expect(out.values[at(30, 23)]).toBeCloseTo(50, 6);
    expect(out.values[at(33, 26)]).toBeCloseTo(150, 6);
    expect(out.values[at(30, 25)]).toBeCloseTo(10, 6);
    // The horizontal bar of the mask becomes a vertical one, the short stem points left.
    for (let y = 23; y <= 28; y++) expect(out.coverage[at(30, y)]).toBeCloseTo(1, 6);
    expect(out.coverage[at(28, 25)]).toBeCloseTo(1, 6);
    expect(out.coverage[at(32, 25)]).toBeCloseTo(0, 6);
    expect(out.coverage[at(25, 20)]).toBeCloseTo(0, 6);
  });

  it('samples between pixels bilinearly when scaling up', () => {
    // scale 2: target offset (1, 0) reads source (x0 + 0.5, y0), half way between two pixels.
    const image = filled(10, 10, 1, (x) => 20 * x);
    const mask = maskWhere(10, 10, () => true);
    const t: MaskTransform = { sourceCentroid: [4, 4], sourcePolygon: [[2, 2], [6, 2], [4, 6]], vertexOffsets: [[0, 0], [0, 0], [0, 0]], rotation: 0, scale: 2, targetCentroid: [10, 10] };
    const out = warpExemplar(image, mask, t, { x0: 10, y0: 10, x1: 14, y1: 11 });
    expect(Array.from(out.values)).toEqual([80, 90, 100, 110].map((v) => expect.closeTo(v, 9)));
  });

  it('marks target pixels that map outside the exemplar image as not valid', () => {
    const image = filled(8, 8, 1, () => 99);
    const mask = maskWhere(8, 8, () => true);
    const t = identity([4, 4], [[2, 2], [6, 2], [4, 6]]);
    const out = warpExemplar(image, mask, t, { x0: 6, y0: 4, x1: 10, y1: 5 });
    expect(Array.from(out.valid)).toEqual([1, 1, 0, 0]);
    expect(Array.from(out.coverage)).toEqual([1, 1, 0, 0]);
  });
});

describe('inverseWarp', () => {
  const polygon: Point[] = [[40, 20], [62, 30], [58, 55], [45, 48], [30, 60], [22, 35]];
  const t: MaskTransform = {
    sourceCentroid: [42, 40],
    sourcePolygon: polygon,
    vertexOffsets: [[2, -1.5], [-1, 2.5], [3, 1], [-2, -2], [0.5, 3], [-2.5, 0]],
    rotation: 0.7,
    scale: 1.3,
    targetCentroid: [100, 80],
  };

  it('takes every perturbed target vertex back to its original source vertex', () => {
    const inv = inverseWarp(t);
    const targets = targetPolygon(t);
    targets.forEach((q, i) => {
      const p = inv(q[0], q[1]);
      expect(p[0]).toBeCloseTo(polygon[i][0], 6);
      expect(p[1]).toBeCloseTo(polygon[i][1], 6);
    });
    const c = inv(100, 80);
    expect(c[0]).toBeCloseTo(42, 6);
    expect(c[1]).toBeCloseTo(40, 6);
  });

  it('is continuous: neighbouring target pixels come from neighbouring source points', () => {
    const inv = inverseWarp(t);
    let worst = 0;
    for (let y = 40; y < 120; y++) {
      for (let x = 60; x < 140; x++) {
        const a = inv(x, y);
        const b = inv(x + 1, y);
        worst = Math.max(worst, Math.hypot(a[0] - b[0], a[1] - b[1]));
      }
    }
    // The similarity alone moves 1/1.3 ≈ 0.77 px per target pixel; the offsets are a few px over ~40 px.
    expect(worst).toBeLessThan(1.2);
  });
});
