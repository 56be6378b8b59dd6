import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectInfo } from '../../src-main/api/contract';
import { expectCountsMatch, expectResultCount } from './dataset-scenario';
import { importFromStartScreen, openWebSession, projectInfo, tempDir, trackFailures, type WebSession } from './fixtures';
import { TINY, tinyImageFiles, writeTinyDataset } from './tiny-dataset';

const tid = (id: string) => `[data-testid="${id}"]`;

describe('New project from a dataset folder with broken items, through the web host', () => {
  let s: WebSession | undefined;
  let work: string;
  let info: ProjectInfo;
  trackFailures(() => s);

  beforeAll(async () => {
    work = tempDir('import-data');
    await writeTinyDataset(join(work, 'dataset'), { broken: true });
    s = await openWebSession('import-web');
  });
  afterAll(async () => {
    await s?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('imports a dataset typed into the start screen and shows the engine counts', async () => {
    await importFromStartScreen(s!, join(work, 'dataset'), join(work, 'project'));
    info = await projectInfo(s!);
    expect(info.dir).toBe(join(work, 'project'));
    expect(info.categories.map((c) => c.name)).toEqual(['widget']);
    expect(info.totals.normal).toBe(TINY.normal);
    expect(info.totals.errors).toBe(TINY.brokenStems.length);
    expect(info.totals.masks).toBe(TINY.goodAnomalies);
    await expectCountsMatch(s!, info, tinyImageFiles(true));
  });

  it('lists each broken item in the errors panel with its file and reason', async () => {
    const { page } = s!;
    await page.locator(tid('errors-toggle')).click();
    const panel = page.locator(tid('errors-panel'));
    await expect.poll(async () => panel.locator(tid('error-row')).count()).toBe(TINY.brokenStems.length);
    const files = await panel.locator(tid('error-file')).allTextContents();
    const reasons = await panel.locator(tid('error-reason')).allTextContents();
    for (const stem of TINY.brokenStems) expect(files.some((f) => f.includes(`crack/${stem}`))).toBe(true);
    expect(reasons.every((r) => r.trim().length > 0)).toBe(true);
    const engine = await s!.call('dataset.errors', { offset: 0, limit: 100 });
    expect(files).toEqual(engine.items.map((e) => e.file));
    expect(reasons).toEqual(engine.items.map((e) => e.reason));
    await page.locator(tid('errors-toggle')).click();
  });

  it('filters to the items with errors, badges them, and shows the reason in the viewer', async () => {
    const { page } = s!;
    const withErrors = await s!.call('dataset.listImages', { hasError: true });
    expect(withErrors.total).toBeGreaterThan(0);
    await page.locator(tid('filter-errors')).check();
    await expectResultCount(page, withErrors.total);
    await page.locator(`${tid('tile')}[data-index="0"]`).waitFor();
    const tiles = page.locator(tid('tile'));
    expect(await tiles.count()).toBe(withErrors.total);
    expect(await page.locator(`${tid('tile')} ${tid('badge-error')}`).count()).toBe(withErrors.total);
    await tiles.first().click();
    const detail = await s!.call('dataset.image', { imageId: withErrors.items[0].id });
    const shown = page.locator(`${tid('meta-errors')} li`);
    await expect.poll(() => shown.count()).toBe(detail.errors.length);
    expect(await shown.first().textContent()).toContain(detail.errors[0].reason);
    await page.keyboard.press('Escape');
  });
});
