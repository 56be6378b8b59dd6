import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../src-main/api/types';
import type { Raster } from '../../src-main/core/image/raster';
import { Engine } from '../../src-main/engine/engine';
import { importDemoProject } from './demo-project';

let work: string;
let engine: Engine;
let tileId: number;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gaa-score-worker-'));
  engine = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
  ({ tileId } = await importDemoProject(engine, work));
});
afterAll(async () => {
  await engine.close();
  rmSync(work, { recursive: true, force: true });
});

describe('scorer training in the score job', () => {
  it('reports epochs while the engine keeps answering, and a cancel stops it mid-training', async () => {
    const epochs: number[] = [];
    // The job's bar during training: done/total of each epoch report (issue 12, item 10).
    const bar: { done: number; total: number }[] = [];
    let answeredDuringTraining = false;
    let jobId = 0;
    engine.onEvent((event, payload) => {
      if (event !== 'job.progress') return;
      const p = payload as JobProgress;
      const m = /Training the scorer: epoch (\d+)\/1000/.exec(p.message);
      // The bar moves every epoch, so the same epoch report can ride on several progress events.
      if (p.jobId !== jobId || !m || Number(m[1]) === epochs.at(-1)) return;
      epochs.push(Number(m[1]));
      bar.push({ done: p.done, total: p.total });
      if (epochs.length === 2) {
        // Training is under way: the engine answers a request, then the job is cancelled.
        void engine.call('project.info', {}).then(() => {
          answeredDuringTraining = true;
          return engine.call('jobs.cancel', { jobId });
        });
      }
    });
    // 1000 epochs would take many minutes: only a cancel that reaches the training ends it soon.
    jobId = (await engine.call('score.run', { categoryId: tileId, epochs: 1000, maxTrainImages: 2, keep: 1 })).jobId;
    const finished = await engine.waitForJob(jobId);
    expect(finished.status).toBe('cancelled');
    expect(answeredDuringTraining).toBe(true);
    expect(epochs.slice(0, 2)).toEqual([5, 10]);
    // Epochs are units of the total: the bar moves while the scorer trains.
    expect(bar[0].total).toBeGreaterThan(1000);
    expect(bar[1].done).toBeGreaterThan(bar[0].done);
    expect(Math.max(...epochs)).toBeLessThan(1000);
    const scorers = engine.session().db.prepare('SELECT COUNT(*) AS n FROM scorers WHERE category_id = ?').get(tileId) as { n: number };
    expect(scorers.n).toBe(0);
  });

  it('records the self-check per defect type, and the overall AUROC is their anomaly-weighted mean', async () => {
    const info = await engine.call('project.info', {});
    const nutbox = info.categories.find((c) => c.name === 'nutbox')!;
    expect(await engine.call('score.info', { categoryId: nutbox.id })).toBeNull();
    const { jobId } = await engine.call('score.run', { categoryId: nutbox.id, epochs: 2, batchImages: 1, patchFraction: 0.5, maxTrainImages: 4, keep: 1 });
    expect((await engine.waitForJob(jobId)).status).toBe('done');
    const scorer = (await engine.call('score.info', { categoryId: nutbox.id }))!;
    expect(scorer).toMatchObject({ epochs: 2, batchImages: 1, patchFraction: 0.5, maxTrainImages: 4 });
    expect(scorer.extractor).toMatch(/^handcrafted/);
    const check = scorer.selfCheck!;
    // auto (the default): every normal model was fitted and self-checked, and the one kept is the
    // best of them (or within 0.01 of it and simpler); the self-check shown is the kept model's.
    const choice = check.model!;
    expect(choice.chosenBy).toBe('auto');
    // Each Gaussian model raw and calibrated per location (4 normal images are enough to split).
    expect(choice.candidates.map((c) => `${c.kind}${c.calibrated ? '+cal' : ''}`)).toEqual(['gaussian', 'gaussian+cal', 'padim', 'padim+cal', 'simplenet']);
    expect(scorer.model).toBe(choice.kind);
    const best = Math.max(...choice.candidates.map((c) => c.imageAuroc!));
    const kept = choice.candidates.find((c) => c.kind === choice.kind && c.calibrated === choice.calibrated)!;
    expect(kept.imageAuroc!).toBeGreaterThanOrEqual(best - 0.01);
    expect(check.imageAuroc).toBe(kept.imageAuroc);
    expect(choice.reason).toContain(kept.imageAuroc!.toFixed(3));
    if (scorer.model === 'simplenet') expect(scorer.finalLoss).toBeGreaterThan(0);
    else expect(scorer.finalLoss).toBeNull();
    const types = check.byDefectType!;
    expect(types.map((t) => t.defectType)).toEqual(['contamination', 'missing_nuts', 'scratch']);
    expect(types.reduce((n, t) => n + t.anomalies, 0)).toBe(check.anomalies);
    // AUROC is the share of (anomaly, normal) pairs ranked right; the normals are shared, so the
    // overall value is the per-type values weighted by their anomaly counts (to rounding).
    const weighted = types.reduce((a, t) => a + t.imageAuroc! * t.anomalies, 0) / check.anomalies;
    expect(check.imageAuroc!).toBeCloseTo(weighted, 3);
  });
});

describe('pair scoring on worker threads', () => {
  it('gives the same score map and ARS, bit for bit, as scoring in this thread, and the pool closes cleanly', async () => {
    const { createHandcraftedExtractor, fitGaussianScorer, scoreImage, anomalyRegionScore } = await import('../../src-main/core/score');
    const { PairScorerPool } = await import('../../src-main/engine/workers/pair-scorer-pool');
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0), seed / 2 ** 32);
    const image = (w: number, h: number, c: 1 | 3): Raster => ({ width: w, height: h, channels: c, data: Uint8Array.from({ length: w * h * c }, () => Math.floor(rnd() * 256)) });
    const extractor = createHandcraftedExtractor();
    const model = fitGaussianScorer([0, 1, 2].map(() => extractor.extract(image(64, 48, 3))), extractor.id, 'gaussian');
    // Different sizes, colour and grey: each pair with a mask of a band across it.
    const pairs = [image(64, 48, 3), image(40, 40, 1), image(96, 33, 3)].map((im) => {
      const mask = { width: im.width, height: im.height, data: new Uint8Array(im.width * im.height) };
      mask.data.fill(255, im.width * 8, im.width * 12);
      return { image: im, mask };
    });
    const pool = new PairScorerPool(model, 2);
    try {
      const pooled = await Promise.all(pairs.map((p) => pool.score(p.image, p.mask)));
      pairs.forEach((p, i) => {
        const map = scoreImage(model, extractor, p.image);
        expect(pooled[i].map).toEqual(map);
        expect(pooled[i].ars).toBe(anomalyRegionScore(map, p.mask));
      });
      // A mask of the wrong size is refused with the ARS's own message, and the pool goes on.
      await expect(pool.score(pairs[0].image, pairs[1].mask)).rejects.toThrow(/score map is 64×48 but the mask is 40×40/);
      expect((await pool.score(pairs[1].image, pairs[1].mask)).ars).toBe(pooled[1].ars);
    } finally {
      await pool.close();
    }
    await expect(pool.score(pairs[0].image, pairs[0].mask)).rejects.toThrow(/pair scorer pool is closed/);
  });
});
