import { describe, expect, it } from 'vitest';
import { inverseMap, phaseCorrelate, registerImages, warpMask } from '../../../../src-main/core/regions/registration';
import { createMask } from '../../../../src-main/core/image/raster';
import { blobScene, iou, renderGray, toObject, type Pose } from './synthetic';

const DEG = Math.PI / 180;

/** Where the exemplar pixel p lands in the target, from the two poses that drew them. */
function truthMap(from: Pose, to: Pose, x: number, y: number): [number, number] {
  const [ox, oy] = toObject(from, x, y);
  const c = Math.cos(to.angle);
  const s = Math.sin(to.angle);
  return [to.cx + to.scale * (c * ox - s * oy), to.cy + to.scale * (s * ox + c * oy)];
}

describe('phase correlation', () => {
  const scene = blobScene(5);
  const plane = (img: { width: number; height: number; data: Uint8Array }) => ({ width: img.width, height: img.height, data: Float64Array.from(img.data) });

  it('recovers a cyclic integer shift exactly', () => {
    const a = plane(renderGray(64, 64, { cx: 31.5, cy: 31.5, angle: 0, scale: 60 }, scene));
    const b = { width: 64, height: 64, data: new Float64Array(64 * 64) };
    for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) b.data[((y - 3 + 64) % 64) * 64 + ((x + 5) % 64)] = a.data[y * 64 + x];
    const r = phaseCorrelate(a, b, { window: false });
    expect(r.dx).toBeCloseTo(5, 9);
    expect(r.dy).toBeCloseTo(-3, 9);
    expect(r.peak).toBeCloseTo(1, 9);
  });

  it('recovers the shift between two crops of one scene to the nearest pixel', () => {
    const a = plane(renderGray(128, 128, { cx: 63.5, cy: 63.5, angle: 0, scale: 150 }, scene));
    const b = plane(renderGray(128, 128, { cx: 63.5 + 7, cy: 63.5 - 4, angle: 0, scale: 150 }, scene));
    const r = phaseCorrelate(a, b);
    expect(Math.round(r.dx)).toBe(7);
    expect(Math.round(r.dy)).toBe(-4);
  });
});

describe('similarity registration', () => {
  const scene = blobScene(5);

  it('recovers a 10° rotation and a 1.1 scale with a shift (log-polar)', () => {
    const from: Pose = { cx: 79.5, cy: 79.5, angle: 0, scale: 140 };
    const to: Pose = { cx: 79.5 + 4, cy: 79.5 - 3, angle: 10 * DEG, scale: 154 };
    const r = registerImages(renderGray(160, 160, from, scene), renderGray(160, 160, to, scene));
    expect(Math.abs(r.rotation / DEG - 10)).toBeLessThan(1);
    expect(Math.abs(r.scale / 1.1 - 1)).toBeLessThan(0.03);
    for (const [x, y] of [[40, 40], [120, 60], [80, 130]]) {
      const [tx, ty] = truthMap(from, to, x, y);
      expect(Math.hypot(r.scale * (Math.cos(r.rotation) * x - Math.sin(r.rotation) * y) + r.tx - tx, r.scale * (Math.sin(r.rotation) * x + Math.cos(r.rotation) * y) + r.ty - ty)).toBeLessThan(1.5);
    }
    expect(r.ncc).toBeGreaterThan(0.9);
  });

  it('registers images of different sizes in one normalised frame', () => {
    const from: Pose = { cx: 79.5, cy: 79.5, angle: 0, scale: 140 };
    // The same scene photographed larger (a 200 × 168 image), turned −6°.
    const to: Pose = { cx: 99.5 - 5, cy: 83.5 + 3, angle: -6 * DEG, scale: 175 };
    const r = registerImages(renderGray(160, 160, from, scene), renderGray(200, 168, to, scene));
    expect(Math.abs(r.rotation / DEG + 6)).toBeLessThan(1);
    expect(Math.abs(r.scale / 1.25 - 1)).toBeLessThan(0.03);
    const [ex, ey] = inverseMap(r, ...truthMap(from, to, 80, 80));
    expect(Math.hypot(ex - 80, ey - 80)).toBeLessThan(2);
  });

  it('registers a gray target to a colour exemplar', () => {
    const gray = renderGray(128, 128, { cx: 63.5, cy: 63.5, angle: 0, scale: 120 }, scene);
    const colour = { width: 128, height: 128, channels: 3 as const, data: new Uint8Array(128 * 128 * 3) };
    for (let i = 0; i < 128 * 128; i++) colour.data.set([gray.data[i], gray.data[i], gray.data[i]], i * 3);
    const target = renderGray(128, 128, { cx: 66.5, cy: 61.5, angle: 5 * DEG, scale: 120 }, scene);
    const r = registerImages(colour, target);
    expect(Math.abs(r.rotation / DEG - 5)).toBeLessThan(1);
    expect(r.ncc).toBeGreaterThan(0.9);
  });

  it('scores an unrelated image far below a true match', () => {
    const a = renderGray(128, 128, { cx: 63.5, cy: 63.5, angle: 0, scale: 120 }, scene);
    const same = registerImages(a, renderGray(128, 128, { cx: 66, cy: 60, angle: 4 * DEG, scale: 120 }, scene));
    const other = registerImages(a, renderGray(128, 128, { cx: 63.5, cy: 63.5, angle: 0, scale: 120 }, blobScene(99)));
    expect(same.ncc).toBeGreaterThan(0.9);
    expect(other.ncc).toBeLessThan(same.ncc - 0.3);
  });
});

describe('mask warping', () => {
  it('leaves a mask unchanged under the identity', () => {
    const m = createMask(20, 12);
    for (let i = 0; i < m.data.length; i += 3) m.data[i] = 255;
    expect(Array.from(warpMask(m, { rotation: 0, scale: 1, tx: 0, ty: 0 }, 20, 12).data)).toEqual(Array.from(m.data));
  });

  it('carries a square through a known rotation, scale and shift', () => {
    const from: Pose = { cx: 40, cy: 40, angle: 0, scale: 1 };
    const to: Pose = { cx: 75, cy: 65, angle: 20 * DEG, scale: 1.2 };
    // The source's pixels cover |x| ≤ 30.5, |y| ≤ 20.5: that union of pixel squares is what moves.
    const draw = (pose: Pose, w: number, h: number, half: number) => {
      const m = createMask(w, h);
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
        const [ox, oy] = toObject(pose, x, y);
        if (Math.abs(ox) <= 30 + half && Math.abs(oy) <= 20 + half) m.data[y * w + x] = 255;
      }
      return m;
    };
    // p' = 1.2·R(20°)·(p − (40, 40)) + (75, 65).
    const c = 1.2 * Math.cos(20 * DEG);
    const s = 1.2 * Math.sin(20 * DEG);
    const t = { rotation: 20 * DEG, scale: 1.2, tx: 75 - (c * 40 - s * 40), ty: 65 - (s * 40 + c * 40) };
    const warped = warpMask(draw(from, 80, 80, 0), t, 150, 130);
    // Only boundary pixels may differ: 1 − IoU ≲ ½·perimeter / area ≈ 0.035 for this 73 × 49 box.
    expect(iou(warped, draw(to, 150, 130, 0.5))).toBeGreaterThan(0.965);
  });
});
