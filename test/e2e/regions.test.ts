import { copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageSummary } from '../../src-main/api/contract';
import { sharedDemoDataset } from '../fixtures/demo';
import { openDemo } from './dataset-scenario';
import { jobList, openWebSession, projectInfo, screenshot, tempDir, trackFailures, type WebSession } from './fixtures';

const tid = (id: string) => `[data-testid="${id}"]`;
type XY = [number, number];

/** Shoelace formula: the area a closed polygon encloses, in the units of its points. */
function shoelace(points: XY[]): number {
  let twice = 0;
  for (let i = 0; i < points.length; i++) {
    const [x1, y1] = points[i];
    const [x2, y2] = points[(i + 1) % points.length];
    twice += x1 * y2 - x2 * y1;
  }
  return Math.abs(twice) / 2;
}

describe('Region labelling and propagation review in Chromium through the web host', () => {
  let s: WebSession | undefined;
  let truthDir = '';
  let categoryId = 0;
  let drawn: ImageSummary;
  let polygonArea = 0;
  trackFailures(() => s);

  beforeAll(async () => {
    s = await openWebSession('regions-web');
    const shared = await sharedDemoDataset();
    truthDir = join(dirname(shared.root), 'truth', 'regions', 'nutbox', 'train', 'good');
    mkdirSync(join(s.userDataDir, 'demo'), { recursive: true });
    symlinkSync(dirname(shared.root), join(s.userDataDir, 'demo', 'dataset'), 'dir');
  });
  afterAll(async () => {
    await s?.close();
  });

  const editor = () => s!.page.locator(tid('region-editor'));
  const opsOf = async () => JSON.parse((await editor().getAttribute('data-ops')) ?? '{}') as Record<string, number>;
  const areaOf = async (region: string) => Number(await s!.page.locator(`${tid('editor-area')}[data-region="${region}"]`).getAttribute('data-area'));
  /** Image pixel → page pixel, through the editor's viewport transform (zoom and pan). */
  async function toScreen([x, y]: XY): Promise<XY> {
    const box = (await s!.page.locator(`${tid('region-stage')} canvas.upper-canvas`).boundingBox())!;
    const [a, , , d, e, f] = ((await editor().getAttribute('data-vpt')) ?? '').split(',').map(Number);
    return [box.x + e + x * a, box.y + f + y * d];
  }

  it('opens the demo project from the start screen and waits for its import', async () => {
    await openDemo(s!);
  }, 420_000);

  it('creates the regions nuts and cereal for nutbox on the Regions screen', async () => {
    const { page } = s!;
    const cat = (await projectInfo(s!)).categories.find((c) => c.name === 'nutbox')!;
    categoryId = cat.id;
    await page.locator(tid('nav-regions')).click();
    await page.locator(tid('regions-pick-category')).waitFor();
    await page.locator(tid('category-picker')).selectOption(String(cat.id));
    await page.locator(`${tid('regions-page')}[data-category-id="${cat.id}"]`).waitFor();
    for (const name of ['nuts', 'cereal']) {
      await page.locator(tid('region-new-name')).fill(name);
      await page.locator(tid('region-new')).click();
      await page.locator(`${tid('region-item')}[data-region="${name}"][data-active="true"]`).waitFor();
    }
    const state = await s!.call('regions.get', { categoryId });
    expect(state.regions.map((r) => r.name)).toEqual(['nuts', 'cereal']);
    expect(state.labelled).toEqual([]);
  });

  it('draws a nuts polygon and a cereal stroke, and undo/redo takes the stroke off the canvas and back', async () => {
    const { page } = s!;
    const listed = await s!.call('dataset.listImages', { categoryId, kind: 'normal', split: 'train', limit: 2000, offset: 0 });
    drawn = listed.items[0];
    await page.locator(`${tid('region-image')}[data-image-id="${drawn.id}"]`).click();
    await page.locator(`${tid('region-editor')}[data-ready="true"][data-image-id="${drawn.id}"]`).waitFor();

    // Zoom in at the pointer and pan with the middle button first, so drawing goes through a non-trivial view.
    const vptOf = async () => ((await editor().getAttribute('data-vpt')) ?? '').split(',').map(Number);
    const fitted = await vptOf();
    const stage = (await page.locator(tid('region-stage')).boundingBox())!;
    await page.mouse.move(stage.x + stage.width / 2, stage.y + stage.height / 2);
    await page.mouse.wheel(0, -120);
    await expect.poll(async () => (await vptOf())[0]).toBeGreaterThan(fitted[0] * 1.05);
    const zoomed = await vptOf();
    await page.mouse.down({ button: 'middle' });
    await page.mouse.move(stage.x + stage.width / 2 - 40, stage.y + stage.height / 2 - 20, { steps: 4 });
    await page.mouse.up({ button: 'middle' });
    await expect.poll(vptOf).toEqual([zoomed[0], 0, 0, zoomed[3], zoomed[4] - 40, zoomed[5] - 20]);

    await page.locator(`${tid('region-item')}[data-region="nuts"]`).click();
    await page.keyboard.press('p');
    // Backspace drops the last corner of a draft and Esc the whole draft; neither is an edit.
    for (const [x, y] of await Promise.all(([[60, 60], [120, 60]] as XY[]).map(toScreen))) await page.mouse.click(x, y);
    await editor().and(page.locator('[data-draft="2"]')).waitFor();
    await page.keyboard.press('Backspace');
    await editor().and(page.locator('[data-draft="1"]')).waitFor();
    await page.keyboard.press('Escape');
    await editor().and(page.locator('[data-draft="0"]')).waitFor();
    expect(await opsOf()).toEqual({ nuts: 0, cereal: 0 });
    const poly: XY[] = [
      [40, 40],
      [200, 52],
      [188, 170],
      [56, 150],
    ];
    const screen = await Promise.all(poly.map(toScreen));
    for (const [x, y] of screen.slice(0, -1)) await page.mouse.click(x, y);
    // The last point is a double-click: it adds the point and closes the polygon.
    await page.mouse.dblclick(...screen[screen.length - 1]);
    await expect.poll(opsOf).toEqual({ nuts: 1, cereal: 0 });
    // The polygon as the editor placed it, read back from page pixels through its zoom.
    const [a, , , d, e, f] = ((await editor().getAttribute('data-vpt')) ?? '').split(',').map(Number);
    const box = (await page.locator(`${tid('region-stage')} canvas.upper-canvas`).boundingBox())!;
    polygonArea = shoelace(screen.map(([x, y]) => [(x - box.x - e) / a, (y - box.y - f) / d]));
    expect(polygonArea).toBeCloseTo(shoelace(poly), 0);
    await expect.poll(() => areaOf('nuts')).toBeGreaterThan(polygonArea * 0.9);
    expect(await areaOf('nuts')).toBeLessThan(polygonArea * 1.1);

    await page.locator(`${tid('region-item')}[data-region="cereal"]`).click();
    await page.keyboard.press('b');
    await editor().and(page.locator('[data-tool="brush"]')).waitFor();
    const [sx, sy] = await toScreen([230, 200]);
    const [ex, ey] = await toScreen([300, 230]);
    await page.mouse.move(sx, sy);
    await page.mouse.down();
    await page.mouse.move(ex, ey, { steps: 12 });
    await page.mouse.up();
    await expect.poll(opsOf).toEqual({ nuts: 1, cereal: 1 });
    await expect.poll(() => areaOf('cereal')).toBeGreaterThan(0);
    const strokeArea = await areaOf('cereal');
    // A 8 px brush along a ~76 px line covers roughly 8 × 76 px.
    expect(strokeArea).toBeGreaterThan(300);
    expect(strokeArea).toBeLessThan(1200);

    await page.keyboard.press('Control+z');
    await expect.poll(opsOf).toEqual({ nuts: 1, cereal: 0 });
    await expect.poll(() => areaOf('cereal')).toBe(0);
    expect(await areaOf('nuts')).toBeGreaterThan(0);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(opsOf).toEqual({ nuts: 1, cereal: 1 });
    await expect.poll(() => areaOf('cereal')).toBe(strokeArea);

    // Alt+click with the bucket clears the connected nuts area under it, which is the whole polygon.
    const nutsArea = await areaOf('nuts');
    await page.locator(`${tid('region-item')}[data-region="nuts"]`).click();
    await page.keyboard.press('f');
    await editor().and(page.locator('[data-tool="fill"]')).waitFor();
    await page.keyboard.down('Alt');
    await page.mouse.click(...(await toScreen([120, 100])));
    await page.keyboard.up('Alt');
    await expect.poll(() => areaOf('nuts')).toBe(0);
    await page.keyboard.press('Control+z');
    await expect.poll(() => areaOf('nuts')).toBe(nutsArea);
    await expect.poll(opsOf).toEqual({ nuts: 1, cereal: 1 });

    await page.keyboard.press('?');
    await page.locator(tid('region-help')).waitFor();
    expect(await page.locator(tid('region-help')).textContent()).toContain('Ctrl+S');
    await page.keyboard.press('Escape');
    await page.locator(tid('region-help')).waitFor({ state: 'detached' });
    await screenshot(page, 'regions-editor');
  });

  it('saves both regions with Ctrl+S, the nuts mask within 10 % of the drawn polygon', async () => {
    const { page } = s!;
    await page.keyboard.press('Control+s');
    await editor().and(page.locator('[data-dirty="false"]')).waitFor();
    const stored = await expect
      .poll(async () => (await s!.call('regions.ofImage', { imageId: drawn.id })).regions.filter((r) => r.source === 'label').length)
      .toBe(2)
      .then(() => s!.call('regions.ofImage', { imageId: drawn.id }));
    const nuts = stored.regions.find((r) => r.region === 'nuts')!;
    const cereal = stored.regions.find((r) => r.region === 'cereal')!;
    expect(Math.abs(nuts.area - polygonArea) / polygonArea).toBeLessThan(0.1);
    expect(cereal.area).toBeGreaterThan(0);
    await page.locator(`${tid('region-image')}[data-image-id="${drawn.id}"][data-labelled="true"]`).waitFor();
  });

  it('propagates from three labelled images and accepts one image in the review grid', async () => {
    const { page } = s!;
    // The two other exemplars come from the demo's hidden truth, given as <stem>__<region>.png files.
    const listed = await s!.call('dataset.listImages', { categoryId, kind: 'normal', split: 'train', limit: 2000, offset: 0 });
    const folder = tempDir('regions-truth');
    const others = listed.items.filter((i) => i.id !== drawn.id).slice(0, 2);
    for (const img of others) {
      const stem = basename(img.relPath, '.png');
      for (const region of ['nuts', 'cereal']) copyFileSync(join(truthDir, `${stem}_${region}.png`), join(folder, `${stem}__${region}.png`));
    }
    const imported = await s!.call('regions.importFolder', { categoryId, folder });
    expect(imported.errors).toEqual([]);
    expect(imported.imported.length).toBe(4);

    // The screen learns of the imported labels when it next reads the state: reopen the stage.
    await page.locator(tid('nav-dataset')).click();
    await page.locator(tid('nav-regions')).click();
    await expect.poll(() => page.locator(`${tid('region-image')}[data-labelled="true"]`).count()).toBe(3);
    await page.locator(tid('regions-propagate')).click();
    const normals = (await projectInfo(s!)).categories.find((c) => c.id === categoryId)!.counts.normal;
    const propagateJob = async () => (await jobList(s!)).filter((j) => j.kind === 'propagate');
    await expect.poll(async () => (await propagateJob()).map((j) => j.total), { timeout: 30_000, interval: 500 }).toEqual([normals - 3]);
    // Every other normal image would take minutes on a test machine: once a few are committed the
    // job is cancelled from the job bar, which keeps what it finished (METHOD.md §4 commits per image).
    await expect.poll(async () => (await propagateJob())[0].done, { timeout: 90_000, interval: 500 }).toBeGreaterThanOrEqual(4);
    const cancel = page.locator(`${tid('job')}[data-status="running"] ${tid('job-cancel')}`);
    if (await cancel.count()) await cancel.click();
    await expect.poll(async () => (await propagateJob())[0].status, { timeout: 60_000, interval: 500 }).toMatch(/^(cancelled|done)$/);
    const job = (await propagateJob())[0];
    const state = await s!.call('regions.get', { categoryId });
    expect(state.propagated.length).toBe(job.done - job.failed);
    expect(state.propagated.length).toBeGreaterThanOrEqual(4);

    await page.locator(tid('regions-tab-review')).click();
    await expect.poll(() => page.locator(tid('regions-tab-review')).textContent()).toContain(`(${state.propagated.length})`);
    const tiles = page.locator(tid('review-tile'));
    await tiles.first().waitFor();
    // Lowest confidence first.
    const shown = (await tiles.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-confidence'))))) as number[];
    expect(shown).toEqual([...shown].sort((x, y) => x - y));
    expect(shown[0]).toBeCloseTo(Math.min(...state.propagated.map((p) => p.confidence)), 6);
    const flagged = state.propagated.filter((p) => p.flagged).map((p) => p.imageId);
    if (flagged.length) await page.locator(`${tid('review-tile')}[data-image-id="${flagged[0]}"] ${tid('review-flagged')}`).waitFor();

    const first = tiles.first();
    const imageId = Number(await first.getAttribute('data-image-id'));
    await first.locator(tid('review-accept')).click();
    await page.locator(`${tid('review-tile')}[data-image-id="${imageId}"][data-status="accepted"]`).waitFor();
    const after = await s!.call('regions.get', { categoryId });
    expect(after.propagated.find((p) => p.imageId === imageId)?.status).toBe('accepted');
    expect(after.propagated.filter((p) => p.status === 'accepted').length).toBe(1);
    // The tile overlays the image's propagated masks once they load.
    const masks = (await s!.call('regions.ofImage', { imageId })).regions.filter((r) => r.source === 'propagated').length;
    await expect.poll(async () => (await first.getAttribute('data-masks')) ?? '').toBe(String(masks));
    await screenshot(page, 'regions-review');

    // Edit opens the editor on that image with its propagated regions as the starting rasters.
    const areas = Object.fromEntries((await s!.call('regions.ofImage', { imageId })).regions.map((r) => [r.region, r.area]));
    await first.locator(tid('review-edit')).click();
    await page.locator(`${tid('region-editor')}[data-ready="true"][data-image-id="${imageId}"]`).waitFor();
    for (const [region, area] of Object.entries(areas)) await expect.poll(() => areaOf(region)).toBe(area);
    await screenshot(page, 'regions-edit-propagated');
  }, 150_000);

  it('reviews propagated images with the keyboard: R rejects and moves on, Shift+→ and A accept two, one button accepts the confident rest, E edits', async () => {
    const { page } = s!;
    await page.locator(tid('regions-tab-review')).click();
    const tile = (i: number) => page.locator(`${tid('review-tile')}[data-index="${i}"]`);
    await tile(0).waitFor();
    const idAt = async (i: number) => Number(await tile(i).getAttribute('data-image-id'));
    const statusOf = async (imageId: number) => (await s!.call('regions.get', { categoryId })).propagated.find((p) => p.imageId === imageId)?.status;
    expect(await tile(0).getAttribute('data-current')).toBe('true');
    await page.keyboard.press('ArrowRight');
    const second = await idAt(1);
    await page.keyboard.press('r');
    await expect.poll(() => statusOf(second)).toBe('rejected');
    await expect.poll(() => tile(2).getAttribute('data-current')).toBe('true');
    const [third, fourth] = [await idAt(2), await idAt(3)];
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => page.locator(tid('regions-bulk')).getAttribute('data-count')).toBe('2');
    await screenshot(page, 'regions-review-keys', { docs: true });
    await page.keyboard.press('a');
    await expect.poll(() => statusOf(third)).toBe('accepted');
    await expect.poll(() => statusOf(fourth)).toBe('accepted');
    await page.locator(tid('regions-bulk')).waitFor({ state: 'detached' });
    // Every image not flagged as low confidence, at once.
    const pendingConfident = async () => (await s!.call('regions.get', { categoryId })).propagated.filter((p) => !p.flagged && p.status === 'pending').length;
    if ((await pendingConfident()) > 0) {
      await page.locator(tid('regions-accept-confident')).click();
      await expect.poll(pendingConfident).toBe(0);
    }
    expect(await page.locator(tid('regions-accept-confident')).isDisabled()).toBe(true);
    expect(await statusOf(second)).toBe('rejected');
    // E opens the image under the cursor in the editor.
    await page.keyboard.press('e');
    await page.locator(`${tid('region-editor')}[data-ready="true"][data-image-id="${fourth}"]`).waitFor();
  });

  it('ran the whole scenario without a console error or uncaught exception', () => {
    expect(s!.pageErrors).toEqual([]);
  });
});
