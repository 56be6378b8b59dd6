import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src-main/engine/engine';
import type { JobInfo } from '../../src-main/api/types';
import { writeMvtecFixture } from '../fixtures/mvtec-fixture';

// Issue 12, item 3: the plan a screen shows, the job's total and what the job makes agree.
let work: string;
let engine: Engine;
let categoryId: number;
let clusterIds: number[];

const job = async (jobId: number): Promise<JobInfo> => (await engine.call('jobs.list', {})).find((j) => j.id === jobId)!;
const maskCount = async (clusterId: number | null) => (await engine.call('masks.list', { categoryId, clusterId, limit: 1 })).total;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gaa-counts-'));
  const fx = await writeMvtecFixture(join(work, 'dataset'), { category: 'board', trainGood: 6, testGood: 1, defects: { crack: 12, hole: 12 }, size: 64 }, false);
  engine = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
  await engine.call('project.create', { dir: join(work, 'project') });
  const done = async (p: Promise<{ jobId: number }>) => expect((await engine.waitForJob((await p).jobId)).status).toBe('done');
  await done(engine.call('dataset.import', { source: fx.root, layout: 'mvtec' }));
  categoryId = (await engine.call('project.info', {})).categories[0].id;
  await done(engine.call('clusters.run', { categoryId }));
  clusterIds = (await engine.call('clusters.get', { categoryId })).clusters.filter((c) => c.size > 0).map((c) => c.id);
  expect(clusterIds.length).toBeGreaterThanOrEqual(2);
});
afterAll(async () => {
  await engine.close();
  rmSync(work, { recursive: true, force: true });
});

describe('"Make N" masks', () => {
  it('fills a cluster up to N instead of adding N, and the plan, the job total and the masks made agree', async () => {
    const [first] = clusterIds;
    // 3 masks for one cluster first, then "Make 5" for every cluster.
    const a = await engine.call('masks.generate', { categoryId, clusterId: first, count: 3, seed: 1 });
    expect((await engine.waitForJob(a.jobId)).status).toBe('done');
    const before = await maskCount(first);
    const failedA = (await job(a.jobId)).failed;
    expect(before + failedA).toBe(3);

    const plan = await engine.call('masks.plan', { categoryId, clusterId: null, count: 5 });
    // Hand-worked: the first cluster has `before`, every other cluster none.
    expect(plan.clusters.find((c) => c.clusterId === first)).toMatchObject({ existing: before, toMake: 5 - before });
    for (const id of clusterIds.slice(1)) expect(plan.clusters.find((c) => c.clusterId === id)).toMatchObject({ existing: 0, toMake: 5 });
    expect(plan.toMake).toBe(5 - before + 5 * (clusterIds.length - 1));

    const b = await engine.call('masks.generate', { categoryId, clusterId: null, count: 5, seed: 1 });
    expect((await engine.waitForJob(b.jobId)).status).toBe('done');
    const info = await job(b.jobId);
    expect(info.total).toBe(plan.toMake);
    // Every planned mask is made or reported as an unsatisfied placement; none beyond the plan.
    expect((await maskCount(null)) - before + info.failed).toBe(plan.toMake);
    // New masks never repeat the seed of one already there.
    const seeds = (await engine.call('masks.list', { categoryId, clusterId: first, limit: 100 })).items.map((m) => m.seed);
    expect(new Set(seeds).size).toBe(seeds.length);

    // A cluster that is full makes nothing: the plan says 0, and running it adds nothing.
    const full = await engine.call('masks.plan', { categoryId, clusterId: first, count: 2 });
    expect(full.toMake).toBe(0);
    const total = await maskCount(null);
    const c = await engine.call('masks.generate', { categoryId, clusterId: first, count: 2, seed: 1 });
    expect((await engine.waitForJob(c.jobId)).status).toBe('done');
    expect((await job(c.jobId)).total).toBe(0);
    expect(await maskCount(null)).toBe(total);
  });
});

describe('synthesis counts', () => {
  it('plans only the pairs it will make: the job total and made + failed equal the plan, also on a second run', async () => {
    const masksPerCluster = new Map<number, number>();
    for (const id of clusterIds) masksPerCluster.set(id, await maskCount(id));
    const perCluster = 3;
    const plan = await engine.call('synth.plan', { categoryId, perCluster, seed: 4 });
    const used = clusterIds.reduce((n, id) => n + Math.min(perCluster, masksPerCluster.get(id)!), 0);
    expect(plan.alreadyMade).toBe(0);
    expect(plan.toMake).toBe(used);

    const r = await engine.call('synth.run', { categoryId, perCluster, seed: 4 });
    const fin = await engine.waitForJob(r.jobId);
    expect(fin.status).toBe('done');
    const res = fin.result as { made: number; failed: number };
    expect((await job(r.jobId)).total).toBe(plan.toMake);
    expect(res.made + res.failed).toBe(plan.toMake);

    // More pairs per cluster with the same seed: the pairs already made are neither planned nor counted.
    const plan2 = await engine.call('synth.plan', { categoryId, perCluster: 5, seed: 4 });
    const used2 = clusterIds.reduce((n, id) => n + Math.min(5, masksPerCluster.get(id)!), 0);
    expect(plan2.alreadyMade).toBe(res.made);
    expect(plan2.toMake).toBe(used2 - res.made);
    const r2 = await engine.call('synth.run', { categoryId, perCluster: 5, seed: 4 });
    const fin2 = await engine.waitForJob(r2.jobId);
    const res2 = fin2.result as { made: number; failed: number };
    expect((await job(r2.jobId)).total).toBe(plan2.toMake);
    expect(res2.made + res2.failed).toBe(plan2.toMake);
    expect((await engine.call('samples.list', { categoryId, limit: 1 })).total).toBe(res.made + res2.made);
  });
});
