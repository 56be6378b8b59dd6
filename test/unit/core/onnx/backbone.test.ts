import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  backboneId,
  backboneInput,
  concatenateLayers,
  poolInsideMask,
  toFeatureLayer,
  type FeatureLayer,
} from '../../../../src-main/core/onnx/backbone';
import { openBackbone, SessionCache } from '../../../../src-main/io/onnx-runtime';
import { installPack } from '../../../../src-main/io/packs';
import { createMask, type Raster } from '../../../../src-main/core/image/raster';
import { weights } from './tiny-models';
import { writeBackbonePack } from './tiny-packs';

const root = mkdtempSync(join(tmpdir(), 'gaa-backbone-'));
const sessions = new SessionCache();
afterAll(async () => {
  await sessions.releaseAll();
  rmSync(root, { recursive: true, force: true });
});

function constantImage(width: number, height: number, value: number): Raster {
  return { width, height, channels: 3, data: new Uint8Array(width * height * 3).fill(value) };
}

// The tiny backbone: features = 3×3 conv (3 → 2, zero padding 1) with W[o, i, ky, kx] = 0.1·sin(o·27 + i·9 + ky·3 + kx).
const W = weights(54, 0.1);
/** Σ W[o, i, ky, kx] over the taps that stay inside the image, times the constant input v. */
function convOfConstant(o: number, v: number, taps: (ky: number, kx: number) => boolean): number {
  let s = 0;
  for (let i = 0; i < 3; i++) for (let ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++) if (taps(ky, kx)) s += W[o * 27 + i * 9 + ky * 3 + kx];
  return s * v;
}

describe('backbone pack', () => {
  it('computes the tiny conv on a constant image: interior, corner, patch grid and deep block', async () => {
    const pack = await installPack(writeBackbonePack(join(root, 'src')), join(root, 'packs'));
    const bb = openBackbone(pack, { provider: 'cpu', sessions });
    const v = 200 / 255;
    // A 40×24 image is stretched to the pack's 16×16: still constant.
    const image = constantImage(40, 24, 200);
    const interior = [0, 1].map((o) => convOfConstant(o, v, () => true));
    const corner = [0, 1].map((o) => convOfConstant(o, v, (ky, kx) => ky >= 1 && kx >= 1));

    const [layer] = await bb.featureLayers(image);
    expect(layer).toMatchObject({ name: 'features', channels: 2, width: 16, height: 16 });
    for (const o of [0, 1]) {
      expect(layer.data[o * 256 + 5 * 16 + 7]).toBeCloseTo(interior[o], 5);
      expect(layer.data[o * 256 + 0]).toBeCloseTo(corner[o], 5);
    }

    const grid = await bb.patchGrid(image);
    expect({ gridW: grid.gridW, gridH: grid.gridH, dim: grid.dim }).toEqual({ gridW: 16, gridH: 16, dim: 2 });
    // Cells two away from the border average nine interior conv values.
    for (const o of [0, 1]) expect(grid.data[(6 * 16 + 9) * 2 + o]).toBeCloseTo(interior[o], 5);

    // A mask well inside the image pools interior cells only.
    const mask = createMask(40, 24);
    for (let y = 8; y < 16; y++) for (let x = 12; x < 28; x++) mask.data[y * 40 + x] = 255;
    const deep = await bb.deepExtractor.extract(image, mask);
    expect(Array.from(deep)).toHaveLength(2);
    for (const o of [0, 1]) expect(deep[o]).toBeCloseTo(interior[o], 5);
    expect(bb.deepExtractor).toMatchObject({ name: 'tiny-backbone', version: '1' });
  });

  it('names the pack and its version in the id, so a scorer refuses another extractor', async () => {
    const pack = await installPack(writeBackbonePack(join(root, 'src2')), join(root, 'packs2'));
    const m = pack.manifest;
    if (m.kind !== 'backbone') throw new Error('not a backbone pack');
    const id1 = openBackbone(pack, { provider: 'cpu', sessions }).id;
    expect(id1).toContain('tiny-backbone@1');
    expect(backboneId({ ...m, version: '2' })).not.toBe(id1);
    expect(backboneId({ ...m, inputSize: 32 })).not.toBe(id1);
  });

  it('refuses a pack of another kind and a mask of the wrong size', async () => {
    const pack = await installPack(writeBackbonePack(join(root, 'src3')), join(root, 'packs3'));
    expect(() => openBackbone({ ...pack, kind: 'segmenter', manifest: { ...pack.manifest, kind: 'segmenter' } as never })).toThrow(/segmenter pack, not a backbone/);
    const bb = openBackbone(pack, { provider: 'cpu', sessions });
    await expect(bb.deepFeatures(constantImage(8, 8, 10), createMask(4, 4))).rejects.toThrow(/mask 4×4 does not match image 8×8/);
  });
});

