/**
 * The clusters review scenario (METHOD.md §1 "Review"), written against a Driver so the web
 * host and the Electron app can run the same steps. Every check reads the engine through a
 * separate `clusters.get` call, never the screen's own state.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { ClusterState } from '../../src-main/api/contract';
import { projectInfo, type Driver } from './fixtures';

const tid = (id: string) => `[data-testid="${id}"]`;
const card = (page: Page, clusterId: number) => page.locator(`${tid('cluster-card')}[data-cluster-id="${clusterId}"]`);

export const clustersOf = (d: Driver, categoryId: number): Promise<ClusterState> => d.call('clusters.get', { categoryId });

/** What a review must preserve: which clusters exist, their names, locks and members. */
export function partition(s: ClusterState): { id: number; name: string; locked: boolean; members: number[] }[] {
  return s.clusters
    .map((c) => ({ id: c.id, name: c.name, locked: c.locked, members: c.members.map((m) => m.imageId).sort((a, b) => a - b) }))
    .sort((a, b) => a.id - b.id);
}

const clusterOfImage = (s: ClusterState, imageId: number) => s.clusters.find((c) => c.members.some((m) => m.imageId === imageId));

/** Header category → Clusters screen → "Run clustering"; returns the category id and the engine's state once cards show. */
export async function runFirstClustering(d: Driver, category: string): Promise<{ categoryId: number; state: ClusterState }> {
  const { page } = d;
  const info = await projectInfo(d);
  const cat = info.categories.find((c) => c.name === category);
  if (!cat) throw new Error(`no category ${category} in ${info.categories.map((c) => c.name).join(', ')}`);
  await page.locator(tid('nav-clusters')).click();
  // Clustering is per category: with "all categories" in the header the screen asks for one.
  if ((await page.locator(tid('category-picker')).inputValue()) === '') await page.locator(tid('clusters-pick-category')).waitFor();
  await page.locator(tid('category-picker')).selectOption(String(cat.id));
  await page.locator(`${tid('clusters-page')}[data-category-id="${cat.id}"]`).waitFor();
  await page.locator(tid('clusters-empty')).waitFor();
  await page.locator(tid('clusters-run')).click();
  await page.locator(tid('cluster-card')).first().waitFor({ timeout: 120_000 });
  const state = await clustersOf(d, cat.id);
  expect(state.run).not.toBeNull();
  await expect.poll(() => page.locator(tid('cluster-card')).count()).toBe(state.clusters.length);
  // Every few-shot anomaly is in exactly one cluster after a first run.
  const members = state.clusters.flatMap((c) => c.members.map((m) => m.imageId));
  expect(new Set(members).size).toBe(members.length);
  expect(members.length).toBe(cat.counts.fewShot);
  expect(state.unassigned).toEqual([]);
  return { categoryId: cat.id, state };
}

/** Selects two cards (click, Ctrl+click), presses Merge; the engine then holds their union under the first. */
export async function mergeTwo(d: Driver, categoryId: number, before: ClusterState): Promise<ClusterState> {
  const { page } = d;
  expect(before.clusters.length).toBeGreaterThanOrEqual(3);
  const [a, b] = before.clusters;
  await card(page, a.id).locator(tid('cluster-size')).click();
  await card(page, b.id).locator(tid('cluster-size')).click({ modifiers: ['Control'] });
  await expect.poll(() => page.locator(`${tid('cluster-card')}[data-selected="true"]`).count()).toBe(2);
  await page.locator(tid('clusters-merge')).click();
  await card(page, b.id).waitFor({ state: 'detached' });
  const after = await clustersOf(d, categoryId);
  expect(after.clusters.length).toBe(before.clusters.length - 1);
  const merged = after.clusters.find((c) => c.id === a.id);
  const union = [...a.members, ...b.members].map((m) => m.imageId).sort((x, y) => x - y);
  expect(merged?.members.map((m) => m.imageId).sort((x, y) => x - y)).toEqual(union);
  expect(after.canUndo).toBe(true);
  return after;
}

/** Drags one member crop onto another card; the engine then has it there, marked as placed by hand. */
export async function dragMember(d: Driver, categoryId: number, before: ClusterState): Promise<{ imageId: number; toClusterId: number; state: ClusterState }> {
  const { page } = d;
  const from = before.clusters.find((c) => c.members.length >= 2) ?? before.clusters[0];
  const to = before.clusters.find((c) => c.id !== from.id)!;
  const imageId = from.members[0].imageId;
  const source = card(page, from.id).locator(`${tid('member')}[data-image-id="${imageId}"]`);
  await source.dragTo(card(page, to.id).locator(tid('card-head')));
  await card(page, to.id).locator(`${tid('member')}[data-image-id="${imageId}"][data-manual="true"]`).waitFor();
  const after = await clustersOf(d, categoryId);
  const placed = clusterOfImage(after, imageId);
  expect(placed?.id).toBe(to.id);
  expect(placed?.members.find((m) => m.imageId === imageId)?.manual).toBe(true);
  return { imageId, toClusterId: to.id, state: after };
}

