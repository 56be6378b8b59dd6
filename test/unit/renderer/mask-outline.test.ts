import { describe, expect, it } from 'vitest';
import { maskOutline } from '../../../src-renderer/src/components/maskOutline';

const grid = (rows: string[]) => ({ width: rows[0].length, height: rows.length, on: Uint8Array.from(rows.join('').split('').map((c) => (c === '#' ? 1 : 0))) });
const draw = (m: Uint8Array, width: number) => Array.from({ length: m.length / width }, (_, y) => Array.from(m.slice(y * width, (y + 1) * width), (v) => (v ? '#' : '.')).join(''));

describe('the outline mode of a mask (issue 12, item 11)', () => {
  it('keeps the edge pixels of a filled shape and clears its inside', () => {
    const { width, height, on } = grid(['......', '.####.', '.####.', '.####.', '.####.', '......']);
    expect(draw(maskOutline(on, width, height), width)).toEqual(['......', '.####.', '.#..#.', '.#..#.', '.####.', '......']);
  });

  it('keeps thin strokes whole and treats the image border as outside', () => {
    const { width, height, on } = grid(['###', '#.#', '###']);
    expect(draw(maskOutline(on, width, height), width)).toEqual(['###', '#.#', '###']);
    const full = grid(['####', '####', '####', '####']);
    expect(draw(maskOutline(full.on, full.width, full.height), full.width)).toEqual(['####', '#..#', '#..#', '####']);
  });
});
