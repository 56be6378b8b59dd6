import { mkdirSync, mkdtempSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDemoDataset } from '../fixtures/demo';
import { writeMvtecFixture } from '../fixtures/mvtec-fixture';
import { jobList, openWebSession, screenshot, trackFailures, until, type WebSession } from './fixtures';

const tid = (id: string) => `[data-testid="${id}"]`;

// Issue 12, item 9 in Chromium: folders are chosen in the host's folder browser (inside the
// user's home) as well as typed; "Open demo project" runs every stage with one progress bar.
describe('the start screen in Chromium through the web host', () => {
  let s: WebSession | undefined;
  let home = '';
  const oldHome = process.env.HOME;
  trackFailures(() => s);

  beforeAll(async () => {
    // The host browses the home folder of the user it runs as: a home of the test's own.
    home = realpathSync(mkdtempSync(join(tmpdir(), 'gaa-home-')));
    process.env.HOME = home;
    await writeMvtecFixture(join(home, 'datasets', 'more'), { category: 'widget', trainGood: 4, testGood: 1, defects: { crack: 3 }, size: 48 }, false);
    mkdirSync(join(home, '.hidden'));
    s = await openWebSession('start-screen-web');
    const shared = await sharedDemoDataset();
    mkdirSync(join(s.userDataDir, 'demo'), { recursive: true });
    symlinkSync(dirname(shared.root), join(s.userDataDir, 'demo', 'dataset'), 'dir');
  }, 240_000);
  afterAll(async () => {
    process.env.HOME = oldHome;
    await s?.close();
  });

  it('chooses the dataset folder in the folder browser, which stays inside the home folder', async () => {
    const { page } = s!;
    await page.locator(tid('start-screen')).waitFor();
    await page.locator(tid('import-source-browse')).click();
    const browser = page.locator(tid('folder-browser'));
    await browser.waitFor();
    await expect.poll(() => browser.getAttribute('data-dir')).toBe(home);
    // Visible folders first, hidden ones after; no way up from home.
    const names = await page.locator(tid('folder-entry')).evaluateAll((els) => els.map((e) => e.getAttribute('data-name')!));
    // (Chromium, started with this HOME, adds its own hidden folders there.)
    expect(names[0]).toBe('datasets');
    expect(names).toContain('.hidden');
    expect(names.slice(1).every((n) => n.startsWith('.'))).toBe(true);
    expect(await page.locator(tid('folder-up')).count()).toBe(0);
    await page.locator(`${tid('folder-entry')}[data-name="datasets"]`).click();
    await expect.poll(() => browser.getAttribute('data-dir')).toBe(join(home, 'datasets'));
    await page.locator(`${tid('folder-entry')}[data-name="more"]`).click();
    await expect.poll(() => browser.getAttribute('data-dir')).toBe(join(home, 'datasets', 'more'));
    await screenshot(page, 'folder-browser', { docs: true });
    await page.locator(tid('folder-choose')).click();
    await browser.waitFor({ state: 'detached' });
    expect(await page.locator(tid('import-source')).inputValue()).toBe(join(home, 'datasets', 'more'));
    // The host lists nothing outside home, whatever the page asks for.
    await expect(s!.call('system.folders', { dir: '/' })).rejects.toThrow(/inside your home folder/);
    await expect(s!.call('system.folders', { dir: join(home, '..') })).rejects.toThrow(/inside your home folder/);
  });

  it('opens the demo project and runs every stage after the import, with one progress bar over the stages', async () => {
    const { page } = s!;
    await page.locator(tid('open-demo')).click();
    await page.locator(tid('project-shell')).waitFor({ timeout: 120_000 });
    const bar = page.locator(tid('demo-progress'));
    await bar.waitFor();
    const total = Number(await bar.getAttribute('data-total'));
    // Past the import the bar counts every stage: clustering, regions, masks, pairs, scores per category.
    await expect.poll(async () => Number(await bar.getAttribute('data-index')), { timeout: 300_000 }).toBeGreaterThanOrEqual(2);
    expect(Number(await bar.getAttribute('data-total'))).toBeGreaterThan(Math.max(total, 5));
    expect(await page.locator(tid('demo-stage')).textContent()).toMatch(/^Stage \d+ of \d+: /);
    await screenshot(page, 'demo-progress', { docs: true });
    // The stages are the app's own jobs: clustering has run.
    const jobs = await until(() => jobList(s!), (l) => l.some((j) => j.kind === 'cluster' && j.status === 'done'), 'the clustering', 120_000);
    expect(jobs.find((j) => j.kind === 'import')?.status).toBe('done');
  }, 600_000);
});
