import { mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterState } from '../../src-main/api/contract';
import { sharedDemoDataset } from '../fixtures/demo';
import {
  card,
  clusterOfImage,
  clustersOf,
  dragMember,
  dropOnLocked,
  hoverAndLasso,
  lockCluster,
  mergeTwo,
  moveToNewByMenu,
  partition,
  renameInline,
  rerun,
  runFirstClustering,
  tid,
} from './clusters-scenario';
import { openDemo } from './dataset-scenario';
import { openWebSession, screenshot, trackFailures, type WebSession } from './fixtures';

describe('Cluster review in Chromium through the web host', () => {
  let s: WebSession | undefined;
  let categoryId = 0;
  let state: ClusterState;
  let moved = { imageId: 0, toClusterId: 0 };
  let lockedId = 0;
  let beforeRerun: ClusterState;
  trackFailures(() => s);

  beforeAll(async () => {
    s = await openWebSession('clusters-web');
    // The demo project reads its dataset from <user data>/demo/dataset: point that at the
    // dataset the other test files share, so only the import runs here, not the generator.
    const shared = await sharedDemoDataset();
    mkdirSync(join(s.userDataDir, 'demo'), { recursive: true });
    symlinkSync(dirname(shared.root), join(s.userDataDir, 'demo', 'dataset'), 'dir');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('opens the demo project from the start screen and waits for its import', async () => {
    await openDemo(s!);
  }, 420_000);

  it('runs the clustering of tile from the Clusters screen and shows one card per cluster', async () => {
    ({ categoryId, state } = await runFirstClustering(s!, 'tile'));
  });

  it('merges two selected clusters into one holding both member sets', async () => {
    const before = state;
    state = await mergeTwo(s!, categoryId, state);
    // The figures follow the merge (issue 12, item 11): the partition's CH/DB and K are the
    // engine's recomputed ones, on the K curve as "now", and the merged card carries them.
    expect(state.partition).not.toBeNull();
    expect(state.partition!.k).toBe(state.clusters.length);
    if (before.partition) expect(state.partition!.ch).not.toBe(before.partition.ch);
    const page = s!.page;
    await expect.poll(() => page.locator(tid('k-curve')).getAttribute('data-now-k')).toBe(String(state.clusters.length));
    expect(Number(await page.locator(tid('partition-figures')).getAttribute('data-ch'))).toBeCloseTo(state.partition!.ch, 6);
    const merged = state.clusters.find((c) => c.id === before.clusters[0].id)!;
    expect(merged.ch).toBeCloseTo(state.partition!.ch, 6);
    expect(await card(page, merged.id).locator(tid('cluster-figures')).textContent()).toBe(`CH ${merged.ch!.toFixed(1)} · DB ${merged.db!.toFixed(2)}`);
  });

  it('opens a member crop in the viewer with its whole image and mask, stepping through its cluster', async () => {
    const page = s!.page;
    const c = state.clusters.find((x) => x.members.length >= 2)!;
    await card(page, c.id).locator(`${tid('member')}[data-image-id="${c.members[1].imageId}"]`).dblclick();
    const viewer = page.locator(tid('viewer'));
    await viewer.waitFor();
    await expect.poll(() => viewer.getAttribute('data-image-id')).toBe(String(c.members[1].imageId));
    expect(await page.locator(tid('viewer-position')).textContent()).toBe(`2 / ${c.members.length}`);
    await page.locator(tid('viewer-mask')).first().waitFor();
    await page.keyboard.press('o');
    await expect.poll(() => page.locator(tid('viewer-mask')).first().getAttribute('data-style')).toBe('outline');
    await screenshot(page, 'clusters-member-viewer', { docs: true });
    await page.keyboard.press('o');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => viewer.getAttribute('data-image-id')).toBe(String(c.members[0].imageId));
    // M is the viewer's mask here, not Merge: the clusters are as they were.
    await page.keyboard.press('m');
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
    expect(partition(await clustersOf(s!, categoryId))).toEqual(partition(state));
  });

  it('moves a member to another cluster by drag and drop and marks it placed by hand', async () => {
    const r = await dragMember(s!, categoryId, state);
    moved = { imageId: r.imageId, toClusterId: r.toClusterId };
    state = r.state;
  });

  it('locks a cluster', async () => {
    const other = state.clusters.find((c) => c.id !== moved.toClusterId && !c.members.some((m) => m.imageId === moved.imageId));
    lockedId = (other ?? state.clusters[0]).id;
    state = await lockCluster(s!, categoryId, lockedId);
  });

  it('refuses a member dropped on the locked cluster and says why', async () => {
    await dropOnLocked(s!, categoryId, state, lockedId);
  });

  it('re-runs and keeps the locked cluster and the hand-placed member where they were', async () => {
    beforeRerun = state;
    const after = await rerun(s!, categoryId, state);
    const lockedBefore = partition(beforeRerun).find((c) => c.id === lockedId)!;
    expect(partition(after).find((c) => c.id === lockedId)).toEqual(lockedBefore);
    const target = beforeRerun.clusters.find((c) => c.id === moved.toClusterId)!;
    const now = clusterOfImage(after, moved.imageId);
    expect({ id: now?.id, name: now?.name }).toEqual({ id: target.id, name: target.name });
    // Every few-shot anomaly is still in exactly one cluster.
    const members = after.clusters.flatMap((c) => c.members.map((m) => m.imageId)).sort((a, b) => a - b);
    expect(members).toEqual(beforeRerun.clusters.flatMap((c) => c.members.map((m) => m.imageId)).sort((a, b) => a - b));
    state = after;
  });

  it('undoes the re-run with Ctrl+Z, restoring the clusters as they were before it', async () => {
    const page = s!.page;
    await page.locator(tid('clusters-page')).click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await expect.poll(async () => partition(await clustersOf(s!, categoryId)), { timeout: 15_000 }).toEqual(partition(beforeRerun));
    // The screen follows: the locked card is there with its name.
    await expect.poll(() => card(page, lockedId).getAttribute('data-name')).toBe(beforeRerun.clusters.find((c) => c.id === lockedId)!.name);
    await expect.poll(() => page.locator(tid('cluster-card')).count()).toBe(beforeRerun.clusters.length);
    // Member crops are cut to the mask's box here (same-origin images can be read back).
    await page.locator(`${tid('crop')}[data-crop="bbox"]`).first().waitFor();
    await expect.poll(() => page.locator(tid('crop-loading')).count(), { timeout: 20_000 }).toBe(0);
    expect(await page.locator(tid('crop-failed')).count()).toBe(0);
    await screenshot(page, 'clusters');
    state = await clustersOf(s!, categoryId);
  });

  it('renames a cluster inline with Enter', async () => {
    await renameInline(s!, categoryId, state.clusters.find((c) => c.id !== lockedId)!.id, 'hole-like pits');
    state = await clustersOf(s!, categoryId);
  });

  it('previews a scatter point on hover and lasso-selects the points it encircles', async () => {
    await hoverAndLasso(s!, state);
  });

  it('moves a selected member to a new cluster from the Move to menu', async () => {
    state = await moveToNewByMenu(s!, categoryId, state);
  });

  it('flags exactly the clusters under 3 members as small', async () => {
    // The cluster the member was moved into has one member: flagged; so is any other under 3.
    expect(state.clusters.some((c) => c.size === 1)).toBe(true);
    for (const c of state.clusters) {
      await expect.poll(async () => card(s!.page, c.id).locator(tid('cluster-small')).count(), { message: `cluster ${c.name} (${c.size})` }).toBe(c.size < 3 ? 1 : 0);
    }
  });

  it('ran the whole scenario without a CSP violation, console error or uncaught exception', () => {
    expect(s!.pageErrors).toEqual([]);
  });
});
