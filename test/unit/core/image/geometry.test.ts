import { describe, expect, it } from 'vitest';
import {
  isSimplePolygon,
  maskPrincipalAxis,
  maskToRings,
  outerContour,
  polygonArea,
  polygonCentroid,
  polygonMoments,
  polygonPerimeter,
  polygonPrincipalAxis,
  rasterisePolygon,
  signedArea,
  simplifyClosedPolygon,
  simplifyPolyline,
  type Point,
} from '../../../../src-main/core/image/geometry';
import { createMask, maskArea, type Mask } from '../../../../src-main/core/image/raster';

function fromRows(rows: string[]): Mask {
  const m = createMask(rows[0].length, rows.length);
  rows.forEach((row, y) => [...row].forEach((c, x) => (m.data[y * m.width + x] = c === '#' ? 255 : 0)));
  return m;
}

function sameMask(a: Mask, b: Mask): boolean {
  return a.data.every((v, i) => (v !== 0) === (b.data[i] !== 0));
}

describe('outer contour tracing along pixel edges', () => {
  it('traces a rectangle of pixels as its four corners, clockwise on screen', () => {
    const m = createMask(9, 7);
    for (let y = 1; y <= 3; y++) for (let x = 2; x <= 5; x++) m.data[y * 9 + x] = 255;
    expect(outerContour(m)).toEqual([[2, 1], [6, 1], [6, 4], [2, 4]]);
    expect(simplifyClosedPolygon(outerContour(m), 0.5)).toEqual([[2, 1], [6, 1], [6, 4], [2, 4]]);
  });

  it('simplifies a rectangle with a one-pixel notch back to its four corners', () => {
    const m = fromRows(['..........', '.###.####.', '.########.', '.########.', '.########.', '..........']);
    const contour = outerContour(m);
    expect(polygonArea(contour)).toBe(31);
    expect(contour).toEqual([[1, 1], [4, 1], [4, 2], [5, 2], [5, 1], [9, 1], [9, 5], [1, 5]]);
    expect(simplifyClosedPolygon(contour, 1.1)).toEqual([[1, 1], [9, 1], [9, 5], [1, 5]]);
  });

  it('encloses exactly its pixels: area = pixel count, rasterising gives the mask back', () => {
    const m = fromRows(['...........', '..###......', '.#####..#..', '.##.###.##.', '..####.###.', '....#######', '.....##....']);
    const contour = outerContour(m);
    // 32 pixels; the enclosed holes at (3,3) and (6,4) count as inside the outer contour.
    expect(maskArea(m)).toBe(32);
    expect(polygonArea(contour)).toBe(34);
    const filled = m.data.slice();
    filled[3 * 11 + 3] = 255;
    filled[4 * 11 + 6] = 255;
    expect(sameMask(rasterisePolygon([contour], 11, 7), { width: 11, height: 7, data: filled })).toBe(true);
  });

  it('follows a diagonal join (8-connectivity) and picks the largest component', () => {
    const m = fromRows(['#.....', '......', '.##...', '.##...', '...##.', '...##.']);
    const contour = outerContour(m);
    expect(polygonArea(contour)).toBe(8);
    expect(contour).toContainEqual([3, 4]);
  });

  it('returns no contour for an empty mask', () => {
    expect(outerContour(createMask(4, 4))).toEqual([]);
  });
});

describe('Douglas-Peucker', () => {
  it('keeps the hand-worked vertices of an open polyline', () => {
    // Chord (0,0)-(4,0): (3,2) is 2 away → kept. Chord (0,0)-(3,2): (2,0) is 4/√13 ≈ 1.11 away → kept,
    // (1,0.2) is 1.4/√13 ≈ 0.39 → dropped at tolerance 0.5.
    const line: Point[] = [[0, 0], [1, 0.2], [2, 0], [3, 2], [4, 0]];
    expect(simplifyPolyline(line, 0.5)).toEqual([[0, 0], [2, 0], [3, 2], [4, 0]]);
    expect(simplifyPolyline(line, 0.15)).toEqual(line);
  });

  it('reduces a finely sampled square outline to its corners', () => {
    const ring: Point[] = [];
    for (let i = 0; i < 10; i++) ring.push([i, 0]);
    for (let i = 0; i < 10; i++) ring.push([10, i + (i % 2) * 0.1]);
    for (let i = 10; i > 0; i--) ring.push([i, 10]);
    for (let i = 10; i > 0; i--) ring.push([0, i]);
    expect(simplifyClosedPolygon(ring, 0.2)).toEqual([[0, 0], [10, 0], [10, 10], [0, 10]]);
  });
});

