/**
 * The model choices on the screens, in Chromium through the web host: the Features select of
 * the Clusters and Review stages (only with a backbone pack installed), the Synthesis stage's
 * generator choice (Diffusion only with an sd15-onnx pack and a bound concept pack, and why
 * not otherwise), and the concepts panel (bundle export, pack import with its report). Tiny
 * ONNX packs from test/unit/core/onnx/tiny-packs.ts stand in for real models. Every check
 * reads the engine (`jobs.list`, `samples.list`, the packs folder) beside the screen.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterState, JobInfo } from '../../src-main/api/contract';
import { writeMvtecFixture } from '../fixtures/mvtec-fixture';
import { weights } from '../unit/core/onnx/tiny-models';
import { DIM, writeBackbonePack, writeConceptsPack, writeSd15Pack } from '../unit/core/onnx/tiny-packs';
import { jobList, openWebSession, screenshot, tempDir, trackFailures, until, type WebSession } from './fixtures';

const tid = (id: string) => `[data-testid="${id}"]`;
/** e_f of a concept: featureTokens (8) × embeddingDim values, as the concept pack requires. */
const ef = (seed: number): Float32Array => weights(8 * DIM, 0.8, seed);

async function finished(s: WebSession, jobId: number, what: string): Promise<JobInfo> {
  const job = await until(() => jobList(s).then((l) => l.find((j) => j.id === jobId)), (j) => !!j && ['done', 'failed', 'cancelled'].includes(j.status), what, 120_000);
  return job!;
}

async function newestJob(s: WebSession, kind: JobInfo['kind']): Promise<JobInfo | undefined> {
  return (await jobList(s)).filter((j) => j.kind === kind).sort((a, b) => b.id - a.id)[0];
}

