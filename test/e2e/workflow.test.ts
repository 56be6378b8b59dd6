/**
 * The workflow around the stages, as a new user meets it (issue 12): a damaged app file or a
 * failing screen never blanks the window, a failed request is reported where the user acted,
 * a finished job says what to do next, and one category choice holds on every screen.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobList, openWebSession, projectInfo, tempDir, trackFailures, type WebSession } from './fixtures';
import { writeTinyDataset } from './tiny-dataset';

const tid = (id: string) => `[data-testid="${id}"]`;

describe('Workflow integrity in Chromium through the web host', () => {
  let s: WebSession | undefined;
  let work: string;
  let categoryId = 0;
  trackFailures(() => s);

  beforeAll(async () => {
    work = tempDir('workflow-data');
    await writeTinyDataset(join(work, 'dataset'));
    s = await openWebSession('workflow-web');
  });
  afterAll(async () => {
    await s?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('starts with a damaged recent-projects.json: the list it could read, and a warning naming the file', async () => {
    const { page } = s!;
    const file = join(s!.userDataDir, 'recent-projects.json');
    writeFileSync(file, JSON.stringify([{ dir: '/projects/odd', name: { text: 'odd' }, openedAt: '2025-01-01T00:00:00.000Z' }, { dir: '/projects/line-3', name: 'line 3', openedAt: '2025-01-02T00:00:00.000Z' }]));
    s!.pageErrors.length = 0;
    await page.reload();
    await page.locator(tid('start-screen')).waitFor();
    await expect.poll(async () => page.locator(tid('recent-warning')).textContent()).toContain(file);
    expect(await page.locator(`${tid('recent-projects')} ${tid('recent-project')}`).allTextContents()).toEqual([expect.stringContaining('line 3')]);
    expect(s!.pageErrors.filter((e) => /React error|uncaught/i.test(e))).toEqual([]);
  });

  it('reports a dataset folder that does not exist on the start screen, and creates no project', async () => {
    const { page } = s!;
    const missing = join(work, 'no-such-dataset');
    const projectDir = join(work, 'typo-project');
    await page.locator(tid('import-source')).fill(missing);
    await page.locator(tid('import-project-dir')).fill(projectDir);
    await page.locator(tid('import-start')).click();
    await expect.poll(async () => page.locator(tid('start-error')).textContent()).toContain(`dataset folder not found: ${missing}`);
    expect(await page.locator(tid('project-shell')).count()).toBe(0);
    expect((await s!.call('app.info', {})).project).toBeNull();
    expect(existsSync(projectDir)).toBe(false);
    // What the user typed stays, so the typo can be fixed in place.
    expect(await page.locator(tid('import-source')).inputValue()).toBe(missing);
  });

  it('says that the import finished with the next step, which opens Clusters', async () => {
    const { page } = s!;
    await page.locator(tid('import-source')).fill(join(work, 'dataset'));
    await page.locator(tid('import-layout')).selectOption('mvtec');
    await page.locator(tid('import-project-dir')).fill(join(work, 'project'));
    await page.locator(tid('import-start')).click();
    await page.locator(tid('project-shell')).waitFor();
    await expect.poll(async () => (await jobList(s!)).map((j) => j.status), { timeout: 60_000 }).toEqual(['done']);
    const row = page.locator(`${tid('job')}[data-kind="import"]`);
    await expect.poll(async () => row.locator(tid('job-finished')).textContent(), { timeout: 20_000 }).toBe('Import finished');
    expect(await row.locator(tid('job-next')).textContent()).toBe('Cluster now');
    expect(await row.locator(tid('job-eta')).count()).toBe(0);
    await row.locator(tid('job-next')).click();
    await page.locator(tid('clusters-page')).waitFor();
    await row.waitFor({ state: 'detached' });
    categoryId = (await projectInfo(s!)).categories[0].id;
  });

  it('keeps one category choice: picked on Clusters, it is the header’s and the Regions screen’s', async () => {
    const { page } = s!;
    await page.locator(tid('clusters-pick-category')).waitFor();
    expect(await page.locator(tid('category-picker')).inputValue()).toBe('');
    await page.locator(`${tid('clusters-pick-category')} ${tid('stage-category')}`).selectOption(String(categoryId));
    await page.locator(`${tid('clusters-page')}[data-category-id="${categoryId}"]`).waitFor();
    expect(await page.locator(tid('category-picker')).inputValue()).toBe(String(categoryId));
    await page.locator(tid('nav-regions')).click();
    await page.locator(`${tid('regions-page')}[data-category-id="${categoryId}"]`).waitFor();
    expect(await page.locator(tid('regions-pick-category')).count()).toBe(0);
    // Back to "all" in the header: every stage that needs one category asks again.
    await page.locator(tid('category-picker')).selectOption('');
    await page.locator(tid('regions-pick-category')).waitFor();
    await page.locator(tid('nav-masks')).click();
    await page.locator(tid('masks-pick-category')).waitFor();
  });

  it('shows a screen that fails to render with its message and a way back, the rest of the window working', async () => {
    const { page } = s!;
    // An engine answer the screen cannot draw (a cluster whose name is not text) stands in for any render bug.
    await page.route('**/api/clusters.get', async (route) => {
      const real = await route.fetch();
      const body = (await real.json()) as { ok: boolean; result: { clusters: unknown[] } };
      body.result.clusters = [{ id: 1, name: { text: 'odd' }, size: 0, locked: false, kind: 'structural', rule: { mode: 'learned', region: null }, ch: null, db: null, nodeId: null, members: [] }];
      await route.fulfill({ response: real, json: body });
    });
    s!.pageErrors.length = 0;
    await page.locator(tid('category-picker')).selectOption(String(categoryId));
    await page.locator(tid('nav-clusters')).click();
    await page.locator(tid('screen-error')).waitFor();
    expect(await page.locator(tid('screen-error')).textContent()).toContain('The Clusters screen stopped working');
    expect(await page.locator(tid('screen-error-message')).textContent()).toMatch(/\S/);
    await page.locator(tid('project-shell')).waitFor();
    await page.unroute('**/api/clusters.get');
    await page.locator(tid('screen-error-back')).click();
    await page.locator(tid('dataset-page')).waitFor();
    await page.locator(tid('nav-clusters')).click();
    await page.locator(`${tid('clusters-page')}[data-category-id="${categoryId}"]`).waitFor();
    expect(await page.locator(tid('screen-error')).count()).toBe(0);
  });
});
