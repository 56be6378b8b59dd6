/**
 * The size each new mask is scaled toward (A_avg of Eq. 6, the rule's `size`). One cluster holds
 * 6×6 and 24×24 exemplars (36 and 576 px). Eq. (6) with α = 0.5 scales a mask of area a toward A
 * to a·(0.5·√(A/a) + 0.5·∛(A/a))². Toward the cluster's mean every mask comes out near one size
 * (with half of each, 221 and 341 px). Toward a drawn exemplar's area a mask drawn toward its own
 * size stays at 36 or 576 px, and the two crossings give 60 and 383 px: the sizes spread as the
 * exemplars' do.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src-main/engine/engine';
import { noisyPng, squareMask } from '../fixtures/mvtec-fixture';

const SIZE = 128;
let work: string;
let engine: Engine;
let categoryId: number;
let clusterId: number;
let exemplarAreas: number[];

/** Eq. (6) with α = 0.5: the area of a mask of area `a` scaled toward `target`. */
const scaledArea = (a: number, target: number) => a * (0.5 * Math.sqrt(target / a) + 0.5 * Math.cbrt(target / a)) ** 2;
/** Within ±25 % (the closing and the rasterising of a small square). */
const near = (a: number, b: number) => Math.abs(a - b) <= 0.25 * b;

async function done(p: Promise<{ jobId: number }>): Promise<void> {
  const f = await engine.waitForJob((await p).jobId);
  expect(f.error).toBeNull();
  expect(f.status).toBe('done');
}

/** Areas of the cluster's masks made by one masks job, after those listed in `before`. */
async function newMaskAreas(before: Set<number>): Promise<number[]> {
  const page = await engine.call('masks.list', { categoryId, clusterId, limit: 500 });
  return page.items.filter((m) => !before.has(m.id)).map((m) => m.area);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gaa-mask-size-'));
  const cat = join(work, 'dataset', 'plate');
  for (const d of ['train/good', 'test/good', 'test/dent', 'ground_truth/dent']) mkdirSync(join(cat, d), { recursive: true });
  let seed = 1;
  for (let i = 0; i < 6; i++) writeFileSync(join(cat, 'train/good', `00${i}.png`), await noisyPng(SIZE, seed++, 1));
  writeFileSync(join(cat, 'test/good', '000.png'), await noisyPng(SIZE, seed++, 1));
  // Three small and three large exemplars, enough that the few-shot third holds both sizes.
  for (let i = 0; i < 12; i++) {
    writeFileSync(join(cat, 'test/dent', `${String(i).padStart(3, '0')}.png`), await noisyPng(SIZE, seed++, 1));
    writeFileSync(join(cat, 'ground_truth/dent', `${String(i).padStart(3, '0')}_mask.png`), await squareMask(SIZE, 40 + (i % 3) * 4, i % 2 ? 24 : 6));
  }
  engine = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
  await engine.call('project.create', { dir: join(work, 'project') });
  await done(engine.call('dataset.import', { source: join(work, 'dataset'), layout: 'mvtec' }));
  categoryId = (await engine.call('project.info', {})).categories[0].id;
  await done(engine.call('clusters.run', { categoryId }));
  let state = await engine.call('clusters.get', { categoryId });
  if (state.clusters.length > 1) state = await engine.call('clusters.merge', { clusterIds: state.clusters.map((c) => c.id) });
  const cluster = state.clusters[0];
  clusterId = cluster.id;
  exemplarAreas = await Promise.all(cluster.members.map(async (m) => (await engine.call('dataset.image', { imageId: m.imageId })).masks[0].area));
  expect(new Set(exemplarAreas)).toEqual(new Set([36, 576]));
});
afterAll(async () => {
  await engine.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the size a cluster’s masks are scaled toward', () => {
  it('gives masks near one size toward the cluster mean, and sizes spread as the exemplars’ toward a drawn exemplar’s', async () => {
    const rule = { mode: 'inside' as const, region: null, rotation: [0, 0] as [number, number], perturbation: 0 };
    await engine.call('clusters.setRule', { clusterId, kind: 'structural', rule: { ...rule, size: 'mean' } });
    await done(engine.call('masks.generate', { categoryId, clusterId, count: 24, seed: 4 }));
    const mean = await newMaskAreas(new Set());
    expect(mean).toHaveLength(24);
    const meanArea = exemplarAreas.reduce((x, y) => x + y, 0) / exemplarAreas.length;
    const towardMean = [36, 576].map((a) => scaledArea(a, meanArea));
    for (const a of mean) expect(towardMean.some((b) => near(a, b))).toBe(true);

    const before = new Set((await engine.call('masks.list', { categoryId, clusterId, limit: 500 })).items.map((m) => m.id));
    await engine.call('clusters.setRule', { clusterId, kind: 'structural', rule: { ...rule, size: 'exemplars' } });
    // 24 more (the count is the cluster's total, stale masks included).
    await done(engine.call('masks.generate', { categoryId, clusterId, count: 48, seed: 4 }));
    const spread = await newMaskAreas(before);
    expect(spread).toHaveLength(24);
    // Each mask is one of the four hand-worked sizes, and both ends occur.
    const crossed = [36, 576].flatMap((a) => [36, 576].map((b) => scaledArea(a, b)));
    expect(crossed.map(Math.round)).toEqual([36, 383, 60, 576]);
    for (const a of spread) expect(crossed.some((b) => near(a, b))).toBe(true);
    expect(spread.some((a) => near(a, 36) || near(a, 60))).toBe(true);
    expect(spread.some((a) => near(a, 576))).toBe(true);
    expect(Math.max(...spread) / Math.min(...spread)).toBeGreaterThan(2 * (Math.max(...mean) / Math.min(...mean)));
  });
});
