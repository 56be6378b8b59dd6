import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerateInput } from '../../../../src-main/core/generate/types';
import { dilate } from '../../../../src-main/core/image/morphology';
import type { Mask, Raster } from '../../../../src-main/core/image/raster';
import { asConceptsPack, asSd15Pack, type ConceptsPack, type Sd15Pack } from '../../../../src-main/core/onnx/packs';
import { compositeDecoded, maskToLatent } from '../../../../src-main/core/onnx/tensor-image';
import { createDiffusionGenerator, SessionCache } from '../../../../src-main/io/onnx-runtime';
import { installPack } from '../../../../src-main/io/packs';
import { writeConceptsPack, writeSd15Pack } from './tiny-packs';

const root = mkdtempSync(join(tmpdir(), 'gaa-diff-'));
const sessions = new SessionCache();
let sd: Sd15Pack;
let sdFloatTimestep: Sd15Pack;
let concepts: ConceptsPack;

beforeAll(async () => {
  sd = asSd15Pack(await installPack(writeSd15Pack(join(root, 'sd')), join(root, 'packs')));
  sdFloatTimestep = asSd15Pack(
    await installPack(
      writeSd15Pack(join(root, 'sd-f'), (m) => (m.name = 'tiny-sd15-ft'), 'float32'),
      join(root, 'packs'),
    ),
  );
  concepts = asConceptsPack(await installPack(writeConceptsPack(join(root, 'cp')), join(root, 'packs')));
});
afterAll(async () => {
  await sessions.releaseAll();
  rmSync(root, { recursive: true, force: true });
});

const W = 40;
const H = 30;

function normalImage(channels: Raster['channels'] = 3): Raster {
  const data = new Uint8Array(W * H * channels);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37 + 11) % 251;
  return { width: W, height: H, channels, data };
}

function rectMask(x0: number, y0: number, x1: number, y1: number): Mask {
  const m: Mask = { width: W, height: H, data: new Uint8Array(W * H) };
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) m.data[y * W + x] = 255;
  return m;
}

function input(seed: number, normal = normalImage(), mask = rectMask(14, 10, 22, 16)): GenerateInput {
  return { normal, alignedMask: mask, transform: null, exemplar: null, kind: 'structural', blendMode: 'auto', seed, dilateRadius: 3 };
}