describe('backbone tensors', () => {
  it('normalises with the pack mean and std', () => {
    const img: Raster = { width: 1, height: 1, channels: 3, data: Uint8Array.from([255, 0, 51]) };
    const t = backboneInput(img, 1, [0.5, 0.5, 0.2], [0.25, 0.5, 0.1]);
    // (1 − 0.5)/0.25 = 2, (0 − 0.5)/0.5 = −1, (0.2 − 0.2)/0.1 = 0.
    expect(Array.from(t).map((x) => Math.round(x * 1e5) / 1e5)).toEqual([2, -1, 0]);
  });

  it('upsamples coarse layers to the finest and concatenates per cell', () => {
    const fine: FeatureLayer = { name: 'l2', channels: 1, width: 4, height: 2, data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]) };
    const coarse: FeatureLayer = { name: 'l3', channels: 2, width: 2, height: 1, data: Float32Array.from([10, 30, -1, -1]) };
    const g = concatenateLayers([coarse, fine]);
    expect({ gridW: g.gridW, gridH: g.gridH, dim: g.dim }).toEqual({ gridW: 4, gridH: 2, dim: 3 });
    // Coarse channel 0 along x at half-pixel centres: source x = (x + 0.5)/2 − 0.5 → −0.25 (clamped 0), 0.25, 0.75, 1.25 (clamped 1).
    const row0 = [0, 1, 2, 3].map((x) => Array.from(g.data.slice(x * 3, x * 3 + 3)));
    expect(row0).toEqual([
      [10, -1, 1],
      [15, -1, 2],
      [25, -1, 3],
      [30, -1, 4],
    ]);
    expect(g.data[(1 * 4 + 3) * 3 + 2]).toBe(8);
  });

  it('reads ViT tokens, dropping the class token', () => {
    // 1 class token + 2×2 patches, dim 2: token t has values (t, −t).
    const tokens = Float32Array.from([0, 0, 1, -1, 2, -2, 3, -3, 4, -4]);
    const l = toFeatureLayer('last_hidden_state', [1, 5, 2], tokens);
    expect(l).toMatchObject({ channels: 2, width: 2, height: 2 });
    expect(Array.from(l.data)).toEqual([1, 2, 3, 4, -1, -2, -3, -4]);
    expect(() => toFeatureLayer('x', [1, 7, 2], new Float32Array(14))).toThrow(/output 'x' has shape \[1, 7, 2\]/);
  });

  it('pools by mask coverage, so a defect smaller than a cell still counts', () => {
    const layer: FeatureLayer = { name: 'f', channels: 1, width: 2, height: 1, data: Float32Array.from([4, 8]) };
    const mask = createMask(8, 2);
    // 1 pixel of the left cell (8 px) and 3 of the right one: weights 1/8 and 3/8 → (4·1 + 8·3)/4 = 7.
    mask.data[0] = 1;
    mask.data[4] = mask.data[5] = mask.data[13] = 1;
    expect(poolInsideMask([layer], mask)[0]).toBeCloseTo(7, 6);
    expect(() => poolInsideMask([layer], createMask(8, 2))).toThrow(/empty mask/);
  });
});
