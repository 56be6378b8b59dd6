import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exemplarGenerator } from '../../src-main/core/generate/exemplar';
import type { GenerateInput } from '../../src-main/core/generate/types';
import { createMask, createRaster, maskArea, type Mask, type Raster } from '../../src-main/core/image/raster';
import { synthesiseAlignedMask } from '../../src-main/core/masks/aligned-mask';
import { prepareRegion } from '../../src-main/core/masks/region-guide';
import { demoRegions } from '../../src-main/cli/demo-stages';
import { Engine } from '../../src-main/engine/engine';
import { GeneratorPool } from '../../src-main/engine/workers/generator-pool';
import { sharedDemoDataset } from '../fixtures/demo';
import { encodeMaskBlobPng, encodeRasterPng } from '../../src-main/io/image-codec';

/** An elongated blob with a bump (a defect footprint), scaled to the side. */
function sourceMask(side: number): Mask {
  const m = createMask(side, side);
  const k = side / 256;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const u = (x + 0.5 - 128 * k) / (30 * k);
      const v = (y + 0.5 - 128 * k) / (12 * k);
      const bump = (x + 0.5 - 150 * k) ** 2 + (y + 0.5 - 120 * k) ** 2 < (10 * k) ** 2;
      if (u * u + v * v <= 1 || bump) m.data[y * side + x] = 255;
    }
  }
  return m;
}

/** A non-convex "C" region (an annulus with a gap). */
function cRegion(side: number): Mask {
  const m = createMask(side, side);
  const k = side / 256;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const dx = x + 0.5 - 128 * k;
      const dy = y + 0.5 - 128 * k;
      const r = Math.hypot(dx, dy);
      if (r > 50 * k && r < 110 * k && Math.abs(Math.atan2(dy, dx)) > 0.6) m.data[y * side + x] = 255;
    }
  }
  return m;
}

/** A textured gray-brown surface with a dark pit (the exemplar) and a plain copy (the normal image). */
function texture(side: number, seed: number): Raster {
  const r = createRaster(side, side, 3);
  let s = seed >>> 0;
  for (let i = 0; i < side * side; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const n = (s >>> 24) / 255;
    const v = 120 + 30 * Math.sin(i * 0.013) + 20 * n;
    r.data[i * 3] = v;
    r.data[i * 3 + 1] = v * 0.92;
    r.data[i * 3 + 2] = v * 0.8;
  }
  return r;
}

const round = (x: number) => Math.round(x * 100) / 100;
const peakRss = () => round(process.resourceUsage().maxRSS / 1024);

/** `npm run bench -- masks`: aligned masks per second (inside / edge / centreline), 256² and 1024². */
export async function benchMasks(): Promise<unknown> {
  const out = [];
  for (const side of [256, 1024]) {
    const src = sourceMask(side);
    const guide = prepareRegion(cRegion(side));
    const area = maskArea(src);
    for (const mode of ['inside', 'edge', 'centreline'] as const) {
      const n = side === 256 ? 200 : 30;
      let ok = 0;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) if (synthesiseAlignedMask({ seed: i, region: guide, mode, source: { mask: src, clusterMeanArea: area } }).ok) ok++;
      out.push({ side, mode, masksPerSecond: round(n / ((performance.now() - t0) / 1000)), satisfied: ok, tried: n });
    }
  }
  return { results: out, peakRssMiB: peakRss() };
}

/** `npm run bench -- generate`: mask + exemplar generation + PNG encoding, pairs per second, 256² and 1024². */
export async function benchGenerate(): Promise<unknown> {
  const out = [];
  for (const side of [256, 1024]) {
    const exemplarImage = texture(side, 1);
    const exemplarMask = sourceMask(side);
    for (let i = 0; i < exemplarMask.data.length; i++) {
      if (exemplarMask.data[i]) for (let c = 0; c < 3; c++) exemplarImage.data[i * 3 + c] = 40;
    }
    const normal = texture(side, 2);
    const guide = prepareRegion(cRegion(side));
    const area = maskArea(exemplarMask);
    const n = side === 256 ? 120 : 12;
    let made = 0;
    // One pair as the synthesis job makes it: aligned mask, generation by `generate`, both PNGs.
    const makePair = async (i: number, generate: (input: GenerateInput) => Promise<{ image: Raster }>): Promise<boolean> => {
      const m = synthesiseAlignedMask({ seed: i, region: guide, mode: 'inside', source: { mask: exemplarMask, clusterMeanArea: area } });
      if (!m.ok) return false;
      const g = await generate({
        normal,
        alignedMask: m.mask,
        transform: m.transform,
        exemplar: { image: exemplarImage, mask: exemplarMask },
        kind: 'structural',
        blendMode: 'auto',
        seed: i,
      });
      await encodeRasterPng(g.image);
      await encodeMaskBlobPng(m.mask);
      return true;
    };
    const t0 = performance.now();
    for (let i = 0; i < n; i++) if (await makePair(i, (input) => exemplarGenerator.generate(input))) made++;
    const oneThread = round(made / ((performance.now() - t0) / 1000));
    // The same work through the synthesis job's worker pool (one worker per core).
    const pool = new GeneratorPool();
    const workers = pool.size;
    // Warm-up: worker start-up (loading the TypeScript sources) is paid once per job, not per pair.
    await Promise.all(
      Array.from({ length: workers }, () =>
        pool.run('exemplar', { normal, alignedMask: exemplarMask, transform: null, exemplar: null, kind: 'logical', blendMode: 'auto', seed: 0 }),
      ),
    );
    const t1 = performance.now();
    let pooled = 0;
    await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        if (await makePair(i, (input) => pool.run('exemplar', input))) pooled++;
      }),
    );
    const pooledRate = round(pooled / ((performance.now() - t1) / 1000));
    await pool.close();
    out.push({ side, pairs: made, pairsPerSecondOneThread: oneThread, workers, pairsPerSecondWorkerPool: pooledRate });
  }
  return { results: out, target: 'at least 20 pairs/s at 256² end to end on 2 cores', peakRssMiB: peakRss() };
}

/** `npm run bench -- propagate`: region propagation images per second on the demo's nutbox category. */
export async function benchPropagate(): Promise<unknown> {
  const work = mkdtempSync(join(tmpdir(), 'gaa-bench-propagate-'));
  try {
    const demo = await sharedDemoDataset();
    const engine = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
    await engine.call('project.create', { dir: join(work, 'project') });
    const { jobId } = await engine.call('dataset.import', { source: demo.root, layout: 'mvtec' });
    await engine.waitForJob(jobId);
    const report = (await demoRegions(engine, demo.truthPath, work)) as Record<string, { propagated: number; imagesPerSecond: number; meanIoUAgainstHiddenTruth: number }>;
    await engine.close();
    return { nutbox: report.nutbox, peakRssMiB: peakRss() };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
