import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/main';
import { Engine } from '../../src-main/engine/engine';
import { installPack } from '../../src-main/io/packs';
import { FEATURES_VERSION } from '../../src-main/core/features';
import { writeBackbonePack } from '../unit/core/onnx/tiny-packs';
import { writeTinySamPack } from '../unit/core/onnx/tiny-sam';
import { writeMvtecFixture } from '../fixtures/mvtec-fixture';

let work: string;
let engine: Engine;
let categoryId: number;
const SIZE = 64;

async function done(p: Promise<{ jobId: number }>): Promise<unknown> {
  const f = await engine.waitForJob((await p).jobId);
  expect(f.error).toBeNull();
  expect(f.status).toBe('done');
  return f.result;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gaa-backbone-int-'));
  const fx = await writeMvtecFixture(join(work, 'dataset'), { category: 'board', trainGood: 5, testGood: 2, defects: { crack: 9 }, size: SIZE }, false);
  process.env.GAA_USER_DATA = join(work, 'ud');
  engine = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
  await engine.call('project.create', { dir: join(work, 'project') });
  await done(engine.call('dataset.import', { source: fx.root, layout: 'mvtec' }));
  categoryId = (await engine.call('project.info', {})).categories[0].id;
});
afterAll(async () => {
  delete process.env.GAA_USER_DATA;
  await engine.close();
  rmSync(work, { recursive: true, force: true });
});

describe('backbone pack in the cluster and score jobs', () => {
  it('refuses a backbone pack that is not installed, naming it', async () => {
    await expect(engine.call('clusters.run', { categoryId, backbonePack: 'nope' })).rejects.toThrow(/backbone pack 'nope' is not installed/);
    await expect(engine.call('score.run', { categoryId, extractor: { backbonePack: 'nope' } })).rejects.toThrow(/backbone pack 'nope' is not installed/);
  });

  it('clusters with the deep block and stores it under a version naming the pack', async () => {
    await installPack(writeBackbonePack(join(work, 'bb-src')), join(work, 'ud', 'packs'));
    await done(engine.call('clusters.run', { categoryId, backbonePack: 'tiny-backbone' }));
    const state = await engine.call('clusters.get', { categoryId });
    const version = state.run!.featuresVersion;
    expect(version.startsWith(`${FEATURES_VERSION}+deep:`)).toBe(true);
    expect(version).toContain('tiny-backbone@1');
    const members = state.clusters.flatMap((c) => c.members);
    expect(members.length).toBe((await engine.call('project.info', {})).categories[0].counts.fewShot);
    const rows = engine.session().db.prepare('SELECT deep FROM anomaly_features WHERE version = ?').all(version) as { deep: Buffer | null }[];
    expect(rows).toHaveLength(members.length);
    // The tiny backbone has 2 feature channels: the deep block is 2 float64 values per anomaly.
    for (const r of rows) expect(r.deep?.byteLength).toBe(2 * 8);
    // Splitting reads the features of the run the clusters came from, deep block included.
    const big = state.clusters.find((c) => c.members.length >= 2)!;
    const split = await engine.call('clusters.split', { clusterId: big.id, k: 2 });
    expect(split.clusters.filter((c) => c.name.startsWith(`${big.name}.`)).flatMap((c) => c.members)).toHaveLength(big.members.length);
    // The plain run stores no deep block, under the plain version.
    await done(engine.call('clusters.run', { categoryId }));
    const plain = engine.session().db.prepare('SELECT deep FROM anomaly_features WHERE version = ?').all(FEATURES_VERSION) as { deep: Buffer | null }[];
    expect(plain).toHaveLength(members.length);
    expect(plain.every((r) => r.deep === null)).toBe(true);
    expect((await engine.call('clusters.get', { categoryId })).run!.featuresVersion).toBe(FEATURES_VERSION);
  });

  it('trains and scores with the backbone extractor, and keeps it apart from the hand-crafted scorer', async () => {
    await done(engine.call('masks.generate', { categoryId, count: 4, seed: 1 }));
    await done(engine.call('synth.run', { categoryId, perCluster: 3, seed: 1 }));
    const result = (await done(engine.call('score.run', { categoryId, epochs: 2, maxTrainImages: 5, keep: 2, extractor: { backbonePack: 'tiny-backbone' } }))) as {
      scorerId: number;
    };
    const db = engine.session().db;
    const scorer = db.prepare('SELECT settings, model FROM scorers WHERE id = ?').get(result.scorerId) as { settings: string; model: string };
    expect(JSON.parse(scorer.settings).extractor).toContain('onnx-backbone-v1:tiny-backbone@1');
    const page = await engine.call('samples.list', { categoryId, limit: 100 });
    expect(page.total).toBeGreaterThan(0);
    expect(page.counts.scored).toBe(page.total);
    expect(page.items.every((s) => Number.isFinite(s.ars))).toBe(true);
    // The hand-crafted default trains its own scorer rather than reusing the backbone's.
    const plain = (await done(engine.call('score.run', { categoryId, epochs: 2, maxTrainImages: 5, keep: 2 }))) as { scorerId: number };
    expect(plain.scorerId).not.toBe(result.scorerId);
    expect(JSON.parse((db.prepare('SELECT settings FROM scorers WHERE id = ?').get(plain.scorerId) as { settings: string }).settings).extractor).toMatch(/^handcrafted/);
  });
});

