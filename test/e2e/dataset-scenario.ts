/**
 * The dataset scenario, written once against a Driver so the web host and the Electron app
 * run the same steps. What the screen shows is compared with what the engine answers to a
 * separate call, never with the UI's own state.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { ProjectInfo } from '../../src-main/api/contract';
import { imageDetail, jobList, projectInfo, type Driver } from './fixtures';

const IMPORT_TIMEOUT = 400_000;
// The node-side type-check has no DOM library: page callbacks describe what they touch.
interface ImageLike {
  complete: boolean;
  naturalWidth: number;
}
interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}
interface StyledLike {
  style: { opacity: string };
}

const tid = (id: string) => `[data-testid="${id}"]`;
const num = (s: string | null) => Number((s ?? '').replace(/[^0-9-]/g, ''));

async function textOf(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).first().textContent()) ?? '';
}

/** Waits for the grid's result count to settle on `expected`. */
export async function expectResultCount(page: Page, expected: number): Promise<void> {
  await expect.poll(async () => num(await textOf(page, tid('result-count'))), { timeout: 30_000 }).toBe(expected);
}

/** Start screen → demo project, then waits until the engine reports the import done. */
export async function openDemo(d: Driver): Promise<ProjectInfo> {
  const { page } = d;
  await page.locator(tid('start-screen')).waitFor();
  // The demo's images only: each test file runs the stages it looks at itself.
  await page.locator(tid('open-demo-import')).click();
  await page.locator(`${tid('start-busy')}, ${tid('project-shell')}`).first().waitFor();
  await page.locator(tid('project-shell')).waitFor({ timeout: IMPORT_TIMEOUT });
  await expect
    .poll(async () => (await jobList(d)).filter((j) => j.kind === 'import').map((j) => j.status), {
      timeout: IMPORT_TIMEOUT,
      interval: 500,
    })
    .toEqual(['done']);
  // Once done, the job bar holds no running import.
  await page.locator(`${tid('job')}[data-status="running"]`).waitFor({ state: 'detached' });
  const info = await projectInfo(d);
  expect(info.totals.normal + info.totals.anomaly).toBeGreaterThan(0);
  // The scenario's count checks assume a clean dataset, as the demo is.
  expect(info.totals.errors).toBe(0);
  return info;
}

/**
 * Every count on screen equals the engine's `project.info`, and the unfiltered grid lists
 * `listed` images (items with errors are listed but not counted as usable anomalies).
 */
export async function expectCountsMatch(d: Driver, info: ProjectInfo, listed: number): Promise<void> {
  const { page } = d;
  await expectResultCount(page, listed);
  for (const c of info.categories) {
    const box = page.locator(`${tid('category-counts')}[data-category-id="${c.id}"]`);
    await box.waitFor();
    const shown = async (field: string) => num(await box.locator(tid(field)).textContent());
    expect({
      normal: await shown('count-normal'),
      anomaly: await shown('count-anomaly'),
      masks: await shown('count-masks'),
      fewShot: await shown('count-fewshot'),
      heldOut: await shown('count-heldout'),
      errors: await shown('count-errors'),
    }).toEqual(c.counts);
    for (const t of c.defectTypes) {
      const row = box.locator(`${tid('type-counts')}[data-type="${t.defectType}"]`);
      expect([
        num(await row.locator(tid('type-anomaly')).textContent()),
        num(await row.locator(tid('type-fewshot')).textContent()),
        num(await row.locator(tid('type-heldout')).textContent()),
        num(await row.locator(tid('type-masks')).textContent()),
      ]).toEqual([t.anomaly, t.fewShot, t.heldOut, t.masks]);
    }
  }
}

/** Thumbnails load, only visible rows are in the DOM, and scrolling reaches the last image. */
export async function browseGrid(d: Driver, info: ProjectInfo): Promise<void> {
  const { page } = d;
  const total = info.totals.normal + info.totals.anomaly;
  const first = page.locator(`${tid('tile')}[data-index="0"]`);
  await first.waitFor();
  await expect
    .poll(() => first.locator('img').evaluate((el) => { const img = el as unknown as ImageLike; return img.complete && img.naturalWidth > 0; }), { timeout: 20_000 })
    .toBe(true);
  const inDom = await page.locator(tid('tile')).count();
  expect(inDom).toBeGreaterThan(0);
  expect(inDom).toBeLessThanOrEqual(total);
  if (total > 400) expect(inDom).toBeLessThan(total);

  await page.locator(tid('thumb-grid')).evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await page.locator(`${tid('tile')}[data-index="${total - 1}"]`).waitFor({ timeout: 20_000 });
  await page.locator(tid('thumb-grid')).evaluate((el) => el.scrollTo(0, 0));
  await first.waitFor();
}