describe('polygon measures', () => {
  it('gives the shoelace area, centroid and perimeter of a 3-4-5 triangle', () => {
    const tri: Point[] = [[0, 0], [4, 0], [0, 3]];
    expect(polygonArea(tri)).toBe(6);
    expect(polygonPerimeter(tri)).toBe(12);
    const [cx, cy] = polygonCentroid(tri);
    expect(cx).toBeCloseTo(4 / 3, 12);
    expect(cy).toBeCloseTo(1, 12);
  });

  it('signs the area by orientation (clockwise on screen is positive)', () => {
    expect(signedArea([[0, 0], [2, 0], [2, 2], [0, 2]])).toBe(4);
    expect(signedArea([[0, 0], [0, 2], [2, 2], [2, 0]])).toBe(-4);
  });

  it('gives a rectangle its textbook second moments a²/12 and b²/12', () => {
    const m = polygonMoments([[1, 2], [7, 2], [7, 4], [1, 4]]);
    expect(m.area).toBe(12);
    expect(m.mu20).toBeCloseTo(36 / 12, 10);
    expect(m.mu02).toBeCloseTo(4 / 12, 10);
    expect(m.mu11).toBeCloseTo(0, 10);
  });

  it('tells a simple polygon from a bow-tie', () => {
    expect(isSimplePolygon([[0, 0], [4, 0], [4, 4], [0, 4]])).toBe(true);
    expect(isSimplePolygon([[0, 0], [4, 4], [4, 0], [0, 4]])).toBe(false);
  });
});

describe('scanline rasterisation', () => {
  it('fills a square with a square hole (even-odd): 100 − 16 = 84 pixels', () => {
    const outer: Point[] = [[0, 0], [10, 0], [10, 10], [0, 10]];
    const hole: Point[] = [[3, 3], [7, 3], [7, 7], [3, 7]];
    const m = rasterisePolygon([outer, hole], 12, 12);
    expect(maskArea(m)).toBe(84);
    expect(m.data[5 * 12 + 5]).toBe(0);
    expect(m.data[1 * 12 + 1]).toBe(255);
  });

  it('takes pixels whose centre is inside: 28 for the right triangle with legs 8', () => {
    // Centre (x+½, y+½) inside x + y < 8 ⇔ x + y ≤ 6: 1 + 2 + … + 7 = 28.
    expect(maskArea(rasterisePolygon([[[0, 0], [8, 0], [0, 8]]], 10, 10))).toBe(28);
  });

  it('clips to the image', () => {
    expect(maskArea(rasterisePolygon([[[-5, -5], [3, -5], [3, 2], [-5, 2]]], 10, 10))).toBe(6);
  });

  it('reproduces any mask, holes and islands included, from its rings', () => {
    const m = fromRows(['##########', '#........#', '#.######.#', '#.#....#.#', '#.#.##.#.#', '#.#....#.#', '#.######.#', '#........#', '##########', '..#.#.....']);
    const rings = maskToRings(m);
    // Components: the outer frame (with the two dots under it), the inner frame, the island;
    // holes: the moat between the frames and the inside of the inner frame (the bottom row's gaps reach the border).
    expect(rings.length).toBe(5);
    expect(sameMask(rasterisePolygon(rings, 10, 10), m)).toBe(true);
  });
});

describe('rings of noisy masks', () => {
  it('reproduces 30 random speckle masks exactly, diagonal pinches and nested holes included', () => {
    let state = 12345;
    for (let trial = 0; trial < 30; trial++) {
      const m = createMask(24, 20);
      for (let i = 0; i < m.data.length; i++) {
        state = (state * 1103515245 + 12345) % 2147483648;
        m.data[i] = state / 2147483648 < 0.45 + 0.01 * (trial % 10) ? 255 : 0;
      }
      expect(sameMask(rasterisePolygon(maskToRings(m), 24, 20), m)).toBe(true);
    }
  });
});

describe('principal axis', () => {
  it('finds the 30° direction of a rasterised tilted rectangle', () => {
    const a = Math.PI / 6;
    const c = Math.cos(a);
    const s = Math.sin(a);
    const corners: Point[] = [[-40, -8], [40, -8], [40, 8], [-40, 8]].map(([x, y]): Point => [100 + c * x - s * y, 100 + s * x + c * y]);
    const axis = maskPrincipalAxis(rasterisePolygon([corners], 200, 200))!;
    expect(Math.abs(axis.angle - a)).toBeLessThan((0.5 * Math.PI) / 180);
    expect(axis.centroid[0]).toBeCloseTo(100, 0);
    expect(Math.abs(polygonPrincipalAxis(corners).angle - a)).toBeLessThan(1e-9);
    expect(axis.major / axis.minor).toBeCloseTo(5, 0);
  });
});
