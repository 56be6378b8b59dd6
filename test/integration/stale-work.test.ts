import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterSummary } from '../../src-main/api/types';
import { Engine } from '../../src-main/engine/engine';
import { writeMvtecFixture } from '../fixtures/mvtec-fixture';

// Issue 12, item 2: work made from an older state of a cluster is flagged as stale, per cluster,
// can be redone in one action, and the export says what it leaves out before it writes.
let work: string;
let engine: Engine;
let categoryId: number;
let clusters: ClusterSummary[];
const MASKS = 4;

const done = async (p: Promise<{ jobId: number }>) => expect((await engine.waitForJob((await p).jobId)).status).toBe('done');
const stale = () => engine.call('masks.stale', { categoryId });
const of = async (clusterId: number) => (await stale()).clusters.find((c) => c.clusterId === clusterId)!;
const preview = (selection: 'kept' | 'all') =>
  engine.call('export.preview', { categoryId, formats: ['mvtec'], selection, includeReal: false, realShare: 0, includeNormals: false, includeHeldOutNormals: false });

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gaa-stale-'));
  const fx = await writeMvtecFixture(join(work, 'dataset'), { category: 'board', trainGood: 6, testGood: 1, defects: { crack: 12, hole: 12 }, size: 64 }, false);
  engine = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
  await engine.call('project.create', { dir: join(work, 'project') });
  await done(engine.call('dataset.import', { source: fx.root, layout: 'mvtec' }));
  categoryId = (await engine.call('project.info', {})).categories[0].id;
  await done(engine.call('clusters.run', { categoryId }));
  clusters = (await engine.call('clusters.get', { categoryId })).clusters.filter((c) => c.size > 0);
  expect(clusters.length).toBeGreaterThanOrEqual(2);
  await done(engine.call('masks.generate', { categoryId, count: MASKS, seed: 1 }));
  await done(engine.call('synth.run', { categoryId, perCluster: MASKS, seed: 3 }));
});
afterAll(async () => {
  await engine.close();
  rmSync(work, { recursive: true, force: true });
});

describe('stale work', () => {
  it('nothing is stale right after the masks and pairs were made; every pair is unscored', async () => {
    const s = await stale();
    expect(s.staleMasks).toBe(0);
    expect(s.stalePairs).toBe(0);
    const pairs = (await engine.call('samples.list', { categoryId, limit: 1 })).total;
    expect(pairs).toBeGreaterThan(0);
    expect(s.unscoredPairs).toBe(pairs);
  });

  it('a contrast floor leaves out exactly the pairs under it (or barely changed), counted per cluster; without one only the barely changed', async () => {
    const all = (await engine.call('samples.list', { categoryId, limit: 2000 })).items;
    // The rule read off each pair's recorded figures: a tenth of the mask visibly changed, and
    // (with the floor) half the cluster's median exemplar contrast.
    const barely = all.filter((p) => p.insideVisible !== null && p.insideVisible < 0.1);
    const faint = all.filter((p) => (p.insideVisible !== null && p.insideVisible < 0.1) || (p.contrastRatio !== null && p.contrastRatio < 0.5));
    expect(all.every((p) => p.contrastRatio !== null)).toBe(true);
    // This fixture (seeded) has faint pairs, so the floor has something to leave out.
    expect(faint.length).toBeGreaterThan(barely.length);
    const ask = (minContrast: number) =>
      engine.call('export.preview', { categoryId, formats: ['mvtec'], selection: 'all', includeReal: false, realShare: 0, minContrast, includeNormals: false, includeHeldOutNormals: false });
    const floor = await ask(0.5);
    expect(floor.leftOut.invisible).toBe(faint.length);
    expect(floor.synthetic?.pairs).toBe(all.length - faint.length);
    for (const c of floor.leftOut.byCluster) expect(c.invisible, c.cluster).toBe(faint.filter((p) => p.cluster === c.cluster).length);
    const none = await ask(0);
    expect(none.leftOut.invisible).toBe(barely.length);
    expect(none.synthetic?.pairs).toBe(all.length - barely.length);
  });

  it('a changed rule makes that cluster’s masks and pairs stale, and no other cluster’s; undo makes them current again', async () => {
    const [a, b] = clusters;
    const before = await of(a.id);
    await engine.call('clusters.setRule', { clusterId: a.id, kind: a.kind, rule: { ...a.rule, alpha: 0.9 } });
    const after = await of(a.id);
    expect(after.staleMasks).toBe(before.masks);
    expect(after.stalePairs).toBe(before.pairs);
    expect(after.reasons).toEqual({ cluster: before.masks, region: 0 });
    expect((await of(b.id)).staleMasks).toBe(0);
    // A rename is not a change of what the masks were made from.
    await engine.call('clusters.rename', { clusterId: b.id, name: 'renamed' });
    expect((await of(b.id)).staleMasks).toBe(0);
    await engine.call('clusters.undo', { categoryId });
    await engine.call('clusters.undo', { categoryId });
    expect((await of(a.id)).staleMasks).toBe(0);
    await engine.call('clusters.redo', { categoryId });
    expect((await of(a.id)).staleMasks).toBe(before.masks);
  });

  it('the export preview says which stale and unscored pairs it leaves out, per cluster, and the export leaves them out', async () => {
    const [a] = clusters;
    const st = await stale();
    const staleA = st.clusters.find((c) => c.clusterId === a.id)!.stalePairs;
    const all = await preview('all');
    expect(all.leftOut.stale).toBe(staleA);
    expect(all.leftOut.unscored).toBe(0); // "all" takes unscored pairs
    expect(all.leftOut.byCluster.find((c) => c.cluster === a.name)?.stale).toBe(staleA);
    expect(all.pairs).toBe(st.clusters.reduce((n, c) => n + c.pairs, 0) - staleA);
    // The filter keeps scored pairs only: with nothing scored, "kept" leaves every pair out as unscored.
    const kept = await preview('kept');
    expect(kept.leftOut.unscored).toBe(st.unscoredPairs);
    expect(kept.pairs).toBe(0);
  });

  it('one action redoes a cluster’s stale work: stale masks and pairs are made again from the cluster as it is now', async () => {
    const [a] = clusters;
    const before = await of(a.id);
    expect(before.staleMasks).toBeGreaterThan(0);
    const r = await engine.call('masks.redoStale', { categoryId, clusterId: a.id });
    expect(r).toMatchObject({ removedMasks: before.staleMasks, removedPairs: before.stalePairs });
    expect(r.masksJobId).not.toBeNull();
    expect(r.synthJobId).not.toBeNull();
    expect((await engine.waitForJob(r.masksJobId!)).status).toBe('done');
    expect((await engine.waitForJob(r.synthJobId!)).status).toBe('done');
    const after = await of(a.id);
    expect(after.staleMasks).toBe(0);
    expect(after.stalePairs).toBe(0);
    expect(after.masks).toBe(before.masks);
    // Every mask that was placed has its pair again.
    expect(after.pairs).toBe(after.masks);
    expect((await preview('all')).leftOut.stale).toBe(0);
  });
});