/** Anomaly filter, then one defect type: the count is the engine's, every tile matches. */
export async function filterGrid(d: Driver, info: ProjectInfo): Promise<string> {
  const { page } = d;
  for (const c of info.categories) {
    await page.locator(tid('category-picker')).selectOption(String(c.id));
    await expectResultCount(page, c.counts.normal + c.counts.anomaly);
    expect(await page.locator(tid('category-counts')).count()).toBe(1);
  }
  await page.locator(tid('category-picker')).selectOption('');
  await page.locator(tid('filter-kind')).selectOption('anomaly');
  await expectResultCount(page, info.totals.anomaly);
  await page.locator(`${tid('tile')}[data-index="0"]`).waitFor();
  expect(new Set(await page.locator(tid('tile')).evaluateAll((els) => els.map((e) => e.getAttribute('data-kind'))))).toEqual(
    new Set(['anomaly']),
  );

  const perType = new Map<string, number>();
  for (const c of info.categories) for (const t of c.defectTypes) perType.set(t.defectType, (perType.get(t.defectType) ?? 0) + t.anomaly);
  const [type, count] = [...perType.entries()].filter(([, n]) => n > 1).sort((a, b) => b[1] - a[1])[0];
  await page.locator(tid('filter-type')).selectOption(type);
  await expectResultCount(page, count);
  await page.locator(`${tid('tile')}[data-index="0"][data-type="${type}"]`).waitFor();
  expect(new Set(await page.locator(tid('tile')).evaluateAll((els) => els.map((e) => e.getAttribute('data-type'))))).toEqual(
    new Set([type]),
  );
  return type;
}

/** Counts the tinted (on) pixels the overlay canvas draws. */
function overlayOnPixels(page: Page): Promise<number> {
  return page.locator(tid('viewer-mask')).evaluate((el) => {
    const c = el as unknown as CanvasLike;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let on = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) on++;
    return on;
  });
}

/** Opens the first tile, checks the mask overlay, opacity, zoom, arrow keys and Esc. */
export async function viewImages(d: Driver): Promise<void> {
  const { page } = d;
  const idAt = async (i: number) => Number(await page.locator(`${tid('tile')}[data-index="${i}"]`).getAttribute('data-image-id'));
  const firstId = await idAt(0);
  const secondId = await idAt(1);
  await page.locator(`${tid('tile')}[data-index="0"]`).click();
  const viewer = page.locator(tid('viewer'));
  await viewer.waitFor();
  expect(Number(await viewer.getAttribute('data-image-id'))).toBe(firstId);
  await expect
    .poll(() => page.locator(tid('viewer-image')).evaluate((el) => { const img = el as unknown as ImageLike; return img.complete ? img.naturalWidth : 0; }))
    .toBeGreaterThan(0);

  // The overlay paints exactly the pixels the engine counted as on when it imported the mask.
  const detail = await imageDetail(d, firstId);
  const union = detail.masks.find((m) => m.role === 'union') ?? detail.masks[0];
  expect(union).toBeDefined();
  const shownMask = page.locator(`${tid('viewer-mask')}:not([data-state="loading"])`);
  await shownMask.waitFor();
  const state = await shownMask.getAttribute('data-state');
  if (d.readsMaskPixels) expect(state).toBe('canvas');
  else expect(['canvas', 'blend']).toContain(state);
  if (state === 'canvas') expect(await overlayOnPixels(page)).toBe(union.area);

  await page.keyboard.press('m');
  await page.locator(tid('viewer-mask')).waitFor({ state: 'detached' });
  expect(await page.locator(tid('mask-toggle')).getAttribute('aria-pressed')).toBe('false');
  await page.keyboard.press('m');
  await shownMask.waitFor();
  await page.locator(tid('mask-opacity')).fill('0.8');
  expect(await page.locator(tid('viewer-mask')).evaluate((el) => (el as unknown as StyledLike).style.opacity)).toBe('0.8');

  const stage = page.locator(tid('viewer-stage'));
  const fitScale = Number(await stage.getAttribute('data-scale'));
  await page.keyboard.press('+');
  await expect.poll(async () => Number(await stage.getAttribute('data-scale'))).toBeCloseTo(fitScale * 1.25, 3);
  await page.keyboard.press('0');
  await expect.poll(async () => stage.getAttribute('data-fit')).toBe('true');

  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => Number(await viewer.getAttribute('data-image-id'))).toBe(secondId);
  expect(await textOf(page, tid('viewer-position'))).toMatch(/^2 \/ \d+$/);
  await page.keyboard.press('ArrowLeft');
  await expect.poll(async () => Number(await viewer.getAttribute('data-image-id'))).toBe(firstId);

  await page.keyboard.press('Escape');
  await viewer.waitFor({ state: 'detached' });
}

