import { describe, expect, it } from 'vitest';
import {
  close,
  connectedComponents,
  dilate,
  erode,
  fillHoles,
  largestComponent,
  maskBounds,
  open,
  squaredDistanceTransform,
} from '../../../../src-main/core/image/morphology';
import { createMask, maskArea, type Mask } from '../../../../src-main/core/image/raster';

function fromRows(rows: string[]): Mask {
  const m = createMask(rows[0].length, rows.length);
  rows.forEach((row, y) => [...row].forEach((c, x) => (m.data[y * m.width + x] = c === '#' ? 255 : 0)));
  return m;
}

function toRows(m: Mask): string[] {
  const rows: string[] = [];
  for (let y = 0; y < m.height; y++) {
    let s = '';
    for (let x = 0; x < m.width; x++) s += m.data[y * m.width + x] ? '#' : '.';
    rows.push(s);
  }
  return rows;
}

describe('binary morphology with disc structuring elements', () => {
  it('dilates a single pixel into a plus at radius 1, a 3×3 square at 1.5 and a 13-pixel disc at 2', () => {
    const dot = fromRows(['.......', '.......', '.......', '...#...', '.......', '.......', '.......']);
    expect(toRows(dilate(dot, 1))).toEqual(['.......', '.......', '...#...', '..###..', '...#...', '.......', '.......']);
    expect(toRows(dilate(dot, 1.5))).toEqual(['.......', '.......', '..###..', '..###..', '..###..', '.......', '.......']);
    expect(toRows(dilate(dot, 2))).toEqual(['.......', '...#...', '..###..', '.#####.', '..###..', '...#...', '.......']);
  });

  it('dilates one pixel by radius 20 into the 1257 lattice points of the Gauss circle on a 1024² image', () => {
    const m = createMask(1024, 1024);
    m.data[500 * 1024 + 600] = 255;
    expect(maskArea(dilate(m, 20))).toBe(1257);
  });

  it('erodes a 5×5 square to its 3×3 core at radius 1 and 1.5, and to its centre at radius 2', () => {
    const sq = fromRows(['.........', '.........', '..#####..', '..#####..', '..#####..', '..#####..', '..#####..', '.........', '.........']);
    const core = ['.........', '.........', '.........', '...###...', '...###...', '...###...', '.........', '.........', '.........'];
    expect(toRows(erode(sq, 1))).toEqual(core);
    expect(toRows(erode(sq, 1.5))).toEqual(core);
    const centre = erode(sq, 2);
    expect(maskArea(centre)).toBe(1);
    expect(centre.data[4 * 9 + 4]).toBe(255);
  });

  it('does not erode a mask from the image border', () => {
    const full = fromRows(['#####', '#####', '#####']);
    expect(maskArea(erode(full, 1))).toBe(15);
  });

  it('closes a one-pixel gap between two blocks only in its middle row with a radius-1 disc', () => {
    const blocks = fromRows(['...........', '...........', '..###.###..', '..###.###..', '..###.###..', '...........', '...........']);
    expect(toRows(close(blocks, 1))).toEqual(['...........', '...........', '..###.###..', '..#######..', '..###.###..', '...........', '...........']);
    // A radius-1.5 disc is the 3×3 square, which bridges the whole gap column.
    expect(toRows(close(blocks, 1.5))).toEqual(['...........', '...........', '..#######..', '..#######..', '..#######..', '...........', '...........']);
  });

  it('opens away an isolated pixel and rounds the corners of a square', () => {
    const m = fromRows(['#........', '.........', '..#####..', '..#####..', '..#####..', '..#####..', '..#####..', '.........', '.........']);
    expect(toRows(open(m, 1))).toEqual(['.........', '.........', '...###...', '..#####..', '..#####..', '..#####..', '...###...', '.........', '.........']);
  });
});

describe('small-disc dilation and erosion', () => {
  it('equal the distance-transform definitions (≤ r² from an on pixel; on and > r² from every off pixel in the image) for radii up to 4', () => {
    let seed = 17;
    const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    for (let trial = 0; trial < 60; trial++) {
      const w = 1 + Math.floor(rnd() * 30);
      const h = 1 + Math.floor(rnd() * 25);
      const m = createMask(w, h);
      // Blobs, specks and holes, some touching the border; sometimes nearly full.
      const fill = trial % 5 === 0 ? 0.9 : 0.25;
      for (let i = 0; i < w * h; i++) if (rnd() < fill) m.data[i] = 1 + Math.floor(rnd() * 255);
      const toOn = squaredDistanceTransform(m, 'on');
      const toOff = squaredDistanceTransform(m, 'off');
      for (const r of [0.5, 1, 1.5, 2, 2.5, 3, 4]) {
        const d = dilate(m, r);
        const e = erode(m, r);
        for (let i = 0; i < w * h; i++) {
          expect(d.data[i]).toBe(toOn[i] <= r * r ? 255 : 0);
          expect(e.data[i]).toBe(m.data[i] !== 0 && toOff[i] > r * r ? 255 : 0);
        }
      }
    }
  });
});

