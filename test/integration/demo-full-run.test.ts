import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoRunStatus } from '../../src-main/api/types';
import { Engine } from '../../src-main/engine/engine';
import { sharedDemoDataset } from '../fixtures/demo';

// Issue 12, item 9: "Open demo project" opens the fully run demo — clusters, regions, masks,
// pairs and scores — with one progress over the stages, not an import-only copy.
let work: string;
let engine: Engine;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gaa-demo-run-'));
  const userData = join(work, 'ud');
  // The demo dataset the other tests generate, where the engine looks for it.
  const shared = await sharedDemoDataset();
  mkdirSync(join(userData, 'demo'), { recursive: true });
  symlinkSync(dirname(shared.root), join(userData, 'demo', 'dataset'), 'dir');
  // The demo's scorer trains on 4 images for 2 epochs here: every stage runs, the scores are not the point.
  engine = new Engine({ host: 'cli', userDataDir: userData, demoScorer: { epochs: 2, maxTrainImages: 4 } });
});
afterAll(async () => {
  await engine.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the demo, fully run', () => {
  it('runs every stage after the import with one progress over the stages, and leaves each category with clusters, regions, masks, scored pairs', async () => {
    await engine.call('project.openDemo', { run: 'all' });
    const seen: DemoRunStatus[] = [];
    await expect
      .poll(
        async () => {
          const s = (await engine.call('project.demoStatus', {}))!;
          seen.push(s);
          return s.state;
        },
        { timeout: 1_500_000, interval: 250 },
      )
      .not.toBe('running');
    const last = seen[seen.length - 1];
    expect(last.error).toBeNull();
    expect(last.state).toBe('done');
    expect(last.index).toBe(last.total);
    // The progress only moves forward, and went through more than the import.
    for (let i = 1; i < seen.length; i++) expect(seen[i].index).toBeGreaterThanOrEqual(seen[i - 1].index);
    expect(new Set(seen.map((s) => s.stage)).size).toBeGreaterThan(2);

    const info = await engine.call('project.info', {});
    const withFewShot = info.categories.filter((c) => c.counts.fewShot > 0);
    expect(withFewShot.length).toBeGreaterThan(0);
    // One import, then per category: clustering, regions, masks, pairs, scores.
    expect(last.total).toBe(1 + 5 * withFewShot.length);
    let withRegions = 0;
    for (const c of withFewShot) {
      const clusters = (await engine.call('clusters.get', { categoryId: c.id })).clusters;
      expect(clusters.length, c.name).toBeGreaterThan(0);
      const regions = await engine.call('regions.get', { categoryId: c.id });
      if (regions.regions.length > 0) {
        withRegions++;
        expect(regions.labelled.length, c.name).toBe(3);
        expect(regions.propagated.length, c.name).toBeGreaterThan(0);
      }
      const masks = (await engine.call('masks.list', { categoryId: c.id, limit: 1 })).total;
      expect(masks, c.name).toBeGreaterThan(0);
      const stale = await engine.call('masks.stale', { categoryId: c.id });
      const pairs = stale.clusters.reduce((n, x) => n + x.pairs, 0);
      expect(pairs, c.name).toBeGreaterThan(0);
      expect(stale.unscoredPairs, c.name).toBe(0);
      expect(stale.staleMasks, c.name).toBe(0);
      expect(await engine.call('score.info', { categoryId: c.id }), c.name).not.toBeNull();
    }
    // The demo's nutbox has drawn regions; the tile is a texture without any.
    expect(withRegions).toBeGreaterThan(0);

    // Opened again, the demo is not run again: nothing is left to do in any stage.
    const jobsBefore = (await engine.call('jobs.list', {})).length;
    await engine.call('project.openDemo', { run: 'all' });
    await expect.poll(async () => (await engine.call('project.demoStatus', {}))!.state, { timeout: 60_000 }).toBe('done');
    expect((await engine.call('jobs.list', {})).length).toBe(jobsBefore);
  }, 1_600_000);
});
