import { describe, expect, it } from 'vitest';
import { convexHullArea, huLog, huMoments, shapeBlock } from '../../../../src-main/core/features/shape';

function fromRows(rows: string[]): { bin: Uint8Array; w: number; h: number } {
  const h = rows.length;
  const w = rows[0].length;
  const bin = new Uint8Array(w * h);
  rows.forEach((r, y) => [...r].forEach((c, x) => (bin[y * w + x] = c === '#' ? 1 : 0)));
  return { bin, w, h };
}

/** An asymmetric blob (no mirror or rotational symmetry), so all Hu moments are non-zero. */
function asymmetricShape(scale: number): { bin: Uint8Array; w: number; h: number } {
  const base = [
    '..........',
    '.##.......',
    '.####.....',
    '..#####...',
    '...######.',
    '...###....',
    '....#.....',
    '.......#..',
    '..........',
  ];
  const rows: string[] = [];
  for (const r of base) {
    const wide = [...r].map((c) => c.repeat(scale)).join('');
    for (let k = 0; k < scale; k++) rows.push(wide);
  }
  return fromRows(rows);
}

function rotate90(m: { bin: Uint8Array; w: number; h: number }): { bin: Uint8Array; w: number; h: number } {
  const out = new Uint8Array(m.w * m.h);
  // (x, y) → (h−1−y, x); the result is h wide and w tall.
  for (let y = 0; y < m.h; y++) for (let x = 0; x < m.w; x++) out[x * m.h + (m.h - 1 - y)] = m.bin[y * m.w + x];
  return { bin: out, w: m.h, h: m.w };
}

const frame = (w: number, h: number) => ({ offsetX: 10, offsetY: 10, imageWidth: w + 20, imageHeight: h + 20 });

describe('shape features', () => {
  it('gives a filled square solidity 1', () => {
    const sq = fromRows(['....', '.##.', '.##.', '....']);
    expect(convexHullArea(sq.bin, sq.w, sq.h)).toBe(4);
    expect(shapeBlock(sq.bin, sq.w, sq.h, frame(4, 4))[2]).toBe(1);
  });

  it('gives an L of 5 pixels solidity 5/7 (hand-worked hull)', () => {
    // Pixels as unit squares: hull corners (0,0) (1,0) (3,2) (3,3) (0,3);
    // shoelace: 0 + 2 + 3 + 9 + 0 = 14 → area 7.
    const l = fromRows(['#..', '#..', '###']);
    expect(convexHullArea(l.bin, l.w, l.h)).toBe(7);
    expect(shapeBlock(l.bin, l.w, l.h, frame(3, 3))[2]).toBeCloseTo(5 / 7, 12);
  });

  it('gives an a×b rectangle elongation a/b and the matching eccentricity', () => {
    // Unit-square pixels: variance along a side of n pixels is n²/12, so the axis ratio is a/b.
    const rows = Array.from({ length: 3 }, () => '#'.repeat(12));
    const r = fromRows(rows);
    const s = shapeBlock(r.bin, r.w, r.h, frame(12, 3));
    expect(s[1]).toBeCloseTo(Math.log(4), 10);
    expect(s[3]).toBeCloseTo(Math.sqrt(1 - 1 / 16), 10);
    // ln(36 / (32·23)) area fraction
    expect(s[0]).toBeCloseTo(Math.log(36 / (32 * 23)), 12);
  });

  it('keeps a one-pixel line finite: elongation = its length', () => {
    const r = fromRows(['#'.repeat(20)]);
    expect(shapeBlock(r.bin, r.w, r.h, frame(20, 1))[1]).toBeCloseTo(Math.log(20), 10);
  });

  it('gives a disc-like shape near-zero eccentricity and an elongated one near 1', () => {
    const disc = fromRows(['.###.', '#####', '#####', '#####', '.###.']);
    expect(shapeBlock(disc.bin, 5, 5, frame(5, 5))[3]).toBeCloseTo(0, 10);
    const thin = fromRows(['#'.repeat(40), '#'.repeat(40)]);
    expect(shapeBlock(thin.bin, 40, 2, frame(40, 2))[3]).toBeGreaterThan(0.99);
  });

  it('keeps all seven Hu moments under a 90° rotation', () => {
    const s = asymmetricShape(1);
    const a = huMoments(s.bin, s.w, s.h);
    const r = rotate90(s);
    const b = huMoments(r.bin, r.w, r.h);
    for (let i = 0; i < 7; i++) expect(Math.abs(a[i])).toBeGreaterThan(1e-9);
    for (let i = 0; i < 7; i++) expect(Math.abs(b[i] - a[i])).toBeLessThan(1e-9 * Math.abs(a[i]));
  });

  it('keeps the log-scaled Hu moments under scaling (×3 pixel replication)', () => {
    // Replication changes the discretisation slightly, so agreement is to a few percent
    // of a decade, not exact.
    const small = asymmetricShape(3);
    const big = asymmetricShape(6);
    const a = huMoments(small.bin, small.w, small.h).map(huLog);
    const b = huMoments(big.bin, big.w, big.h).map(huLog);
    for (let i = 0; i < 7; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(0.05 * Math.max(1, Math.abs(a[i])));
  });

  it('log-scales Hu values as −sign(h)·log10|h| and maps numerical zero to one value', () => {
    expect(huLog(1e-3)).toBeCloseTo(3, 12);
    expect(huLog(-1e-5)).toBeCloseTo(-5, 12);
    expect(huLog(1e-20)).toBe(huLog(-1e-20));
  });

  it('reports the share of the outline the image border cuts', () => {
    // A 4×4 square in the image corner: 12 contour pixels, 7 of them on row 0 or column 0.
    const sq = fromRows(['####....', '####....', '####....', '####....', '........']);
    const s = shapeBlock(sq.bin, 8, 5, { offsetX: 0, offsetY: 0, imageWidth: 50, imageHeight: 50 });
    expect(s[11]).toBeCloseTo(7 / 12, 12);
    expect(shapeBlock(sq.bin, 8, 5, frame(8, 5))[11]).toBe(0);
  });
});