/** Moves one few-shot anomaly to held-out and back from the viewer; the engine and the counts follow. */
export async function moveBetweenSplits(d: Driver): Promise<void> {
  const { page } = d;
  await page.locator(tid('filter-type')).selectOption('');
  await page.locator(tid('filter-split')).selectOption('fewshot');
  const tile = page.locator(`${tid('tile')}[data-index="0"][data-split="fewshot"]`);
  await tile.waitFor();
  const id = Number(await tile.getAttribute('data-image-id'));
  const before = await projectInfo(d);
  const detail = await imageDetail(d, id);
  const fewShotBefore = () => before.categories.find((c) => c.id === detail.categoryId)!.counts.fewShot;
  const catBox = page.locator(`${tid('category-counts')}[data-category-id="${detail.categoryId}"] ${tid('count-fewshot')}`);

  await tile.click();
  await page.locator(tid('split-heldout')).click();
  await expect.poll(async () => (await imageDetail(d, id)).split).toBe('heldout');
  await expect.poll(async () => num(await catBox.textContent())).toBe(fewShotBefore() - 1);
  await page.locator(tid('split-fewshot')).click();
  await expect.poll(async () => (await imageDetail(d, id)).split).toBe('fewshot');
  await expect.poll(async () => num(await catBox.textContent())).toBe(fewShotBefore());
  await page.keyboard.press('Escape');
  await page.locator(tid('filter-split')).selectOption('');
}

/** The errors panel lists the engine's per-item errors: same total, same first file and reason. */
export async function showErrors(d: Driver, info: ProjectInfo): Promise<void> {
  const { page } = d;
  await page.locator(tid('errors-toggle')).click();
  const panel = page.locator(tid('errors-panel'));
  await panel.waitFor();
  await expect.poll(async () => num(await panel.locator(tid('errors-total')).textContent())).toBe(info.totals.errors);
  const page0 = await d.call('dataset.errors', { offset: 0, limit: 100 });
  expect(await panel.locator(tid('error-row')).count()).toBe(page0.items.length);
  if (page0.items.length > 0) {
    expect(await panel.locator(tid('error-file')).first().textContent()).toBe(page0.items[0].file);
    expect(await panel.locator(tid('error-reason')).first().textContent()).toBe(page0.items[0].reason);
  }
  await page.locator(tid('errors-toggle')).click();
  await panel.waitFor({ state: 'detached' });
}

/**
 * Registers the whole scenario as the tests of the calling `describe`, one step each, on the
 * session `driver()` returns once the suite's beforeAll opened it (web host or Electron).
 */
export function datasetScenarioTests(driver: () => Driver): void {
  let info: ProjectInfo;
  // The first demo generates and imports the dataset: minutes on a loaded two-core machine.
  it('opens the demo project from the start screen and waits for its import', async () => {
    info = await openDemo(driver());
  }, 420_000);
  it('shows the same counts per category and defect type as project.info', async () => {
    await expectCountsMatch(driver(), info, info.totals.normal + info.totals.anomaly);
  });
  it('loads thumbnails and scrolls the grid to the last image', async () => {
    await browseGrid(driver(), info);
  });
  it('filters to anomalies and to one defect type', async () => {
    await filterGrid(driver(), info);
  });
  it('opens an image, overlays its mask, zooms and steps with the arrow keys', async () => {
    await viewImages(driver());
  });
  it('moves an anomaly between the few-shot and held-out sets', async () => {
    await moveBetweenSplits(driver());
  });
  it('lists the per-item errors the engine reports', async () => {
    await showErrors(driver(), info);
  });
}
