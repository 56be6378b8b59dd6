import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterSummary } from '../../src-main/api/contract';
import { writeMvtecFixture } from '../fixtures/mvtec-fixture';
import { jobList, openWebSession, screenshot, trackFailures, until, type WebSession } from './fixtures';

const tid = (id: string) => `[data-testid="${id}"]`;

// Issue 12, item 2 in Chromium: after a cluster's rule changes, Masks shows "N stale" for that
// cluster with one action to redo, and Export says which stale and unscored pairs it leaves out.
describe('stale work in Chromium through the web host', () => {
  let s: WebSession | undefined;
  let categoryId = 0;
  let clusters: ClusterSummary[] = [];
  trackFailures(() => s);

  const waitJobs = () =>
    until(() => jobList(s!), (jobs) => jobs.every((j) => j.status !== 'running' && j.status !== 'queued'), 'the jobs to end', 120_000);

  beforeAll(async () => {
    s = await openWebSession('stale-work-web');
    const fx = await writeMvtecFixture(join(s.userDataDir, 'dataset'), { category: 'board', trainGood: 6, testGood: 1, defects: { crack: 12, hole: 12 }, size: 96 }, false);
    const project = join(s.userDataDir, 'project');
    await s.call('project.create', { dir: project });
    const run = async (p: Promise<{ jobId: number }>) => {
      const { jobId } = await p;
      const j = await until(() => jobList(s!).then((l) => l.find((x) => x.id === jobId)), (x) => x?.status === 'done' || x?.status === 'failed', `job ${jobId}`, 120_000);
      expect(j?.status).toBe('done');
    };
    await run(s.call('dataset.import', { source: fx.root, layout: 'mvtec' }));
    categoryId = (await s.call('project.info', {})).categories[0].id;
    await run(s.call('clusters.run', { categoryId }));
    clusters = (await s.call('clusters.get', { categoryId })).clusters.filter((c) => c.size > 0);
    await run(s.call('masks.generate', { categoryId, count: 4, seed: 1 }));
    await run(s.call('synth.run', { categoryId, perCluster: 4, seed: 1 }));
    // The user changes the first cluster's placement after its masks and pairs were made.
    const a = clusters[0];
    await s.call('clusters.setRule', { clusterId: a.id, kind: a.kind, rule: { ...a.rule, alpha: 0.9 } });
    const { page } = s;
    // The page follows the engine's open project; it is opened from the start screen if it has not.
    await page.reload();
    await page.locator(`${tid('project-shell')}, ${tid('open-path')}`).first().waitFor();
    if (!(await page.locator(tid('project-shell')).isVisible())) {
      await page.locator(tid('open-path')).fill(project);
      await page.locator(tid('open-project')).click();
    }
    await page.locator(tid('project-shell')).waitFor();
  }, 240_000);
  afterAll(async () => {
    await s?.close();
  });

  it('shows the stale masks and pairs of the changed cluster only, and redoes them in one action', async () => {
    const { page } = s!;
    const st = await s!.call('masks.stale', { categoryId });
    const a = st.clusters.find((c) => c.clusterId === clusters[0].id)!;
    expect(a.staleMasks).toBeGreaterThan(0);
    await page.locator(tid('category-picker')).selectOption(String(categoryId));
    await page.locator(tid('nav-masks')).click();
    const row = page.locator(`${tid('masks-cluster')}[data-cluster-id="${a.clusterId}"]`);
    await row.locator(tid('masks-stale')).waitFor();
    expect(await row.locator(tid('masks-stale')).getAttribute('data-stale-masks')).toBe(String(a.staleMasks));
    expect(await row.locator(tid('masks-stale')).getAttribute('data-stale-pairs')).toBe(String(a.stalePairs));
    expect(await row.locator(tid('masks-redo-stale')).textContent()).toBe(`Redo ${a.staleMasks} masks and ${a.stalePairs} pairs`);
    // No other cluster is flagged.
    expect(await page.locator(tid('masks-stale')).count()).toBe(1);
    await screenshot(page, 'stale-masks', { docs: true });

    // Export lists what it leaves out before it writes: the stale pairs and (nothing is scored) the unscored ones.
    await page.locator(tid('nav-export')).click();
    const work = page.locator(tid('export-left-out-work'));
    await work.waitFor();
    const total = st.clusters.reduce((n, c) => n + c.pairs, 0);
    expect(await work.getAttribute('data-unscored')).toBe(String(total));
    await page.locator(tid('export-selection-all')).click();
    await expect.poll(() => work.getAttribute('data-stale')).toBe(String(a.stalePairs));
    expect(await work.getAttribute('data-unscored')).toBe('0');
    expect(await page.locator(tid('export-left-out-stale')).textContent()).toContain(`${a.stalePairs} stale pairs left out`);
    await screenshot(page, 'export-left-out', { docs: true });

    await page.locator(tid('nav-masks')).click();
    await row.locator(tid('masks-redo-stale')).click();
    await waitJobs();
    await expect.poll(() => row.locator(tid('masks-stale')).count(), { timeout: 20_000 }).toBe(0);
    const after = (await s!.call('masks.stale', { categoryId })).clusters.find((c) => c.clusterId === a.clusterId)!;
    expect(after).toMatchObject({ staleMasks: 0, stalePairs: 0, masks: a.masks });
  });
});