describe('diffusion generator on a tiny SD pack', () => {
  it('changes pixels only inside the mask grown by its alignment band and keeps every other byte of the normal image', async () => {
    const gen = createDiffusionGenerator(sd, { pack: concepts, clusterId: 'crack-1' }, { steps: 3, provider: 'cpu', sessions });
    const inp = input(7);
    const out = await gen.generate(inp);
    // The band is max(1, 0.5 % of the longer side) px: 1 px here.
    const dilated = dilate(inp.alignedMask, 1);
    expect(Array.from(out.dilatedMask.data)).toEqual(Array.from(dilated.data));
    expect(out.mask).toBe(inp.alignedMask);
    expect([out.image.width, out.image.height, out.image.channels]).toEqual([W, H, 3]);
    let changedInside = 0;
    for (let i = 0; i < W * H; i++) {
      for (let c = 0; c < 3; c++) {
        const same = out.image.data[i * 3 + c] === inp.normal.data[i * 3 + c];
        if (dilated.data[i] === 0) expect(same).toBe(true);
        else if (!same) changedInside++;
      }
    }
    expect(changedInside).toBeGreaterThan(0);
    expect(out.outsideChange).toEqual({ max: 0, overTolerance: 0, band: 1 });
  });

  it('gives the same image for the same seed and a different one for another seed', async () => {
    const gen = createDiffusionGenerator(sd, { pack: concepts, clusterId: 'crack-1' }, { steps: 2, provider: 'cpu', sessions, guidanceScale: 1 });
    const a = await gen.generate(input(1));
    const b = await gen.generate(input(1));
    const c = await gen.generate(input(2));
    expect(Buffer.from(b.image.data).equals(Buffer.from(a.image.data))).toBe(true);
    expect(Buffer.from(c.image.data).equals(Buffer.from(a.image.data))).toBe(false);
  });

  it("conditions on the cluster's e_f: another cluster gives another image from the same seed", async () => {
    const one = createDiffusionGenerator(sd, { pack: concepts, clusterId: 'crack-1' }, { steps: 2, provider: 'cpu', sessions });
    const two = createDiffusionGenerator(sd, { pack: concepts, clusterId: 'crack-2' }, { steps: 2, provider: 'cpu', sessions });
    const a = await one.generate(input(5));
    const b = await two.generate(input(5));
    expect(Buffer.from(a.image.data).equals(Buffer.from(b.image.data))).toBe(false);
    expect(one.version).toContain('#crack-1');
  });

  it('runs a UNet whose timestep is float32, read from its metadata', async () => {
    const gen = createDiffusionGenerator(sdFloatTimestep, { pack: concepts, clusterId: 'crack-1' }, { steps: 2, provider: 'cpu', sessions });
    const out = await gen.generate(input(3));
    expect(out.image.data.length).toBe(W * H * 3);
  });

  it('keeps gray images gray and RGBA alpha untouched', async () => {
    const gen = createDiffusionGenerator(sd, { pack: concepts, clusterId: 'crack-1' }, { steps: 2, provider: 'cpu', sessions });
    const gray = await gen.generate(input(4, normalImage(1)));
    expect(gray.image.channels).toBe(1);
    const rgba = normalImage(4);
    const out = await gen.generate(input(4, rgba));
    for (let i = 0; i < W * H; i++) expect(out.image.data[i * 4 + 3]).toBe(rgba.data[i * 4 + 3]);
  });

  it('reports the execution provider of every model, with the CUDA fallback reason where CUDA cannot load', async () => {
    const own = new SessionCache();
    const gen = createDiffusionGenerator(sd, { pack: concepts, clusterId: 'crack-1' }, { steps: 2, provider: 'auto', sessions: own });
    const report = await gen.runtime();
    await own.releaseAll();
    expect(Object.keys(report.providers).sort()).toEqual(['position_encoder', 'text_encoder', 'unet', 'vae_decoder', 'vae_encoder']);
    for (const p of Object.values(report.providers)) {
      if (p.provider === 'cpu') expect(p.fallbackReason).toMatch(/^CUDA execution provider unavailable: /);
      else expect(p.fallbackReason).toBeNull();
    }
  });

  it('refuses an unknown cluster and an aligned mask of the wrong size', async () => {
    const bad = createDiffusionGenerator(sd, { pack: concepts, clusterId: 'nope' }, { steps: 2, provider: 'cpu', sessions });
    await expect(bad.generate(input(1))).rejects.toThrow(/no cluster 'nope'/);
    const gen = createDiffusionGenerator(sd, { pack: concepts, clusterId: 'crack-1' }, { steps: 2, provider: 'cpu', sessions });
    const wrong = { ...input(1), alignedMask: { width: 10, height: 10, data: new Uint8Array(100).fill(255) } };
    await expect(gen.generate(wrong)).rejects.toThrow(/10×10/);
  });
});

describe('composite and latent mask', () => {
  it('leaves every pixel outside the dilated mask byte for byte, whatever the decoder returned', () => {
    const normal = normalImage(3);
    const dilated = rectMask(5, 5, 12, 9);
    const decoded = new Float32Array(3 * 16 * 16).map((_, i) => Math.sin(i));
    const out = compositeDecoded(normal, decoded, 16, dilated);
    for (let i = 0; i < W * H; i++) {
      if (dilated.data[i] !== 0) continue;
      for (let c = 0; c < 3; c++) expect(out.data[i * 3 + c]).toBe(normal.data[i * 3 + c]);
    }
    // A decoded value of −1 maps to byte 0 and +1 to 255 inside the mask.
    const flat = compositeDecoded(normal, new Float32Array(3 * 16 * 16).fill(1), 16, dilated);
    expect(flat.data[(6 * W + 6) * 3]).toBe(255);
  });

  it('marks every latent cell that any mask pixel falls in', () => {
    // 40×30 image onto a 4×4 latent: x 14..21 → cells 1..2, y 10..15 → cells 1..2.
    const lat = maskToLatent(rectMask(14, 10, 22, 16), 4, 4);
    expect(Array.from(lat)).toEqual([0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0]);
  });
});