describe('Euclidean distance transform', () => {
  it('matches brute force on a small irregular grid', () => {
    const w = 13;
    const h = 9;
    const m = createMask(w, h);
    let s = 7;
    for (let i = 0; i < w * h; i++) {
      s = (s * 1103515245 + 12345) % 2147483648;
      m.data[i] = s % 7 === 0 ? 255 : 0;
    }
    for (const to of ['on', 'off'] as const) {
      const d = squaredDistanceTransform(m, to);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          let best = Infinity;
          for (let v = 0; v < h; v++)
            for (let u = 0; u < w; u++) {
              if ((m.data[v * w + u] !== 0) !== (to === 'on')) continue;
              best = Math.min(best, (u - x) ** 2 + (v - y) ** 2);
            }
          expect(d[y * w + x]).toBe(best);
        }
    }
  });

  it('reports infinity where there is nothing to measure to', () => {
    const d = squaredDistanceTransform(createMask(4, 3), 'on');
    expect([...d].every((v) => v === Infinity)).toBe(true);
  });
});

describe('connected components and holes', () => {
  it('joins diagonal neighbours with 8-connectivity but not with 4', () => {
    const m = fromRows(['#..', '.#.', '..#', '...', '##.']);
    expect(connectedComponents(m, 8).count).toBe(2);
    expect(connectedComponents(m, 4).count).toBe(4);
    expect(connectedComponents(m, 8).areas.slice(1)).toEqual([3, 2]);
  });

  it('keeps only the largest component', () => {
    const m = fromRows(['##...', '##...', '.....', '..###', '..###']);
    expect(toRows(largestComponent(m))).toEqual(['.....', '.....', '.....', '..###', '..###']);
  });

  it('fills an enclosed hole but not a bay open to the border', () => {
    const m = fromRows(['.......', '.#####.', '.#...#.', '.#####.', '.......', '.###...', '.#.....', '.###...']);
    expect(toRows(fillHoles(m))).toEqual(['.......', '.#####.', '.#####.', '.#####.', '.......', '.###...', '.#.....', '.###...']);
  });
});

describe('maskBounds', () => {
  /** The box read off every pixel, independently of the word-wise scan. */
  function reference(m: Mask): { x0: number; y0: number; x1: number; y1: number } | null {
    let box: { x0: number; y0: number; x1: number; y1: number } | null = null;
    for (let y = 0; y < m.height; y++) {
      for (let x = 0; x < m.width; x++) {
        if (!m.data[y * m.width + x]) continue;
        box = box
          ? { x0: Math.min(box.x0, x), y0: Math.min(box.y0, y), x1: Math.max(box.x1, x + 1), y1: Math.max(box.y1, y + 1) }
          : { x0: x, y0: y, x1: x + 1, y1: y + 1 };
      }
    }
    return box;
  }

  it('finds the box of any on pixels (any non-zero value, odd widths, views that start mid-word) as a pixel-by-pixel scan does', () => {
    let seed = 5;
    const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    for (let trial = 0; trial < 300; trial++) {
      const w = 1 + Math.floor(rnd() * 37);
      const h = 1 + Math.floor(rnd() * 23);
      const offset = Math.floor(rnd() * 4);
      const data = new Uint8Array(w * h + offset).subarray(offset);
      const spots = Math.floor(rnd() * 4);
      for (let k = 0; k < spots; k++) data[Math.floor(rnd() * w * h)] = 1 + Math.floor(rnd() * 255);
      const m: Mask = { width: w, height: h, data };
      expect(maskBounds(m)).toEqual(reference(m));
    }
  });

  it('is null for an empty mask and the single pixel for a mask with one corner pixel on', () => {
    const m = createMask(9, 5);
    expect(maskBounds(m)).toBeNull();
    m.data[44] = 1;
    expect(maskBounds(m)).toEqual({ x0: 8, y0: 4, x1: 9, y1: 5 });
  });
});