describe('Model choices on the Clusters, Synthesis and Review screens, through the web host', () => {
  let s: WebSession | undefined;
  let work: string;
  let categoryId = 0;
  let clusters: ClusterState['clusters'] = [];
  trackFailures(() => s);

  beforeAll(async () => {
    work = tempDir('model-choices-data');
    // Two coarse types, 2 few-shot anomalies each (the default split): clustered per type,
    // that is one cluster per type (N < 4, METHOD.md §1), as in the concepts integration test.
    const fx = await writeMvtecFixture(join(work, 'dataset'), { category: 'board', trainGood: 6, testGood: 1, defects: { crack: 6, hole: 6 }, size: 64 }, false);
    s = await openWebSession('model-choices-web');
    await s.call('project.create', { dir: join(work, 'project'), name: 'model choices' });
    const { jobId } = await s.call('dataset.import', { source: fx.root, layout: 'mvtec' });
    expect((await finished(s, jobId, 'the import')).status).toBe('done');
    categoryId = (await s.call('project.info', {})).categories[0].id;
    await s.page.locator(tid('project-shell')).waitFor();
    await s.page.locator(`${tid('category-picker')} option[value="${categoryId}"]`).waitFor({ state: 'attached' });
    await s.page.locator(tid('category-picker')).selectOption(String(categoryId));
  }, 240_000);
  afterAll(async () => {
    await s?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('without packs: no Features select, and Diffusion is disabled with both reasons', async () => {
    const { page } = s!;
    await page.locator(tid('nav-clusters')).click();
    await page.locator(`${tid('clusters-page')}[data-category-id="${categoryId}"]`).waitFor();
    await page.locator(tid('clusters-rerun')).waitFor();
    expect(await page.locator(tid('clusters-features')).count()).toBe(0);

    await page.locator(tid('nav-synthesis')).click();
    await page.locator(`${tid('synthesis-page')}[data-category-id="${categoryId}"]`).waitFor();
    const reason = page.locator(tid('synth-diffusion-reason'));
    await reason.waitFor();
    expect(await reason.textContent()).toBe('Diffusion: install an sd15-onnx model pack in Settings; import a concept pack for this category.');
    const generator = page.locator(tid('synth-generator'));
    expect(await generator.inputValue()).toBe('exemplar');
    expect(await generator.locator('option[value="diffusion"]').isDisabled()).toBe(true);
    expect(await page.locator(tid('synth-diffusion-options')).count()).toBe(0);

    await page.locator(tid('nav-review')).click();
    await page.locator(tid('review-page')).waitFor();
    expect(await page.locator(tid('review-features')).count()).toBe(0);
  });

  it('shows the Features select once a backbone pack is installed, and a clustering run uses the chosen pack', async () => {
    const { page } = s!;
    await s!.call('packs.install', { source: writeBackbonePack(join(work, 'bb')) });
    await page.locator(tid('nav-clusters')).click();
    const features = page.locator(tid('clusters-features'));
    await features.waitFor();
    expect(await features.locator('option').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value))).toEqual(['', 'tiny-backbone']);
    expect(await features.inputValue()).toBe('');
    await features.selectOption('tiny-backbone');
    await page.locator(tid('clusters-pertype')).check();
    await page.locator(tid('clusters-rerun')).click();
    const job = await until(() => newestJob(s!, 'cluster'), (j) => !!j && ['done', 'failed'].includes(j.status), 'the clustering job', 120_000);
    expect(job?.status).toBe('done');
    expect(job!.params).toMatchObject({ categoryId, perType: true, backbone: { pack: 'tiny-backbone' } });
    clusters = (await s!.call('clusters.get', { categoryId })).clusters;
    expect(clusters).toHaveLength(2);
    await expect.poll(() => page.locator(tid('cluster-card')).count()).toBe(2);

    await page.locator(tid('nav-review')).click();
    const reviewFeatures = page.locator(tid('review-features'));
    await reviewFeatures.waitFor();
    expect(await reviewFeatures.locator('option').allTextContents()).toEqual(['built-in (hand-crafted patches)', 'tiny-backbone (backbone 1)']);
  }, 180_000);

  it('exports the concept-training bundle to a typed folder and shows where it went', async () => {
    const { page } = s!;
    const made = await s!.call('masks.generate', { categoryId, count: 3, seed: 2 });
    expect((await finished(s!, made.jobId, 'the masks job')).status).toBe('done');
    await page.locator(tid('nav-synthesis')).click();
    await page.locator(`${tid('synthesis-page')}[data-category-id="${categoryId}"]`).waitFor();
    await page.locator(tid('concepts-export-dir')).fill(join(work, 'bundles'));
    await page.locator(tid('concepts-export')).click();
    const result = page.locator(tid('concepts-export-result'));
    await result.waitFor();
    const root = join(work, 'bundles', 'board-concept-bundle');
    expect(await result.getAttribute('data-root')).toBe(root);
    expect(await result.textContent()).toContain(root);
    const bundle = JSON.parse(readFileSync(join(root, 'bundle.json'), 'utf8')) as { clusters: { id: string }[] };
    expect(bundle.clusters.map((c) => c.id).sort()).toEqual(clusters.map((c) => String(c.id)).sort());
  });

  it('refuses a concept pack naming a cluster the category does not have, naming the id, and installs nothing', async () => {
    const { page } = s!;
    const pack = writeConceptsPack(join(work, 'cp-unknown'), (m) => (m.name = 'cp-unknown'), { [String(clusters[0].id)]: ef(3), '999': ef(4) });
    await page.locator(tid('concepts-import-source')).fill(pack);
    await page.locator(tid('concepts-import')).click();
    const error = page.locator(tid('concepts-import-error'));
    await error.waitFor();
    const text = (await error.textContent()) ?? '';
    expect(text).toContain('model pack refused (1 problem):');
    expect(text).toContain("cluster id '999' is not a cluster of this category");
    expect(existsSync(join(s!.userDataDir, 'packs', 'cp-unknown'))).toBe(false);
    expect(await page.locator(tid('concepts-import-report')).count()).toBe(0);
    expect((await s!.call('concepts.get', { categoryId })).pack).toBeNull();
  });

  it('imports a concept pack for one cluster, reports the other as exemplar only, and generates diffusion pairs for it', async () => {
    const { page } = s!;
    const [withConcept, without] = clusters;
    // With the sd15 pack installed, only the concept pack is missing.
    await s!.call('packs.install', { source: writeSd15Pack(join(work, 'sd15')) });
    await page.locator(tid('nav-masks')).click();
    await page.locator(tid('nav-synthesis')).click();
    await expect.poll(() => page.locator(tid('synth-diffusion-reason')).textContent()).toBe('Diffusion: import a concept pack for this category.');

    const pack = writeConceptsPack(join(work, 'cp-good'), (m) => (m.name = 'board-concepts'), { [String(withConcept.id)]: ef(5) });
    await page.locator(tid('concepts-import-source')).fill(pack);
    await page.locator(tid('concepts-import')).click();
    const report = page.locator(tid('concepts-import-report'));
    await report.waitFor();
    expect(await report.locator(tid('concepts-accepted')).textContent()).toBe(withConcept.name);
    expect(await report.locator(tid('concepts-without')).textContent()).toBe(without.name);
    expect(existsSync(join(s!.userDataDir, 'packs', 'board-concepts', 'pack.json'))).toBe(true);
    await expect.poll(() => page.locator(tid('synth-diffusion-reason')).count()).toBe(0);
    expect(await page.locator(tid('concepts-bound')).textContent()).toBe('Bound pack: board-concepts 0.0.1');

    await page.locator(tid('synth-generator')).selectOption('diffusion');
    await page.locator(tid('synth-diffusion-options')).waitFor();
    // The contract's defaults for synth.run.
    expect(await page.locator(tid('synth-sd15-pack')).inputValue()).toBe('tiny-sd15');
    expect(await page.locator(tid('synth-steps')).inputValue()).toBe('50');
    expect(await page.locator(tid('synth-guidance')).inputValue()).toBe('7.5');
    const conceptRow = (id: number) => page.locator(`${tid('synth-concept')}[data-cluster-id="${id}"]`);
    expect(await conceptRow(withConcept.id).getAttribute('data-concept')).toBe('true');
    expect(await conceptRow(without.id).getAttribute('data-concept')).toBe('false');
    expect(await conceptRow(without.id).textContent()).toContain('exemplar only');
    expect(await page.locator(tid('synth-skipped')).textContent()).toContain(without.name);

    await page.locator(tid('synth-ngen')).fill('3');
    await page.locator(tid('synth-steps')).fill('3');
    await page.locator(tid('synth-guidance')).fill('2');
    const masksOfConcept = (await s!.call('masks.list', { categoryId, clusterId: withConcept.id, limit: 1 })).total;
    expect(masksOfConcept).toBeGreaterThan(0);
    // Only the cluster with a concept is planned: min(n_gen, its masks).
    await expect.poll(() => page.locator(tid('synth-planned')).textContent()).toBe(String(Math.min(3, masksOfConcept)));
    // The settings panel scrolls to the focused field; the screenshot shows it from the top.
    await page.locator(tid('synth-settings')).evaluate((el) => {
      (el as unknown as { scrollTop: number }).scrollTop = 0;
    });
    await screenshot(page, 'synthesis-diffusion', { docs: true });

    await page.locator(tid('synth-run')).click();
    const job = await until(() => newestJob(s!, 'synth'), (j) => !!j && ['done', 'failed'].includes(j.status), 'the diffusion synthesis job', 180_000);
    expect(job?.status).toBe('done');
    expect(job!.params).toMatchObject({ categoryId, clusterId: withConcept.id, generator: 'diffusion', diffusion: { sd15Pack: 'tiny-sd15', conceptsPack: 'board-concepts', steps: 3, guidance: 2 } });
    const samples = await s!.call('samples.list', { categoryId, limit: 100 });
    expect(samples.total).toBe(Math.min(3, masksOfConcept));
    expect(samples.items.every((x) => x.generator === 'diffusion' && x.clusterId === withConcept.id)).toBe(true);
    await expect.poll(() => page.locator(tid('gallery-count')).textContent()).toBe(String(samples.total));
  }, 240_000);

  it('scores with the backbone chosen on the Review screen', async () => {
    const { page } = s!;
    await page.locator(tid('nav-review')).click();
    await page.locator(tid('review-features')).selectOption('tiny-backbone');
    await page.locator(tid('review-epochs')).fill('1');
    await page.locator(tid('review-score')).click();
    const job = await until(() => newestJob(s!, 'score'), (j) => !!j && ['done', 'failed'].includes(j.status), 'the scoring job', 180_000);
    expect(job?.status).toBe('done');
    expect(job!.params).toMatchObject({ categoryId, epochs: 1, backbone: { pack: 'tiny-backbone' } });
    // The browser logs the refused import's HTTP 400 as a console error; nothing else may be there.
    expect(s!.pageErrors).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
  }, 240_000);
});
