import { describe, expect, it } from 'vitest';
import { convexHullArea, crackPerimeter, shapeBlock } from '../../../../src-main/core/features/shape';

function fromRows(rows: string[]): { bin: Uint8Array; w: number; h: number } {
  const h = rows.length;
  const w = rows[0].length;
  const bin = new Uint8Array(w * h);
  rows.forEach((r, y) => [...r].forEach((c, x) => (bin[y * w + x] = c === '#' ? 1 : 0)));
  return { bin, w, h };
}

/** Shape block of a mask drawn as rows, in an image of 1000 pixels. */
const block = (m: { bin: Uint8Array; w: number; h: number }) => shapeBlock(m.bin, m.w, m.h, 1000);

describe('shape features', () => {
  it('gives a filled square solidity 1', () => {
    const sq = fromRows(['....', '.##.', '.##.', '....']);
    expect(convexHullArea(sq.bin, sq.w, sq.h)).toBe(4);
    expect(block(sq)[4]).toBe(1);
  });

  it('gives an L of 5 pixels solidity 5/7 (hand-worked hull)', () => {
    // Pixels as unit squares: hull corners (0,0) (1,0) (3,2) (3,3) (0,3);
    // shoelace: 0 + 2 + 3 + 9 + 0 = 14 → area 7.
    const l = fromRows(['#..', '#..', '###']);
    expect(convexHullArea(l.bin, l.w, l.h)).toBe(7);
    expect(block(l)[4]).toBeCloseTo(5 / 7, 12);
  });

  it('gives an a×b rectangle elongation a/b, thickness 2ab/(2a+2b) and its area fraction', () => {
    // Unit-square pixels: variance along a side of n pixels is n²/12, so the axis ratio is a/b.
    const r = fromRows(Array.from({ length: 3 }, () => '#'.repeat(12)));
    const s = block(r);
    expect(s[3]).toBeCloseTo(Math.log(4), 10);
    // 12 + 12 + 3 + 3 = 30 pixel sides on the outline; thickness 2·36/30 = 2.4.
    expect(crackPerimeter(r.bin, r.w, r.h)).toBe(30);
    expect(s[2]).toBeCloseTo(Math.log(2.4), 12);
    expect(s[0]).toBeCloseTo(Math.log(36 / 1000), 12);
  });

  it('keeps a one-pixel line finite: elongation = its length, thickness ≈ 1', () => {
    const r = fromRows(['#'.repeat(20)]);
    const s = block(r);
    expect(s[3]).toBeCloseTo(Math.log(20), 10);
    // 2·20 / (20 + 20 + 2) = 40/42.
    expect(s[2]).toBeCloseTo(Math.log(40 / 42), 12);
  });

  it('counts parts with gaps of up to two pixels bridged: a diagonal touch or a 2-px gap joins, a 3-px gap splits', () => {
    expect(block(fromRows(['#.', '.#']))[1]).toBe(0);
    expect(block(fromRows(['#.#..#', '......', '......']))[1]).toBe(0);
    expect(block(fromRows(['#...#...#', '.........', '.........', '.........', '#........']))[1]).toBeCloseTo(Math.log(4), 12);
  });

  it('tells a thin curved line from a blob of the same bounding box by thickness, not elongation', () => {
    // A one-pixel arc bent into a "U" spans a 7×7 box like the filled disc below.
    const arc = fromRows(['#.....#', '#.....#', '#.....#', '#.....#', '#.....#', '.#...#.', '..###..']);
    const disc = fromRows(['..###..', '.#####.', '#######', '#######', '#######', '.#####.', '..###..']);
    const a = block(arc);
    const d = block(disc);
    expect(Math.exp(a[2])).toBeLessThan(1.2);
    expect(Math.exp(d[2])).toBeGreaterThan(2.5);
    // Both are near-round by their second moments.
    expect(Math.abs(a[3] - d[3])).toBeLessThan(0.3);
  });
});
