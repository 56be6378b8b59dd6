import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterState } from '../../src-main/api/types';
import { runCli } from '../../src-main/cli/main';
import { adjustedRandIndex } from '../../src-main/core/cluster';
import { Engine } from '../../src-main/engine/engine';
import { importDemoProject } from './demo-project';

let work: string;
let engine: Engine;
let tileId: number;
let truth: { categories: Record<string, { anomalies: Record<string, { subtype: string }> }> };

/** ARI of the stored clusters against the demo's hidden true subtypes. */
function ariAgainstTruth(state: ClusterState): number {
  const predicted: number[] = [];
  const actual: string[] = [];
  state.clusters.forEach((c, ci) =>
    c.members.forEach((m) => {
      predicted.push(ci);
      actual.push(truth.categories.tile.anomalies[m.relPath].subtype);
    }),
  );
  const names = [...new Set(actual)];
  return adjustedRandIndex(predicted, actual.map((a) => names.indexOf(a)));
}

async function run(rounds: number, extra: { perType?: boolean } = {}): Promise<ClusterState> {
  const { jobId } = await engine.call('clusters.run', { categoryId: tileId, rounds, ...extra });
  const finished = await engine.waitForJob(jobId);
  expect(finished.status).toBe('done');
  return engine.call('clusters.get', { categoryId: tileId });
}

/** What undo must restore exactly: everything but the history flags. */
const comparable = (s: ClusterState) => ({ ...s, canUndo: undefined, canRedo: undefined });

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gaa-clusters-'));
  process.env.GAA_USER_DATA = join(work, 'ud');
  engine = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
  const imported = await importDemoProject(engine, work);
  tileId = imported.tileId;
  truth = JSON.parse(readFileSync(imported.demo.truthPath, 'utf8'));
});
afterAll(async () => {
  await engine.close();
  rmSync(work, { recursive: true, force: true });
});