/** Locks a cluster from its card; the engine reports it locked. */
export async function lockCluster(d: Driver, categoryId: number, clusterId: number): Promise<ClusterState> {
  const { page } = d;
  await card(page, clusterId).locator(tid('cluster-lock')).click();
  await card(page, clusterId).and(page.locator('[data-locked="true"]')).waitFor();
  const after = await clustersOf(d, categoryId);
  expect(after.clusters.find((c) => c.id === clusterId)?.locked).toBe(true);
  return after;
}

/** Drags a member onto a locked card: the screen shows the engine's refusal and nothing moves. */
export async function dropOnLocked(d: Driver, categoryId: number, before: ClusterState, lockedId: number): Promise<void> {
  const { page } = d;
  const from = before.clusters.find((c) => c.id !== lockedId && !c.locked)!;
  const imageId = from.members[0].imageId;
  await card(page, from.id).locator(`${tid('member')}[data-image-id="${imageId}"]`).dragTo(card(page, lockedId).locator(tid('card-head')));
  await expect.poll(async () => (await page.locator(tid('clusters-error')).textContent()) ?? '').toMatch(/locked/);
  expect(partition(await clustersOf(d, categoryId))).toEqual(partition(before));
}

/** Re-runs from the toolbar and waits for the engine's new run and for the screen to show it. */
export async function rerun(d: Driver, categoryId: number, before: ClusterState): Promise<ClusterState> {
  const { page } = d;
  await page.locator(tid('clusters-rerun')).click();
  const after = await expect
    .poll(async () => (await clustersOf(d, categoryId)).run?.id, { timeout: 120_000, interval: 500 })
    .not.toBe(before.run?.id)
    .then(() => clustersOf(d, categoryId));
  await expect.poll(async () => (await page.locator(tid('run-info')).textContent()) ?? '', { timeout: 30_000 }).toContain(`run #${after.run!.id}`);
  return after;
}

/** Double-click the name, type, Enter: the engine has the new name. */
export async function renameInline(d: Driver, categoryId: number, clusterId: number, name: string): Promise<void> {
  const { page } = d;
  await card(page, clusterId).locator(tid('cluster-name')).dblclick();
  const input = card(page, clusterId).locator(tid('cluster-name-input'));
  await input.fill(name);
  await input.press('Enter');
  await input.waitFor({ state: 'detached' });
  await expect.poll(async () => (await clustersOf(d, categoryId)).clusters.find((c) => c.id === clusterId)?.name).toBe(name);
  await expect.poll(() => card(page, clusterId).getAttribute('data-name')).toBe(name);
}

/** Hovering a dot previews its member; a lasso around the whole plot selects every dot. */
export async function hoverAndLasso(d: Driver, state: ClusterState): Promise<void> {
  const { page } = d;
  const dot = page.locator(tid('scatter-dot')).first();
  const imageId = Number(await dot.getAttribute('data-image-id'));
  const member = [...state.clusters.flatMap((c) => c.members), ...state.unassigned].find((m) => m.imageId === imageId)!;
  await dot.hover();
  await expect.poll(async () => (await page.locator(tid('scatter-preview')).textContent()) ?? '').toContain(member.relPath);
  const box = (await page.locator(`${tid('scatter')} svg`).boundingBox())!;
  const corners: [number, number][] = [
    [box.x + 2, box.y + 2],
    [box.x + box.width - 2, box.y + 2],
    [box.x + box.width - 2, box.y + box.height - 2],
    [box.x + 2, box.y + box.height - 2],
  ];
  await page.mouse.move(...corners[0]);
  await page.mouse.down();
  for (const c of [...corners.slice(1), corners[0]]) await page.mouse.move(c[0], c[1], { steps: 5 });
  await page.mouse.up();
  const dots = await page.locator(tid('scatter-dot')).count();
  expect(dots).toBe(state.scatter.length);
  await expect.poll(() => page.locator(`${tid('member')}[data-selected="true"]`).count()).toBe(dots);
  await page.keyboard.press('Escape');
  await expect.poll(() => page.locator(`${tid('member')}[data-selected="true"]`).count()).toBe(0);
}

/** Click one member, "Move to…" → New cluster: the engine has a new cluster holding just it, placed by hand. */
export async function moveToNewByMenu(d: Driver, categoryId: number, before: ClusterState): Promise<ClusterState> {
  const { page } = d;
  const from = before.clusters.find((c) => !c.locked && c.members.length >= 2)!;
  const imageId = from.members[from.members.length - 1].imageId;
  await card(page, from.id).locator(`${tid('member')}[data-image-id="${imageId}"]`).click();
  await page.locator(tid('clusters-move-to')).selectOption('new');
  await expect.poll(async () => (await clustersOf(d, categoryId)).clusters.length).toBe(before.clusters.length + 1);
  const after = await clustersOf(d, categoryId);
  const fresh = after.clusters.find((c) => !before.clusters.some((b) => b.id === c.id))!;
  expect(fresh.members.map((m) => [m.imageId, m.manual])).toEqual([[imageId, true]]);
  await card(page, fresh.id).waitFor();
  return after;
}

export { card, clusterOfImage, tid };
