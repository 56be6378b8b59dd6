/**
 * Masks and Synthesis screens in Chromium through the web host: aligned masks made from the
 * UI for every cluster of `tile` and previewed, then a synthesis run that is cancelled while
 * it runs, resumed, and browsed in the gallery and the side-by-side view. Every check reads
 * the engine through a separate call (`masks.list`, `samples.list`, `jobs.list`).
 */
import { mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterState, JobInfo } from '../../src-main/api/contract';
import { sharedDemoDataset } from '../fixtures/demo';
import { openDemo } from './dataset-scenario';
import { jobList, openWebSession, projectInfo, screenshot, trackFailures, until, type WebSession } from './fixtures';

const tid = (id: string) => `[data-testid="${id}"]`;
const num = (s: string | null) => Number((s ?? '').replace(/[^0-9-]/g, ''));
const PER_CLUSTER = 6;

interface ImageLike {
  complete: boolean;
  naturalWidth: number;
}

async function newestJob(s: WebSession, kind: JobInfo['kind']): Promise<JobInfo | undefined> {
  return (await jobList(s)).filter((j) => j.kind === kind).sort((a, b) => b.id - a.id)[0];
}

/** Path and query-free tail of an image URL the page shows: `sample/12`, `image/3`, … */
async function imagePath(page: Page, selector: string): Promise<string> {
  const src = (await page.locator(selector).getAttribute('src')) ?? '';
  return new URL(src, 'http://x').pathname.replace(/^\/img\//, '');
}

describe('Masks and Synthesis screens in Chromium through the web host', () => {
  let s: WebSession | undefined;
  let categoryId = 0;
  let clusters: ClusterState['clusters'] = [];
  let maskTotals = new Map<number, number>();
  trackFailures(() => s);

  beforeAll(async () => {
    s = await openWebSession('synthesis-web');
    // The demo reads its dataset from <user data>/demo/dataset: reuse the shared one, so only the import runs.
    const shared = await sharedDemoDataset();
    mkdirSync(join(s.userDataDir, 'demo'), { recursive: true });
    symlinkSync(dirname(shared.root), join(s.userDataDir, 'demo', 'dataset'), 'dir');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('opens the demo project and clusters tile as the Clusters stage would', async () => {
    await openDemo(s!);
    const cat = (await projectInfo(s!)).categories.find((c) => c.name === 'tile');
    expect(cat).toBeDefined();
    categoryId = cat!.id;
    const { jobId } = await s!.call('clusters.run', { categoryId });
    const job = await until(() => jobList(s!).then((l) => l.find((j) => j.id === jobId)), (j) => j?.status === 'done' || j?.status === 'failed', 'the clustering job', 120_000);
    expect(job?.status).toBe('done');
    clusters = (await s!.call('clusters.get', { categoryId })).clusters;
    expect(clusters.length).toBeGreaterThan(0);
  }, 420_000);

  it('makes 6 aligned masks for every cluster from the Masks screen and previews them', async () => {
    const page = s!.page;
    await page.locator(tid('category-picker')).selectOption(String(categoryId));
    await page.locator(tid('nav-masks')).click();
    await page.locator(`${tid('masks-page')}[data-category-id="${categoryId}"]`).waitFor();
    await expect.poll(() => page.locator(tid('masks-cluster')).count()).toBe(clusters.length);
    // tile's clusters are structural, placed where their exemplars are (learned, the default) in
    // the implicit region: that is what the editor shows.
    const first = page.locator(tid('masks-cluster')).first();
    expect(await first.locator(tid('rule-kind')).inputValue()).toBe('structural');
    expect(await first.locator(tid('rule-mode')).inputValue()).toBe('learned');
    expect(await first.locator(tid('rule-region')).inputValue()).toBe('');
    expect(await first.locator(tid('rule-size')).inputValue()).toBe('mean');

    // The kind limits the mode as the engine does; a changed α is stored with the rule.
    await first.locator(tid('rule-kind')).selectOption('logical');
    expect(await first.locator(`${tid('rule-mode')} option`).allTextContents()).toEqual(['logical']);
    await first.locator(tid('rule-kind')).selectOption('structural');
    expect(await first.locator(`${tid('rule-mode')} option`).allTextContents()).toEqual(['learned', 'inside', 'edge', 'centreline']);
    await first.locator(tid('rule-mode')).selectOption('inside');
    await first.locator(tid('rule-alpha')).fill('0.7');
    await first.locator(tid('rule-size')).selectOption('exemplars');
    await first.locator(tid('rule-apply')).click();
    const firstId = Number(await first.getAttribute('data-cluster-id'));
    await expect.poll(async () => (await s!.call('clusters.get', { categoryId })).clusters.find((c) => c.id === firstId)?.rule).toMatchObject({ mode: 'inside', region: null, alpha: 0.7, size: 'exemplars' });
    await expect.poll(() => first.locator(tid('rule-editor')).getAttribute('data-dirty')).toBe('false');

    await page.locator(tid('masks-count')).fill(String(PER_CLUSTER));
    await page.locator(tid('masks-generate-all')).click();
    const job = await until(() => newestJob(s!, 'masks'), (j) => j?.status === 'done' || j?.status === 'failed', 'the masks job', 90_000);
    expect(job?.status).toBe('done');
    expect(job?.total).toBe(PER_CLUSTER * clusters.length);

    const all = await s!.call('masks.list', { categoryId, clusterId: null, limit: 1000 });
    // Made + unsatisfied = asked for; the screen reports the unsatisfied count the engine stored.
    expect(all.total + job!.failed).toBe(PER_CLUSTER * clusters.length);
    await expect.poll(() => page.locator(tid('mask-tile')).count(), { timeout: 20_000 }).toBe(all.total);
    await expect.poll(async () => num(await page.locator(tid('masks-job-failed')).textContent())).toBe(job!.failed);
    // Unsatisfied placements are listed with the engine's reason, one line each.
    if (job!.failed > 0) expect(await page.locator(tid('masks-failure')).count()).toBe(Math.min(50, job!.failed));
    for (const c of clusters) {
      const total = (await s!.call('masks.list', { categoryId, clusterId: c.id, limit: 1 })).total;
      maskTotals.set(c.id, total);
      const row = page.locator(`${tid('masks-cluster')}[data-cluster-id="${c.id}"]`);
      expect(num(await row.locator(tid('mask-count')).textContent())).toBe(total);
      const shownIds = await row.locator(tid('mask-tile')).evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-mask-id'))));
      expect(shownIds.sort((a, b) => a - b)).toEqual(all.items.filter((m) => m.clusterId === c.id).map((m) => m.id).sort((a, b) => a - b));
    }
    // Every tile names the mode and region the engine stored, and inside placements lie ≥ 95 % inside.
    const modes = await page.locator(tid('mask-mode')).allTextContents();
    expect(new Set(modes)).toEqual(new Set(all.items.map((m) => m.mode)));
    expect(all.items.every((m) => m.mode !== 'inside' || m.insideFraction >= 0.95)).toBe(true);
    await expect.poll(() => page.locator(`${tid('mask-tile')} img`).evaluateAll((els) => els.every((e) => (e as unknown as ImageLike).complete && (e as unknown as ImageLike).naturalWidth > 0)), { timeout: 20_000 }).toBe(true);
    await screenshot(page, 'masks');

    // A mask thumbnail opens in the viewer: its normal image, the aligned mask over it (issue 12, item 11).
    const tileEl = page.locator(tid('mask-tile')).nth(1);
    const maskId = Number(await tileEl.getAttribute('data-mask-id'));
    const normalId = Number(await tileEl.getAttribute('data-normal-image-id'));
    await tileEl.click();
    const viewer = page.locator(tid('viewer'));
    await expect.poll(() => viewer.getAttribute('data-image-id')).toBe(String(normalId));
    expect(await page.locator(tid('viewer-overlay-label')).textContent()).toContain(`aligned mask #${maskId}`);
    await page.locator(`${tid('viewer-mask')}[data-state="canvas"]`).waitFor();
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
  });

  it('generates 6 pairs per cluster, cancels while it runs and resumes to the end', async () => {
    const page = s!.page;
    await page.locator(tid('nav-synthesis')).click();
    await page.locator(`${tid('synthesis-page')}[data-category-id="${categoryId}"]`).waitFor();
    for (const c of clusters) {
      await expect.poll(() => page.locator(`${tid('synth-cluster')}[data-cluster-id="${c.id}"] ${tid('synth-mask-count')}`).textContent()).toBe(String(maskTotals.get(c.id)));
    }
    await page.locator(tid('synth-ngen')).fill(String(PER_CLUSTER));
    const used = clusters.reduce((n, c) => n + Math.min(PER_CLUSTER, maskTotals.get(c.id) ?? 0), 0);
    // React renders the new plan after the input event; on a loaded machine a direct read can come first.
    await expect.poll(async () => num(await page.locator(tid('synth-planned')).textContent())).toBe(used);
    await page.locator(tid('synth-run')).click();

    // Cancel once the first pair is committed and before the last.
    const strip = page.locator(`${tid('synth-job')}[data-status="running"]`);
    await strip.waitFor({ timeout: 30_000 });
    // The pairs take well under a second each, so the click is made in the page on the very
    // update that shows the first one, not after a round trip to the test process.
    await page.waitForFunction(
      () => {
        const doc = (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null; click(): void } | null } }).document;
        const done = doc.querySelector('[data-testid="synth-job"][data-status="running"] [data-testid="synth-done"]');
        const cancel = doc.querySelector('[data-testid="synth-job"][data-status="running"] [data-testid="synth-cancel"]');
        if (!done || !cancel || Number(done.textContent) < 1) return false;
        cancel.click();
        return true;
      },
      undefined,
      { polling: 'raf', timeout: 60_000 },
    );
    const cancelled = await until(() => newestJob(s!, 'synth'), (j) => j?.status !== 'running' && j?.status !== 'queued', 'the synthesis job to stop', 30_000);
    expect(cancelled?.status).toBe('cancelled');
    expect(cancelled!.total).toBe(used);
    expect(cancelled!.done).toBeGreaterThanOrEqual(1);
    expect(cancelled!.done).toBeLessThan(used);
    // What was committed before the cancel is already in the gallery.
    const partial = (await s!.call('samples.list', { categoryId, limit: 1 })).total;
    expect(partial).toBe(cancelled!.done);

    await page.locator(`${tid('synth-job')}[data-job-id="${cancelled!.id}"] ${tid('synth-resume')}`).click();
    const done = await until(() => jobList(s!).then((l) => l.find((j) => j.id === cancelled!.id)), (j) => j?.status === 'done' || j?.status === 'failed', 'the resumed job', 120_000);
    expect(done?.status).toBe('done');
    expect(done!.failed).toBe(0);
    const samples = await s!.call('samples.list', { categoryId, limit: 1000 });
    // One pair per aligned mask used, none twice: the resume skipped what the first run committed.
    expect(samples.total).toBe(used);
    expect(new Set(samples.items.map((x) => x.alignedMaskId)).size).toBe(used);
    await expect.poll(() => page.locator(tid('gallery-count')).textContent(), { timeout: 15_000 }).toBe(String(samples.total));
    await expect.poll(() => page.locator(tid('sample-grid')).getAttribute('data-total')).toBe(String(samples.total));
    await expect.poll(() => page.locator(`${tid('synth-job')}[data-job-id="${cancelled!.id}"]`).getAttribute('data-status')).toBe('done');
  });

  it('shows a pair side by side as normal | generated | label and steps with the arrow keys', async () => {
    const page = s!.page;
    const samples = (await s!.call('samples.list', { categoryId, limit: 1000 })).items;
    await page.locator(`${tid('sample-tile')}[data-index="0"]`).click();
    const sbs = page.locator(tid('sbs'));
    await sbs.waitFor();
    const expectPair = async (i: number) => {
      await expect.poll(() => sbs.getAttribute('data-sample-id')).toBe(String(samples[i].id));
      expect(await imagePath(page, tid('sbs-normal'))).toBe(`image/${samples[i].normalImageId}`);
      expect(await imagePath(page, tid('sbs-sample'))).toBe(`sample/${samples[i].id}`);
      expect(await imagePath(page, tid('sbs-mask'))).toBe(`sample-mask/${samples[i].id}`);
      await expect
        .poll(() => page.locator(`${tid('sbs')} img`).evaluateAll((els) => els.every((e) => (e as unknown as ImageLike).complete && (e as unknown as ImageLike).naturalWidth > 0)), { timeout: 15_000 })
        .toBe(true);
    };
    await expectPair(0);
    await page.keyboard.press('ArrowRight');
    await expectPair(1);
    await page.keyboard.press('ArrowLeft');
    await expectPair(0);
    // M tints the generated image with its label (the pair's own mask, not its aligned mask).
    expect(await sbs.locator(tid('mask-tint')).count()).toBe(0);
    await page.keyboard.press('m');
    await expect.poll(() => sbs.locator(`${tid('mask-tint')}[data-mask="sample-mask/${samples[0].id}"]`).count()).toBe(1);
    await screenshot(page, 'synthesis-sbs');

    // The view takes the whole window, and its three panes zoom and pan as one (issue 12, item 11).
    const viewport = page.viewportSize()!;
    const box = (await sbs.boundingBox())!;
    expect([box.x, box.y, box.width, box.height]).toEqual([0, 0, viewport.width, viewport.height]);
    const stages = ['sbs-normal-stage', 'sbs-sample-stage', 'sbs-mask-stage'].map((id) => page.locator(tid(id)));
    const scales = () => Promise.all(stages.map(async (st) => Number(await st.getAttribute('data-scale'))));
    const fit = await scales();
    expect(new Set(fit).size).toBe(1);
    const sampleStage = (await stages[1].boundingBox())!;
    await page.mouse.move(sampleStage.x + sampleStage.width / 2, sampleStage.y + sampleStage.height / 2);
    await page.mouse.wheel(0, -300);
    await expect.poll(async () => (await scales())[0]).toBeGreaterThan(fit[0] * 1.5);
    const zoomed = await scales();
    expect(new Set(zoomed).size).toBe(1);
    const transform = () => Promise.all(stages.map((st) => st.locator('.zoom-content').evaluate((el) => (el as unknown as { style: { transform: string } }).style.transform)));
    await page.mouse.down();
    await page.mouse.move(sampleStage.x + sampleStage.width / 2 + 40, sampleStage.y + sampleStage.height / 2 + 25, { steps: 4 });
    await page.mouse.up();
    const panned = await transform();
    expect(new Set(panned).size).toBe(1);
    // O draws the mask as an outline instead of a fill.
    await page.keyboard.press('o');
    await expect.poll(() => sbs.locator(tid('mask-tint')).getAttribute('data-style')).toBe('outline');
    await screenshot(page, 'synthesis-sbs-zoom', { docs: true });
    await page.keyboard.press('o');
    await expect.poll(() => sbs.locator(tid('mask-tint')).getAttribute('data-style')).toBe('fill');
    await page.keyboard.press('Escape');
    await sbs.waitFor({ state: 'detached' });
  });

  it('toggles the mask overlay on the gallery with M and the button', async () => {
    const page = s!.page;
    const toggle = page.locator(tid('gallery-mask-toggle'));
    const grid = page.locator(tid('sample-grid'));
    // The side-by-side view's M left the overlay on.
    expect(await toggle.getAttribute('data-on')).toBe('true');
    await expect.poll(() => grid.locator(tid('mask-tint')).count()).toBe(await grid.locator(tid('sample-tile')).count());
    await toggle.click();
    expect(await toggle.getAttribute('data-on')).toBe('false');
    expect(await grid.locator(tid('mask-tint')).count()).toBe(0);
    await grid.focus();
    await page.keyboard.press('m');
    await expect.poll(() => toggle.getAttribute('data-on')).toBe('true');
    // Each tile's tint is its own pair's label (a tile shows its image, and tint, once it has stayed in view 80 ms).
    const tints = () =>
      grid.locator(tid('sample-tile')).evaluateAll((els) =>
        els.map((e) => [e.getAttribute('data-sample-id'), e.querySelector('[data-testid="mask-tint"]')?.getAttribute('data-mask')]),
      );
    await expect.poll(async () => (await tints()).every(([, mask]) => mask !== undefined)).toBe(true);
    const pairs = await tints();
    expect(pairs.length).toBeGreaterThan(0);
    for (const [sampleId, mask] of pairs) expect(mask).toBe(`sample-mask/${sampleId}`);
    await expect.poll(() => grid.locator('img').evaluateAll((els) => els.length > 0 && els.every((e) => (e as unknown as ImageLike).complete && (e as unknown as ImageLike).naturalWidth > 0)), { timeout: 20_000 }).toBe(true);
    await screenshot(page, 'synthesis');
  });

  it('ran the whole scenario without a CSP violation, console error or uncaught exception', () => {
    expect(s!.pageErrors).toEqual([]);
  });
});