describe('AMFC on the demo texture category (subtypes pooled under one label)', () => {
  it('recovers the hidden subtypes with ARI ≥ 0.8, and no worse than a single round', async () => {
    const single = ariAgainstTruth(await run(1));
    const multi = await run(3);
    const ari = ariAgainstTruth(multi);
    expect(ari).toBeGreaterThanOrEqual(0.8);
    expect(ari).toBeGreaterThanOrEqual(single);
    // Every few-shot anomaly is in exactly one cluster.
    const members = multi.clusters.flatMap((c) => c.members.map((m) => m.imageId));
    expect(new Set(members).size).toBe(members.length);
    expect(multi.unassigned).toHaveLength(0);
    const fewShot = (await engine.call('project.info', {})).categories.find((c) => c.id === tileId)!.counts.fewShot;
    expect(members).toHaveLength(fewShot);
    expect(multi.run?.curve.length).toBeGreaterThan(0);
    expect(multi.scatter).toHaveLength(fewShot);
  });

  it('keeps locked clusters and hand-moved members through a re-run', async () => {
    let s = await run(3);
    const [a, b, c] = s.clusters;
    s = await engine.call('clusters.rename', { clusterId: a.id, name: 'hairline cracks' });
    s = await engine.call('clusters.setLock', { clusterId: a.id, locked: true });
    const moved = b.members[0].imageId;
    s = await engine.call('clusters.move', { imageIds: [moved], toClusterId: c.id });
    const lockedBefore = s.clusters.find((x) => x.id === a.id)!;

    const after = await run(3);
    const lockedAfter = after.clusters.find((x) => x.id === a.id)!;
    expect(lockedAfter.name).toBe('hairline cracks');
    expect(lockedAfter.locked).toBe(true);
    expect(lockedAfter.members.map((m) => m.imageId).sort()).toEqual(lockedBefore.members.map((m) => m.imageId).sort());
    const holder = after.clusters.find((x) => x.members.some((m) => m.imageId === moved))!;
    expect(holder.id).toBe(c.id);
    expect(holder.members.find((m) => m.imageId === moved)!.manual).toBe(true);
    await expect(engine.call('clusters.merge', { clusterIds: [a.id, c.id] })).rejects.toThrow(/locked/);
    await engine.call('clusters.setLock', { clusterId: a.id, locked: false });
  });

  it('undo restores the exact previous state and redo re-applies the edit', async () => {
    const before = await engine.call('clusters.get', { categoryId: tileId });
    const [a, b] = before.clusters;
    const merged = await engine.call('clusters.merge', { clusterIds: [a.id, b.id], name: 'merged' });
    expect(merged.clusters).toHaveLength(before.clusters.length - 1);
    expect(merged.clusters.find((x) => x.id === a.id)!.size).toBe(a.size + b.size);
    const undone = await engine.call('clusters.undo', { categoryId: tileId });
    expect(comparable(undone)).toEqual(comparable(before));
    expect(undone.canRedo).toBe(true);
    const redone = await engine.call('clusters.redo', { categoryId: tileId });
    expect(comparable(redone)).toEqual(comparable(merged));
  });

  it('splits a cluster in two and moves members into a new cluster', async () => {
    const s = await engine.call('clusters.get', { categoryId: tileId });
    const big = [...s.clusters].sort((x, y) => y.size - x.size)[0];
    const split = await engine.call('clusters.split', { clusterId: big.id, k: 2 });
    expect(split.clusters).toHaveLength(s.clusters.length + 1);
    const parts = split.clusters.filter((c) => c.name.startsWith(`${big.name}.`));
    expect(parts.reduce((n, c) => n + c.size, 0)).toBe(big.size);
    const one = split.clusters[0].members[0].imageId;
    const withNew = await engine.call('clusters.move', { imageIds: [one], toClusterId: null });
    expect(withNew.clusters.some((c) => c.name.startsWith('new cluster') && c.members.some((m) => m.imageId === one))).toBe(true);
  });

  it('refuses a rule that contradicts the kind', async () => {
    const s = await engine.call('clusters.get', { categoryId: tileId });
    await expect(
      engine.call('clusters.setRule', { clusterId: s.clusters[0].id, kind: 'structural', rule: { mode: 'logical', region: null } }),
    ).rejects.toThrow(/structural/);
    const ok = await engine.call('clusters.setRule', { clusterId: s.clusters[0].id, kind: 'structural', rule: { mode: 'edge', region: 'tile surface' } });
    expect(ok.clusters[0].rule).toEqual({ mode: 'edge', region: 'tile surface' });
  });

  it('gaa cluster --json prints the clusters with their members’ files', async () => {
    let out = '';
    let err = '';
    const code = await runCli(['cluster', '--project', join(work, 'project'), '--category', 'tile', '--rounds', '1', '--json'], {
      out: (t) => (out += t),
      err: (t) => (err += t),
    });
    expect(code, err).toBe(0);
    const doc = JSON.parse(out);
    expect(doc).toMatchObject({ category: 'tile', rounds: expect.any(Number), k: doc.clusters.length });
    const m = doc.clusters[0].members[0];
    expect(m).toEqual({ imageId: expect.any(Number), path: expect.stringMatching(/\.png$/), maskPath: expect.stringMatching(/_mask\.png$/), coarseType: 'defect' });
    const bad = await runCli(['cluster', '--project', join(work, 'project'), '--json'], { out: () => undefined, err: (t) => (err = t) });
    expect(bad).toBe(1);
    expect(err).toMatch(/choose one with --category/);
  });
});

describe('the clustering run shown with the clusters', () => {
  it('follows an undo back to the run the clusters came from', async () => {
    const before = await engine.call('clusters.get', { categoryId: tileId });
    const { jobId } = await engine.call('clusters.run', { categoryId: tileId, rounds: 1 });
    await engine.waitForJob(jobId);
    const rerun = await engine.call('clusters.get', { categoryId: tileId });
    expect(rerun.run!.id).toBeGreaterThan(before.run!.id);
    const undone = await engine.call('clusters.undo', { categoryId: tileId });
    expect(undone.run!.id).toBe(before.run!.id);
  });
});
