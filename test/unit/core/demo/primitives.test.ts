import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPlane, ellipsePoints, fillPolygon, footprint, gaussianBlur, posePoints, strokePolyline } from '../../../../src-main/core/demo/draw';
import { loadRecipe } from '../../../../src-main/io/demo-writer';
import { parseRecipe, need } from '../../../../src-main/core/demo/recipe';
import { roundedRect, rrDistance, softCoverage } from '../../../../src-main/core/demo/sdf';

const sum = (a: Float32Array) => a.reduce((s, v) => s + v, 0);

describe('demo drawing primitives', () => {
  it('covers exactly the area of an axis-aligned square, with half-covered edge pixels', () => {
    const p = createPlane(12, 12);
    fillPolygon(p, 12, 12, [2.5, 2.5, 6.5, 2.5, 6.5, 6.5, 2.5, 6.5]);
    expect(sum(p)).toBeCloseTo(16, 5);
    expect(p[4 * 12 + 4]).toBeCloseTo(1, 6);
    expect(p[4 * 12 + 2]).toBeCloseTo(0.5, 6);
    expect(p[2 * 12 + 2]).toBeCloseTo(0.25, 6);
    expect(p[4 * 12 + 7]).toBe(0);
  });

  it('covers a triangle and an ellipse to within 1 % of their analytic areas', () => {
    const t = createPlane(40, 40);
    fillPolygon(t, 40, 40, [3, 4, 35, 9, 12, 33]);
    // Shoelace: |(35−3)(33−4) − (12−3)(9−4)| / 2 = (928 − 45) / 2.
    expect(Math.abs(sum(t) - 441.5) / 441.5).toBeLessThan(0.01);
    const e = createPlane(60, 60);
    fillPolygon(e, 60, 60, ellipsePoints(30, 30, 20, 11, 0.6, 128));
    expect(Math.abs(sum(e) - Math.PI * 20 * 11) / (Math.PI * 20 * 11)).toBeLessThan(0.01);
  });

  it('strokes a line whose cross-section integrates to its width', () => {
    const p = createPlane(40, 20);
    strokePolyline(p, 40, 20, [5, 10, 35, 10], [1.5, 1.5]);
    let column = 0;
    for (let y = 0; y < 20; y++) column += p[y * 40 + 20];
    expect(column).toBeCloseTo(3, 1);
  });

  it('blurs a point into a Gaussian of the requested spread, keeping its mass', () => {
    const p = createPlane(41, 41);
    p[20 * 41 + 20] = 1;
    const b = gaussianBlur(p, 41, 41, 2.5);
    expect(sum(b)).toBeCloseTo(1, 5);
    let m2 = 0;
    for (let y = 0; y < 41; y++) for (let x = 0; x < 41; x++) m2 += b[y * 41 + x] * (x - 20) ** 2;
    expect(Math.sqrt(m2)).toBeCloseTo(2.5, 1);
  });

  it('thresholds a defect footprint at half its peak alpha', () => {
    expect(Array.from(footprint(Float32Array.from([0, 0.2, 0.39, 0.4, 0.8])))).toEqual([0, 0, 0, 255, 255]);
  });

  it('maps an object frame to pixels by rotation, scale and translation', () => {
    const [x, y] = posePoints({ cx: 100, cy: 50, angle: Math.PI / 2, scale: 10 }, [1, 0]);
    expect(x).toBeCloseTo(100, 9);
    expect(y).toBeCloseTo(60, 9);
  });

  it('measures signed distance to a posed rounded rectangle in pixels', () => {
    const rect = roundedRect({ cx: 50, cy: 50, angle: 0, scale: 100 }, { cx: 0, cy: 0, w: 0.4, h: 0.2, r: 0.05 });
    const d = (x: number, y: number) => rrDistance(rect, x, y);
    expect(d(50, 50)).toBeCloseTo(-10, 6);
    expect(d(80, 50)).toBeCloseTo(10, 6);
    // Corner arc centre at (65, 45) in pixels, radius 5: a point 3-4-5 away from it is 0 px out.
    expect(d(65 + 3, 45 - 4)).toBeCloseTo(0, 6);
    // The same rectangle turned a quarter: its long side now runs vertically.
    const turned = roundedRect({ cx: 50, cy: 50, angle: Math.PI / 2, scale: 100 }, { cx: 0, cy: 0, w: 0.4, h: 0.2, r: 0.05 });
    expect(rrDistance(turned, 50, 80)).toBeCloseTo(10, 6);
    expect(rrDistance(turned, 65, 50)).toBeCloseTo(5, 6);
    expect(softCoverage(0, 2)).toBeCloseTo(0.5, 9);
    expect(softCoverage(-2, 2)).toBeCloseTo(0.8413, 2);
  });
});

describe('demo recipe', () => {
  it('rejects a recipe with a reversed range, naming where', () => {
    const bad = { version: 'x', seed: 1, categories: [{ generator: 'nutbox', name: 'n', sizes: [[320, 256]], train: 1, testGood: 1, anomalies: [], camera: { exposure: [1, 0.9] } }] };
    expect(() => parseRecipe(bad)).toThrow(/categories\.0\.camera\.exposure/);
  });

  it('refuses a recipe naming a defect subtype nobody draws', async () => {
    const real = JSON.parse(readFileSync(join(__dirname, '../../../../resources/demo/recipe.json'), 'utf8'));
    real.categories[0].anomalies[0].subtype = 'dent';
    const dir = await mkdtemp(join(tmpdir(), 'gaa-demo-recipe-'));
    await writeFile(join(dir, 'r.json'), JSON.stringify(real));
    expect(() => loadRecipe(join(dir, 'r.json'))).toThrow(/tile has no anomaly subtype "dent"/);
    await rm(dir, { recursive: true, force: true });
  });

  it('names a missing defect parameter instead of inventing a default', () => {
    expect(() => need({}, 'radiusPx', 'tile/hole')).toThrow('tile/hole lacks parameter "radiusPx"');
  });
});
