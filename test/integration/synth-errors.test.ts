import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src-main/engine/engine';
import { writeMvtecFixture } from '../fixtures/mvtec-fixture';

let work: string;
let engine: Engine;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gaa-synth-errors-'));
  const fx = await writeMvtecFixture(join(work, 'dataset'), { category: 'board', trainGood: 6, testGood: 1, defects: { crack: 6 }, size: 64 }, false);
  engine = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
  await engine.call('project.create', { dir: join(work, 'project') });
  const done = async (p: Promise<{ jobId: number }>) => expect((await engine.waitForJob((await p).jobId)).status).toBe('done');
  await done(engine.call('dataset.import', { source: fx.root, layout: 'mvtec' }));
  const cat = (await engine.call('project.info', {})).categories[0];
  await done(engine.call('clusters.run', { categoryId: cat.id }));
  await done(engine.call('masks.generate', { categoryId: cat.id, count: 8, seed: 2 }));
});
afterAll(async () => {
  await engine.close();
  rmSync(work, { recursive: true, force: true });
});

describe('synthesis with bad inputs', () => {
  it('reports a missing exemplar file and an unreadable mask per pair, and makes the rest', async () => {
    const cat = (await engine.call('project.info', {})).categories[0];
    const masks = (await engine.call('masks.list', { categoryId: cat.id, limit: 100 })).items;
    expect(masks.length).toBeGreaterThanOrEqual(4);
    const exemplarIds = [...new Set(masks.map((m) => m.sourceImageId))];
    expect(exemplarIds).toHaveLength(2);
    // The source dataset loses one exemplar file; one aligned mask blob is corrupted on disk.
    const gone = engine.image(exemplarIds[0]!).sourcePath;
    unlinkSync(gone);
    const victim = masks.find((m) => m.sourceImageId === exemplarIds[1])!;
    writeFileSync(victim.file, 'not a png');

    const { jobId } = await engine.call('synth.run', { categoryId: cat.id, perCluster: 100 });
    const finished = await engine.waitForJob(jobId);
    expect(finished.status).toBe('done');
    const result = finished.result as { made: number; failed: number; failures: { alignedMaskId: number; reason: string }[] };
    const fromGone = masks.filter((m) => m.sourceImageId === exemplarIds[0]);
    expect(result.failed).toBe(fromGone.length + 1);
    expect(result.made).toBe(masks.length - fromGone.length - 1);
    for (const m of fromGone) expect(result.failures.find((f) => f.alignedMaskId === m.id)?.reason).toMatch(new RegExp(gone.split('/').pop()!.replace('.', '\\.')));
    expect(result.failures.find((f) => f.alignedMaskId === victim.id)?.reason).toBeTruthy();
    expect((await engine.call('samples.list', { categoryId: cat.id, limit: 100 })).total).toBe(result.made);
  });
});
