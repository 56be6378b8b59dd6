import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo, SampleInfo } from '../../src-main/api/contract';
import { sharedDemoDataset } from '../fixtures/demo';
import { openDemo } from './dataset-scenario';
import { jobList, openWebSession, screenshot, tempDir, trackFailures, until, type WebSession } from './fixtures';

const tid = (id: string) => `[data-testid="${id}"]`;

/**
 * Jobs of the engine as a poll reads them. Scoring can hold the host's event loop for seconds,
 * and a kept-alive socket it closed meanwhile fails one fetch: that read counts as "not yet".
 */
async function jobsOrNone(s: WebSession): Promise<JobInfo[]> {
  try {
    return await jobList(s);
  } catch {
    return [];
  }
}

async function waitForJob(s: WebSession, jobId: number, timeoutMs = 120_000): Promise<void> {
  const job = await until(
    async () => (await jobsOrNone(s)).find((j) => j.id === jobId),
    (j) => !!j && (j.status === 'done' || j.status === 'failed' || j.status === 'cancelled'),
    `job ${jobId}`,
    timeoutMs,
  );
  expect(job!.status, job!.error ?? '').toBe('done');
}

async function allSamples(s: WebSession, categoryId: number, clusterId: number | null = null): Promise<SampleInfo[]> {
  return (await s.call('samples.list', { categoryId, clusterId, sort: 'ars', limit: 2000 })).items;
}

async function decisionOf(s: WebSession, categoryId: number, id: number): Promise<SampleInfo['decision'] | undefined> {
  return (await allSamples(s, categoryId)).find((x) => x.id === id)?.decision;
}

/** Exactly 0 and 255, nothing between: a mask an anomaly trainer reads without thresholding. */
async function isBinaryMask(file: string): Promise<boolean> {
  const { data } = await sharp(file).greyscale().raw().toBuffer({ resolveWithObject: true });
  return data.every((v) => v === 0 || v === 255);
}

