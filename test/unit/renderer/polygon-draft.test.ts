import { describe, expect, it } from 'vitest';
import { closedPolygon, EMPTY_DRAFT, withPoint, type PolygonDraft } from '../../../src-renderer/src/regions/usePolygonDraft';
import type { Pt } from '../../../src-renderer/src/regions/ops';

const clicks = (points: Pt[], zoom = 1, alt = false): PolygonDraft => points.reduce((d, p) => withPoint(d, p, zoom, alt), EMPTY_DRAFT);

describe('the polygon draft', () => {
  it('adds a corner per click', () => {
    expect(clicks([[0, 0], [10, 0], [10, 10]]).points).toEqual([[0, 0], [10, 0], [10, 10]]);
  });

  it('ignores a click within 4 screen pixels of the last corner, as the clicks of a double-click land', () => {
    const d = clicks([[0, 0], [10, 0]]);
    expect(withPoint(d, [11, 2], 1, false)).toBe(d);
    expect(withPoint(d, [14, 0], 1, false).points).toHaveLength(3);
    // Zoomed in 8×, one image pixel is 8 screen pixels: a click one pixel away is a new corner.
    expect(withPoint(clicks([[0, 0]], 8), [1, 0], 8, false).points).toHaveLength(2);
    // Zoomed out to ¼, ten image pixels are 2.5 screen pixels: the same corner.
    expect(withPoint(clicks([[0, 0]], 0.25), [10, 0], 0.25, false).points).toHaveLength(1);
  });

  it('cuts when Alt was held at any click or at the close', () => {
    const square: Pt[] = [[0, 0], [10, 0], [10, 10], [0, 10]];
    expect(closedPolygon(clicks(square), false)?.mode).toBe('add');
    expect(closedPolygon(clicks(square), true)?.mode).toBe('subtract');
    const altOnce = withPoint(clicks(square.slice(0, 3)), square[3], 1, true);
    expect(closedPolygon(withPoint(altOnce, [5, 20], 1, false), false)?.mode).toBe('subtract');
  });

  it('commits a polygon of three corners or more and nothing for fewer', () => {
    expect(closedPolygon(clicks([[0, 0], [10, 0]]), false)).toBeNull();
    expect(closedPolygon(clicks([[0, 0], [10, 0], [0, 10]]), false)).toEqual({ kind: 'polygon', mode: 'add', points: [[0, 0], [10, 0], [0, 10]], width: 0 });
  });
});
