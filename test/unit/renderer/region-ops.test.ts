import { describe, expect, it } from 'vitest';
import { applyRle, binariseMask, countOn, floodFill, parseVectors, rleOfAlpha } from '../../../src-renderer/src/regions/ops';

/** An RGBA buffer from rows of '#' (in the region: white, opaque) and '.' (out: clear). */
function mask(rows: string[]): { rgba: Uint8ClampedArray; width: number; height: number } {
  const width = rows[0].length;
  const rgba = new Uint8ClampedArray(width * rows.length * 4);
  rows.forEach((row, y) =>
    [...row].forEach((c, x) => {
      const p = (y * width + x) * 4;
      rgba[p] = rgba[p + 1] = rgba[p + 2] = 255;
      rgba[p + 3] = c === '#' ? 255 : 0;
    }),
  );
  return { rgba, width, height: rows.length };
}

/** The buffer back as rows of '#' and '.', reading alpha at half as the engine does. */
function rows(rgba: Uint8ClampedArray, width: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < rgba.length / 4; i += width) {
    let row = '';
    for (let x = 0; x < width; x++) row += rgba[(i + x) * 4 + 3] >= 128 ? '#' : '.';
    out.push(row);
  }
  return out;
}

/** A deterministic pseudo-random mask (no Math.random: the failures must repeat). */
function randomMask(width: number, height: number, seed: number): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(width * height * 4);
  let s = seed;
  for (let i = 0; i < width * height; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    rgba[i * 4 + 3] = s % 3 === 0 ? 255 : s % 5 === 0 ? 127 : 0;
  }
  return rgba;
}

describe('region operations', () => {
  describe('the run-length code of a segmenter mask', () => {
    it('counts alternating off and on runs in raster order, starting with off', () => {
      const { rgba } = mask(['.##...#']);
      expect(rleOfAlpha(rgba)).toEqual([1, 2, 3, 1]);
    });

    it('starts with an empty off run when the first pixel is on', () => {
      const { rgba } = mask(['#.', '..']);
      expect(rleOfAlpha(rgba)).toEqual([0, 1, 3]);
    });

    it('puts a pixel in the region from alpha 128, as the engine binarises', () => {
      const rgba = new Uint8ClampedArray([0, 0, 0, 127, 0, 0, 0, 128]);
      expect(rleOfAlpha(rgba)).toEqual([1, 1]);
    });

    it('adds exactly the encoded pixels when replayed onto an empty layer', () => {
      for (const seed of [1, 2, 3]) {
        const source = randomMask(17, 11, seed);
        const replayed = new Uint8ClampedArray(source.length);
        applyRle(replayed, rleOfAlpha(source), true);
        expect(rows(replayed, 17)).toEqual(rows(source, 17));
        expect(countOn(replayed)).toBe(countOn(source));
      }
    });

    it('clears exactly the encoded pixels when replayed as a subtraction', () => {
      const full = mask(['#####', '#####']);
      const cut = mask(['.##..', '...##']);
      applyRle(full.rgba, rleOfAlpha(cut.rgba), false);
      expect(rows(full.rgba, 5)).toEqual(['#..##', '###..']);
    });

    it('stops at the end of the layer when a code is longer than it', () => {
      const { rgba } = mask(['...']);
      applyRle(rgba, [1, 10], true);
      expect(rows(rgba, 3)).toEqual(['.##']);
    });
  });

  describe('the fill tool', () => {
    it('fills the hole inside a ring and nothing outside it', () => {
      const m = mask([
        '.......',
        '.#####.',
        '.#...#.',
        '.#...#.',
        '.#####.',
        '.......',
      ]);
      const filled = floodFill(m.rgba, m.width, m.height, [3.7, 2.2], true);
      expect(filled).toBe(6);
      expect(rows(m.rgba, m.width)).toEqual(['.......', '.#####.', '.#####.', '.#####.', '.#####.', '.......']);
    });

    it('does not leak through a gap that touches only at a corner (4-connected)', () => {
      const m = mask([
        '..#',
        '.#.',
        '#..',
      ]);
      expect(floodFill(m.rgba, 3, 3, [0, 0], true)).toBe(3);
      expect(rows(m.rgba, 3)).toEqual(['###', '##.', '#..']);
    });

    it('erases the connected part of the region under the seed when subtracting', () => {
      const m = mask([
        '##..#',
        '##..#',
      ]);
      expect(floodFill(m.rgba, 5, 2, [1, 1], false)).toBe(4);
      expect(rows(m.rgba, 5)).toEqual(['....#', '....#']);
    });

    it('changes nothing when the seed is already in the wanted state or off the image', () => {
      const m = mask(['#.', '..']);
      const before = rows(m.rgba, 2);
      expect(floodFill(m.rgba, 2, 2, [0, 0], true)).toBe(0);
      expect(floodFill(m.rgba, 2, 2, [1, 1], false)).toBe(0);
      expect(floodFill(m.rgba, 2, 2, [-1, 0], true)).toBe(0);
      expect(floodFill(m.rgba, 2, 2, [2, 0], true)).toBe(0);
      expect(rows(m.rgba, 2)).toEqual(before);
    });
  });

  describe('stored vectors', () => {
    it('reads back what the editor saved', () => {
      const ops = [{ kind: 'polygon' as const, mode: 'add' as const, points: [[0, 0], [4, 0], [4, 4]] as [number, number][], width: 0 }];
      expect(parseVectors({ format: 'gaa-regions/1', baseRaster: false, ops })).toEqual({ format: 'gaa-regions/1', baseRaster: false, ops });
      expect(parseVectors({ format: 'gaa-regions/1', ops })?.baseRaster).toBe(false);
      expect(parseVectors({ format: 'gaa-regions/1', baseRaster: 1, ops })?.baseRaster).toBe(true);
    });

    it('refuses vectors of another format or without an operation list, so the raster is used instead', () => {
      expect(parseVectors(null)).toBeNull();
      expect(parseVectors({ format: 'gaa-regions/2', ops: [] })).toBeNull();
      expect(parseVectors({ format: 'gaa-regions/1', ops: 'polygon' })).toBeNull();
      expect(parseVectors({ format: 'gaa-regions/1' })).toBeNull();
    });
  });

  describe('a stored mask read back as a base raster', () => {
    it('keeps bright opaque pixels, in white, and clears dark or transparent ones', () => {
      const rgba = new Uint8ClampedArray([
        ...[255, 255, 255, 255],
        ...[0, 0, 0, 255],
        ...[128, 0, 0, 255],
        ...[127, 127, 127, 255],
        ...[255, 255, 255, 127],
      ]);
      binariseMask(rgba);
      expect([...rgba]).toEqual([
        ...[255, 255, 255, 255],
        ...[255, 255, 255, 0],
        ...[255, 255, 255, 255],
        ...[255, 255, 255, 0],
        ...[255, 255, 255, 0],
      ]);
      expect(countOn(rgba)).toBe(2);
    });
  });
});
