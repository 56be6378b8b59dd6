import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Mask, Raster } from '../../src-main/core/image/raster';
import { asConceptsPack, asSd15Pack } from '../../src-main/core/onnx/packs';
import { tensor, type ProviderRequest } from '../../src-main/core/onnx/runtime';
import { createDiffusionGenerator, createSession, SessionCache } from '../../src-main/io/onnx-runtime';
import { installPack } from '../../src-main/io/packs';
import {
  backboneModel,
  positionEncoderModel,
  textEncoderModel,
  unetModel,
  vaeDecoderModel,
  vaeEncoderModel,
} from '../unit/core/onnx/tiny-models';
import { DIM, MASK_SIZE, SIZE, writeConceptsPack, writeSd15Pack } from '../unit/core/onnx/tiny-packs';

/**
 * The ONNX layer's own cost, measured with the tiny test models (so the numbers are the
 * framework's overhead, not a real model's compute): `npm run bench -- onnx [--provider cpu]
 * [--steps 10,50] [--repeats 7] [--image-side 64] [--backbone-side 224] [--backbone-images 200]`.
 * - session creation time per model;
 * - the diffusion loop per image at each step count, and the per-step slope between the
 *   smallest and largest count (one UNet call per step without guidance, two with);
 * - backbone images/s on the tiny backbone at the given side.
 */
export async function benchOnnx(argv: string[]): Promise<unknown> {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      provider: { type: 'string', default: 'cpu' },
      steps: { type: 'string', default: '10,50' },
      repeats: { type: 'string', default: '7' },
      'image-side': { type: 'string', default: '64' },
      'backbone-side': { type: 'string', default: '224' },
      'backbone-images': { type: 'string', default: '200' },
    },
  });
  const provider = values.provider as ProviderRequest;
  if (!['auto', 'cuda', 'cpu'].includes(provider)) throw new Error(`--provider must be auto, cuda or cpu, not ${values.provider}`);
  const repeats = Math.max(1, Number(values.repeats));
  const stepCounts = values.steps.split(',').map(Number);
  if (stepCounts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--steps must be a comma-separated list of positive integers, not ${values.steps}`);
  const side = Number(values['backbone-side']);
  const images = Number(values['backbone-images']);

  const lat = SIZE / 8;
  const models: Record<string, Uint8Array> = {
    text_encoder: textEncoderModel(DIM),
    unet: unetModel(DIM, lat),
    vae_encoder: vaeEncoderModel(SIZE),
    vae_decoder: vaeDecoderModel(SIZE),
    position_encoder: positionEncoderModel(MASK_SIZE, DIM),
    backbone: backboneModel(side),
  };
  const sessionCreation: Record<string, { bytes: number; medianMs: number; minMs: number; provider: string }> = {};
  for (const [role, bytes] of Object.entries(models)) {
    const times: number[] = [];
    let used = '';
    for (let r = 0; r < repeats; r++) {
      const t = performance.now();
      const s = await createSession(bytes, { provider });
      times.push(performance.now() - t);
      used = s.provider;
      await s.session.release();
    }
    sessionCreation[role] = { bytes: bytes.length, medianMs: round(median(times)), minMs: round(Math.min(...times)), provider: used };
  }

  const root = mkdtempSync(join(tmpdir(), 'gaa-bench-onnx-'));
  const sessions = new SessionCache();
  try {
    const packs = join(root, 'packs');
    const sd = asSd15Pack(await installPack(writeSd15Pack(join(root, 'sd')), packs));
    const concepts = asConceptsPack(await installPack(writeConceptsPack(join(root, 'cp')), packs));
    const imageSide = Number(values['image-side']);
    const normal = normalImage(imageSide, imageSide);
    const q = Math.floor(imageSide / 4);
    const mask = rectMask(imageSide, imageSide, q, q, 2 * q, 2 * q);
    const diffusion = [];
    for (const guidance of [1, 7.5]) {
      const perSteps: { steps: number; msPerImage: number; medianMsPerImage: number }[] = [];
      for (const steps of stepCounts) {
        const gen = createDiffusionGenerator(sd, { pack: concepts, clusterId: 'crack-1' }, { steps, guidanceScale: guidance, provider, sessions });
        const input = { normal, alignedMask: mask, transform: null, exemplar: null, kind: 'structural' as const, blendMode: 'auto' as const, seed: 0 };
        // Warm-up: sessions, tokenizer, unconditional embedding and the JIT of the JS around them.
        for (let r = 0; r < 3; r++) await gen.generate(input);
        const times: number[] = [];
        for (let r = 0; r < repeats; r++) {
          const t = performance.now();
          await gen.generate({ ...input, seed: r + 1 });
          times.push(performance.now() - t);
        }
        // The minimum is the cost without interference from other processes on the machine.
        perSteps.push({ steps, msPerImage: round(Math.min(...times)), medianMsPerImage: round(median(times)) });
      }
      const lo = perSteps[0];
      const hi = perSteps[perSteps.length - 1];
      const msPerStep = hi.steps === lo.steps ? null : round((hi.msPerImage - lo.msPerImage) / (hi.steps - lo.steps));
      diffusion.push({
        guidance,
        unetCallsPerStep: guidance > 1 ? 2 : 1,
        perSteps,
        msPerStep,
        // What an image costs besides the steps: text encoder, VAE encode/decode, composite.
        fixedMsPerImage: msPerStep === null ? null : round(lo.msPerImage - msPerStep * lo.steps),
      });
    }

    const backbone = await createSession(models.backbone, { provider });
    const input = tensor('float32', new Float32Array(3 * side * side).map((_, i) => (i % 255) / 255), [1, 3, side, side]);
    await backbone.session.run({ image: input });
    const t = performance.now();
    for (let i = 0; i < images; i++) await backbone.session.run({ image: input });
    const seconds = (performance.now() - t) / 1000;
    await backbone.session.release();

    return {
      provider,
      note: 'tiny test models: the ONNX Runtime and glue overhead, not a real model’s compute',
      sessionCreation,
      diffusion: { imageSide, packResolution: SIZE, repeats, results: diffusion },
      backbone: { side, images, provider: backbone.provider, imagesPerSecond: round(images / seconds) },
    };
  } finally {
    await sessions.releaseAll();
    rmSync(root, { recursive: true, force: true });
  }
}

function normalImage(w: number, h: number): Raster {
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37 + 11) % 251;
  return { width: w, height: h, channels: 3, data };
}

function rectMask(w: number, h: number, x0: number, y0: number, x1: number, y1: number): Mask {
  const m: Mask = { width: w, height: h, data: new Uint8Array(w * h) };
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) m.data[y * w + x] = 255;
  return m;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