describe('regions.segment', () => {
  it('says no segmenter is installed, then segments a normal image with the tiny SAM pack', async () => {
    const normal = (await engine.call('dataset.listImages', { categoryId, kind: 'normal', limit: 1 })).items[0];
    const click = { imageId: normal.id, points: [{ x: 20, y: 30, positive: true }] };
    await expect(engine.call('regions.segment', click)).rejects.toThrow(/no segmenter pack is installed/);
    await installPack(writeTinySamPack(join(work, 'sam-src')), join(work, 'ud', 'packs'));
    const r = await engine.call('regions.segment', click);
    expect(r).toMatchObject({ imageId: normal.id, width: SIZE, height: SIZE, pack: 'tiny-sam' });
    const { data, info } = await sharp(Buffer.from(r.png, 'base64')).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([SIZE, SIZE]);
    // The fixture's pixels are gray 90-149, all within 0.5 (128 levels) of the clicked one: the
    // tiny decoder selects every pixel (see tiny-sam.ts).
    expect(data.every((v) => v === 255)).toBe(true);
    expect(r.area).toBe(SIZE * SIZE);
  });

  it('refuses anomaly images and points outside the image', async () => {
    const normal = (await engine.call('dataset.listImages', { categoryId, kind: 'normal', limit: 1 })).items[0];
    await expect(engine.call('regions.segment', { imageId: normal.id, points: [{ x: SIZE + 5, y: 1, positive: true }] })).rejects.toThrow(/outside the 64×64 image/);
    const anomaly = (await engine.call('dataset.listImages', { categoryId, kind: 'anomaly', limit: 1 })).items[0];
    await expect(engine.call('regions.segment', { imageId: anomaly.id, points: [{ x: 1, y: 1, positive: true }] })).rejects.toThrow(/anomaly image/);
    await expect(engine.call('regions.segment', { imageId: normal.id, points: [] })).rejects.toThrow(/at least one point or a box/);
  });
});

describe('gaa cluster / score --backbone', () => {
  it('passes the pack to the jobs and reports a missing one', async () => {
    let stdout = '';
    let stderr = '';
    const io = { out: (t: string) => (stdout += t), err: (t: string) => (stderr += t) };
    const project = join(work, 'project');
    expect(await runCli(['cluster', '--project', project, '--backbone', 'tiny-backbone', '--json'], io)).toBe(0);
    expect(JSON.parse(stdout).k).toBeGreaterThan(0);
    expect((await engine.call('clusters.get', { categoryId })).run!.featuresVersion).toContain('tiny-backbone@1');
    stdout = '';
    expect(await runCli(['score', '--project', project, '--category', 'board', '--epochs', '1', '--backbone', 'missing-pack'], io)).not.toBe(0);
    expect(stderr).toMatch(/backbone pack 'missing-pack' is not installed/);
  });
});