describe('Review and Export in Chromium through the web host', () => {
  let s: WebSession | undefined;
  let categoryId = 0;
  let ranked: SampleInfo[] = [];
  // Folders "Open folder" asked the file manager for (the test's stand-in records them).
  const opened: string[] = [];
  trackFailures(() => s);

  beforeAll(async () => {
    s = await openWebSession('review-export-web', { openFolder: async (dir) => void opened.push(dir) });
    // Reuse the dataset the other test files generate: only the import runs here.
    const shared = await sharedDemoDataset();
    mkdirSync(join(s.userDataDir, 'demo'), { recursive: true });
    symlinkSync(dirname(shared.root), join(s.userDataDir, 'demo', 'dataset'), 'dir');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('opens the demo project and prepares clusters, aligned masks and generated pairs of tile', async () => {
    const info = await openDemo(s!);
    const tile = info.categories.find((c) => c.name === 'tile');
    expect(tile).toBeDefined();
    categoryId = tile!.id;
    await waitForJob(s!, (await s!.call('clusters.run', { categoryId })).jobId);
    await waitForJob(s!, (await s!.call('masks.generate', { categoryId, count: 6 })).jobId);
    await waitForJob(s!, (await s!.call('synth.run', { categoryId, perCluster: 6 })).jobId);
    expect((await allSamples(s!, categoryId)).length).toBeGreaterThan(2);
  }, 420_000);

  it('scores the pairs from the Review screen and shows them by ARS, highest first', async () => {
    const { page } = s!;
    await page.locator(tid('nav-review')).click();
    await page.locator(tid('category-picker')).selectOption(String(categoryId));
    await page.locator(`${tid('review-page')}[data-category-id="${categoryId}"]`).waitFor();
    // The quick preset sets its 30 epochs; the field can still be changed after it.
    await page.locator(tid('review-training')).selectOption('quick');
    expect(await page.locator(tid('review-epochs')).inputValue()).toBe('30');
    await page.locator(tid('review-epochs')).fill('2');
    await page.locator(tid('review-score')).click();
    await until(() => jobsOrNone(s!), (jobs) => jobs.some((j) => j.kind === 'score' && j.status !== 'running' && j.status !== 'queued'), 'the score job', 240_000);
    expect((await jobList(s!)).find((j) => j.kind === 'score')?.status).toBe('done');
    ranked = await allSamples(s!, categoryId);
    expect(ranked.every((x) => x.ars !== null)).toBe(true);
    // The engine's order is ARS descending by its own sort; check that independently too.
    for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1].ars!).toBeGreaterThanOrEqual(ranked[i].ars!);
    await expect.poll(() => page.locator(`${tid('sample-tile')}[data-ars=""]`).count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(async () => Number(await page.locator(tid('count-scored')).textContent()), { timeout: 30_000 }).toBe(ranked.length);
    // The scorer panel shows the new scorer's settings and its self-check as the engine stored them.
    const scorer = (await s!.call('score.info', { categoryId }))!;
    expect(scorer).toMatchObject({ epochs: 2, batchImages: 1, patchFraction: 0.25 });
    await expect.poll(() => page.locator(tid('scorer-panel')).textContent(), { timeout: 30_000 }).toContain('2 epochs × 1 image × 25% patches');
    // The demo tile has held-out real anomalies and normal test images, so there is a self-check.
    expect(scorer.selfCheck?.imageAuroc).toEqual(expect.any(Number));
    expect(await page.locator(tid('scorer-auroc')).textContent()).toBe(scorer.selfCheck!.imageAuroc!.toFixed(3));
    // And how well its heat map finds the defects: patch scores against the real masks.
    expect(scorer.selfCheck?.patchAuroc).toEqual(expect.any(Number));
    expect(await page.locator(tid('scorer-patch-auroc')).textContent()).toContain(scorer.selfCheck!.patchAuroc!.toFixed(3));
    // A calibrated model says so.
    expect(await page.locator(tid('scorer-calibrated')).count()).toBe(scorer.selfCheck!.model!.calibrated ? 1 : 0);
    // Which normal model scores the pairs, and why the self-check kept it (issue 15).
    expect(await page.locator(tid('scorer-model-reason')).textContent()).toContain(scorer.selfCheck!.model!.reason);
    expect(await page.locator(tid('scorer-model')).textContent()).toMatch(scorer.model === 'simplenet' ? /SimpleNet/ : /Gaussian/);
    await screenshot(page, 'review-scorer', { docs: true });
    const shown = await page.locator(tid('sample-tile')).evaluateAll((els) =>
      els.map((e) => ({ index: Number(e.getAttribute('data-index')), id: Number(e.getAttribute('data-sample-id')) })),
    );
    expect(shown.length).toBeGreaterThan(1);
    for (const t of shown) expect(t.id).toBe(ranked[t.index].id);
    // Training the scorer dominates (feature extraction of the normal images, not the epochs).
  }, 300_000);

  it('accepts the first pair and rejects the second with the keyboard, and Ctrl+Z undoes the reject', async () => {
    const { page } = s!;
    const [first, second, third] = ranked;
    await page.locator(`${tid('sample-tile')}[data-index="0"]`).click();
    // A and R decide and move on to the next pair (issue 12, item 11).
    await page.keyboard.press('a');
    await expect.poll(() => page.locator(tid('sample-detail')).getAttribute('data-sample-id')).toBe(String(second.id));
    await page.keyboard.press('r');
    await expect.poll(() => page.locator(tid('sample-detail')).getAttribute('data-sample-id')).toBe(String(third.id));
    await expect.poll(() => decisionOf(s!, categoryId, first.id)).toBe('accepted');
    await expect.poll(() => decisionOf(s!, categoryId, second.id)).toBe('rejected');
    await expect.poll(() => page.locator(tid('count-rejected')).textContent()).toBe('1');
    await page.keyboard.press('h');
    await page.locator(tid('detail-heat')).waitFor();
    // How much of the mask visibly changed, as the synthesis job recorded it (the label shows its defect).
    expect(third.insideVisible).toEqual(expect.any(Number));
    expect(await page.locator(tid('detail-inside')).textContent()).toContain(`${(100 * third.insideVisible!).toFixed(0)} % visibly changed`);
    await screenshot(page, 'review');
    await page.keyboard.press('Control+z');
    await expect.poll(() => decisionOf(s!, categoryId, second.id)).toBeNull();
    expect(await decisionOf(s!, categoryId, first.id)).toBe('accepted');
    await expect.poll(() => page.locator(tid('count-rejected')).textContent()).toBe('0');
    expect(await page.locator(tid('count-accepted')).textContent()).toBe('1');
  });

  it('selects several pairs with Shift+arrows and Ctrl+click, accepts them with one A, and one Ctrl+Z undoes them all', async () => {
    const { page } = s!;
    expect(ranked.length).toBeGreaterThanOrEqual(6);
    await page.locator(`${tid('sample-tile')}[data-index="2"]`).click();
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await page.locator(`${tid('sample-tile')}[data-index="5"]`).click({ modifiers: ['Control'] });
    const chosen = [ranked[2], ranked[3], ranked[4], ranked[5]].map((x) => x.id);
    await expect.poll(() => page.locator(tid('review-bulk')).getAttribute('data-count')).toBe('4');
    expect((await page.locator(`${tid('sample-tile')}[data-picked="true"]`).evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-sample-id'))))).sort()).toEqual([...chosen].sort());
    await page.keyboard.press('o');
    await page.keyboard.press('m');
    await expect.poll(() => page.locator(tid('detail-mask')).getAttribute('data-style')).toBe('outline');
    // The outline is the shown pair's own label, as exported.
    const shown = await page.locator(tid('sample-detail')).getAttribute('data-sample-id');
    expect(await page.locator(tid('detail-mask')).getAttribute('src')).toMatch(new RegExp(`/sample-mask/${shown}(\\?|$)`));
    await screenshot(page, 'review-bulk', { docs: true });
    await page.keyboard.press('a');
    for (const id of chosen) await expect.poll(() => decisionOf(s!, categoryId, id)).toBe('accepted');
    await page.locator(tid('review-bulk')).waitFor({ state: 'detached' });
    await expect.poll(() => page.locator(tid('count-accepted')).textContent()).toBe('5');
    expect(await page.locator(tid('undo-label')).textContent()).toBe('decision on 4 pairs');
    await page.keyboard.press('Control+z');
    for (const id of chosen) await expect.poll(() => decisionOf(s!, categoryId, id)).toBeNull();
    expect(await decisionOf(s!, categoryId, ranked[0].id)).toBe('accepted');
    await page.keyboard.press('o');
    await page.keyboard.press('m');
  });

  it('keeps exactly the pairs of a cluster at or above the cut-off dragged on its histogram', async () => {
    const { page } = s!;
    const clusterId = Number(await page.locator(tid('histogram-cluster')).inputValue());
    const keptBefore = (await s!.call('samples.list', { categoryId, clusterId, limit: 1 })).counts.kept;
    // The scorer's panel, the kept share and the histogram share one scrolling column: bring the
    // histogram into the window before dragging on it.
    await page.locator(tid('ars-histogram')).scrollIntoViewIfNeeded();
    const handle = await page.locator(tid('cutoff-handle')).boundingBox();
    const plot = await page.locator(tid('ars-histogram')).boundingBox();
    expect(handle && plot).toBeTruthy();
    await page.mouse.move(handle!.x + handle!.width / 2, handle!.y + handle!.height / 2);
    await page.mouse.down();
    await page.mouse.move(plot!.x + plot!.width * 0.4, plot!.y + plot!.height / 2, { steps: 5 });
    await page.mouse.move(plot!.x + plot!.width * 0.55, plot!.y + plot!.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.locator(tid('review-note')).waitFor();
    const cut = Number(await page.locator(tid('cutoff-value')).getAttribute('data-value'));
    const ofCluster = await allSamples(s!, categoryId, clusterId);
    const expected = ofCluster.filter((x) => x.ars! >= cut).length;
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(ofCluster.length);
    const page0 = await s!.call('samples.list', { categoryId, clusterId, limit: 1 });
    expect(page0.counts.kept).toBe(expected);
    expect(ofCluster.filter((x) => x.kept).length).toBe(expected);
    expect(Number(await page.locator(tid('cutoff-above')).textContent())).toBe(expected);
    // The kept share per blend mode is what a kept export holds of each mode, counted here from the pairs.
    const all = await allSamples(s!, categoryId);
    const modes = [...new Set(all.map((x) => x.blendMode))];
    for (const mode of modes) {
      const ofMode = all.filter((x) => x.blendMode === mode);
      const chosen = ofMode.filter((x) => x.decision === 'accepted' || (x.decision === null && x.kept)).length;
      const row = page.locator(`${tid('kept-share-row')}[data-by="blendMode"][data-key="${mode}"]`);
      await expect.poll(async () => [await row.getAttribute('data-kept'), await row.getAttribute('data-pairs')]).toEqual([String(chosen), String(ofMode.length)]);
    }

    // The drag is undoable like a decision: Ctrl+Z gives the cluster its kept set back.
    expect(await page.locator(tid('undo-label')).textContent()).toBe('cut-off');
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await s!.call('samples.list', { categoryId, clusterId, limit: 1 })).counts.kept).toBe(keptBefore);
    await expect.poll(async () => Number(await page.locator(tid('cutoff-above')).textContent())).toBe(keptBefore);
    expect(await page.locator(tid('review-note')).textContent()).toContain('Cut-off moved back');
  });

  it('proposes <project>/exports and previews, per cluster and format, what the export will write', async () => {
    const { page } = s!;
    await page.locator(tid('nav-export')).click();
    await page.locator(tid('export-page')).waitFor();
    const project = await s!.call('project.info', {});
    expect(await page.locator(tid('export-dest')).inputValue()).toBe(join(project.dir, 'exports'));
    await page.locator(tid('export-format-coco')).check();
    const preview = page.locator(tid('export-preview'));
    await expect.poll(async () => preview.locator(`${tid('export-preview-row')} td[data-format="coco"]`).count()).toBeGreaterThan(0);
    // Counted here from the pairs and images themselves: the chosen pairs per cluster (kept or
    // accepted, not rejected), the real few-shot pairs, the train and held-out normal images.
    const samples = await allSamples(s!, categoryId);
    const chosen = samples.filter((x) => x.decision === 'accepted' || (x.decision === null && x.kept));
    const fewShot = await s!.call('dataset.listImages', { categoryId, kind: 'anomaly', split: 'fewshot', hasError: false, limit: 1 });
    const trainNormals = await s!.call('dataset.listImages', { categoryId, kind: 'normal', split: 'train', hasError: false, limit: 1 });
    const heldOut = await s!.call('dataset.listImages', { categoryId, kind: 'normal', split: 'test', hasError: false, limit: 1 });
    expect(heldOut.total).toBeGreaterThan(0);
    const rows = await preview.locator(tid('export-preview-row')).evaluateAll((els) =>
      els.map((e) => {
        const el = e as unknown as { dataset: Record<string, string>; querySelector(s: string): { textContent: string } | null };
        return { kind: el.dataset.kind, cluster: el.dataset.cluster, images: Number(el.dataset.images), coco: el.querySelector('td[data-format="coco"]')?.textContent ?? '' };
      }),
    );
    const pairRows = rows.filter((r) => r.kind === 'pairs');
    expect(pairRows.reduce((n, r) => n + r.images, 0)).toBe(chosen.length + fewShot.total);
    for (const r of pairRows) expect(r.images).toBeGreaterThanOrEqual(chosen.filter((x) => x.cluster === r.cluster).length);
    expect(pairRows.every((r) => r.coco === String(r.images))).toBe(true);
    expect(rows.find((r) => r.kind === 'normals')).toMatchObject({ cluster: 'good', images: trainNormals.total, coco: '—' });
    expect(rows.find((r) => r.kind === 'heldOutNormals')).toMatchObject({ cluster: 'test/good', images: heldOut.total, coco: '—' });
    expect(await page.locator(tid('export-run')).textContent()).toBe(`Export ${chosen.length + fewShot.total} pairs and ${trainNormals.total + heldOut.total} normal images`);
    await screenshot(page, 'export-preview', { docs: true });
  });

  it('exports kept and accepted pairs with the real few-shot pairs as MVTec AD and COCO', async () => {
    const { page } = s!;
    const dest = tempDir('export');
    await page.locator(tid('nav-export')).click();
    await page.locator(tid('export-page')).waitFor();
    expect(await page.locator(tid('export-scope')).inputValue()).toBe(String(categoryId));
    await page.locator(tid('export-dest')).fill(dest);
    await page.locator(tid('export-format-coco')).check();
    await page.locator(tid('export-run')).click();
    await page.locator(`${tid('export-outcome')}, ${tid('export-error')}`).first().waitFor({ timeout: 120_000 });
    expect(await page.locator(tid('export-error')).count()).toBe(0);
    const root = await page.locator(tid('export-root')).inputValue();
    expect(dirname(root)).toBe(dest);
    expect(statSync(root).isDirectory()).toBe(true);
    await screenshot(page, 'export');

    const samples = await allSamples(s!, categoryId);
    const chosen = samples.filter((x) => x.decision === 'accepted' || (x.decision === null && x.kept));
    const fewShot = await s!.call('dataset.listImages', { categoryId, kind: 'anomaly', split: 'fewshot', hasError: false, limit: 1 });
    const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as {
      files: { image: string; mask: string; source: string; category: string; provenance?: { sampleId?: number } }[];
    };
    const synthetic = manifest.files.filter((f) => f.source === 'synthetic');
    expect(synthetic.map((f) => f.provenance?.sampleId).sort((a, b) => a! - b!)).toEqual(chosen.map((x) => x.id).sort((a, b) => a - b));
    expect(manifest.files.filter((f) => f.source === 'real').length).toBe(fewShot.total);
    expect(manifest.files.length).toBe(chosen.length + fewShot.total);
    for (const f of manifest.files) {
      const mask = isAbsolute(f.mask) ? f.mask : join(root, f.mask);
      expect(existsSync(mask), mask).toBe(true);
      expect(await isBinaryMask(mask), mask).toBe(true);
    }
    expect(await page.locator(tid('export-pairs')).textContent()).toBe(String(chosen.length + fewShot.total));
    // test/good: the held-out normal images, for anomalib to evaluate on.
    const heldOut = await s!.call('dataset.listImages', { categoryId, kind: 'normal', split: 'test', hasError: false, limit: 1 });
    const category = readdirSync(root).find((d) => existsSync(join(root, d, 'test', 'good')))!;
    expect(readdirSync(join(root, category, 'test', 'good'))).toHaveLength(heldOut.total);
    expect(await page.locator(tid('export-heldout')).textContent()).toBe(String(heldOut.total));

    await page.locator(tid('export-open-folder')).click();
    await expect.poll(() => opened).toEqual([root]);
    expect(await page.locator(tid('export-note')).textContent()).toBe('Opened in the file manager');
    await screenshot(page, 'export-done', { docs: true });
  }, 150_000);

  it('proposes the last destination for the next export', async () => {
    const { page } = s!;
    const last = (await jobList(s!)).find((j) => j.kind === 'export' && j.status === 'done')!;
    await page.locator(tid('nav-review')).click();
    await page.locator(tid('nav-export')).click();
    expect(await page.locator(tid('export-dest')).inputValue()).toBe(last.params.outDir);
  });

  it('shows the engine message and creates nothing when the destination is a file', async () => {
    const { page } = s!;
    const holder = tempDir('export-file');
    const file = join(holder, 'not-a-folder.txt');
    writeFileSync(file, 'x');
    await page.locator(tid('export-dest')).fill(file);
    await page.locator(tid('export-run')).click();
    const error = page.locator(tid('export-error'));
    await error.waitFor({ timeout: 60_000 });
    expect((await error.textContent())!.replace('Export failed:', '').trim().length).toBeGreaterThan(0);
    expect(readdirSync(holder)).toEqual(['not-a-folder.txt']);
    expect(statSync(file).isFile()).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('runs "Will this help?" on all pairs and on the filter’s pairs, and the export selection follows its choice', async () => {
    const { page } = s!;
    await page.locator(tid('nav-export')).click();
    await page.locator(tid('export-page')).waitFor();
    expect(await page.locator(tid('export-selection-kept')).isChecked()).toBe(true);
    // The filter keeps the best two pairs of each cluster, so its pairs are fewer than all of them.
    await s!.call('samples.filter', { categoryId, keep: 2 });
    await page.locator(tid('value-run')).click();
    await page.locator(`${tid('value-table')}, ${tid('value-insufficient')}`).first().waitFor({ timeout: 300_000 });
    expect(await page.locator(tid('value-insufficient')).count()).toBe(0);
    // Scored pairs: the classifier trained on the filter's pairs and on all of them.
    expect(await page.locator(tid('value-col-kept')).count()).toBe(1);
    expect(await page.locator(tid('value-col-all')).count()).toBe(1);
    const rec = await s!.call('value.recommendation', { categoryId });
    expect(rec).not.toBeNull();
    expect(await page.locator(tid('value-recommended')).textContent()).toContain(rec!.why);
    await expect.poll(() => page.locator(tid(`export-selection-${rec!.selection}`)).isChecked()).toBe(true);
    expect(await page.locator(tid('export-selection-default')).textContent()).toContain(`job ${rec!.jobId}`);
    await screenshot(page, 'export-value-check', { docs: true });
  }, 360_000);

  it('ran without a console error or uncaught exception', () => {
    expect(s!.pageErrors).toEqual([]);
  });
});
