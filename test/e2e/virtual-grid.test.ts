import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWebSession, trackFailures, type WebSession } from './fixtures';

const N = 20_000;
const PAGE_LIMIT = 200;
const tid = (id: string) => `[data-testid="${id}"]`;

/**
 * A stand-in for the preload's `window.gaa` serving a 20,000-image project, so the grid's
 * paging and virtualisation can be measured without importing 20,000 files. It records every
 * request the renderer makes.
 */
const fakeApi = `
(() => {
  const N = ${N};
  const calls = [];
  window.__gaaCalls = calls;
  window.__gaaThumbs = [];
  const info = { dir: '/fake', name: 'Twenty thousand', schemaVersion: 1,
    categories: [{ id: 1, name: 'bulk', splitSeed: 0, defectTypes: [],
      counts: { normal: N, anomaly: 0, masks: 0, fewShot: 0, heldOut: 0, errors: 0 } }],
    totals: { normal: N, anomaly: 0, masks: 0, errors: 0 } };
  const summary = (i) => ({ id: i + 1, categoryId: 1, category: 'bulk', kind: 'normal', defectType: 'good', split: 'train',
    relPath: 'bulk/train/good/' + i + '.png', width: 64, height: 48, maskCount: 0, hasError: false });
  window.gaa = {
    async invoke(name, args) {
      calls.push({ name, args });
      switch (name) {
        case 'app.info': return { version: 'test', host: 'web', project: info, recentProjects: [], recentWarning: null, demoDir: '/fake-demo' };
        case 'project.info': return info;
        case 'jobs.list': return [];
        case 'dataset.listImages': {
          const items = [];
          for (let i = args.offset; i < Math.min(N, args.offset + args.limit); i++) items.push(summary(i));
          return { total: N, offset: args.offset, items };
        }
        case 'dataset.image': return { ...summary(args.imageId - 1), sourcePath: '/fake', channels: 1, bitDepth: 8,
          hash: 'f'.repeat(64), masks: [], errors: [], defectConfig: null };
        default: throw new Error('not served in this test: ' + name);
      }
    },
    on() { return () => {}; },
    imageUrl(ref) { window.__gaaThumbs.push(ref.imageId); return 'data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=='; },
  };
})();
`;

interface Call {
  name: string;
  args: { offset?: number; limit?: number };
}

describe('Thumbnail grid over 20,000 images', () => {
  let s: WebSession | undefined;
  trackFailures(() => s);
  const listCalls = async () =>
    ((await s!.page.evaluate(() => (globalThis as unknown as { __gaaCalls: Call[] }).__gaaCalls)) as Call[]).filter(
      (c) => c.name === 'dataset.listImages',
    );

  beforeAll(async () => {
    s = await openWebSession('virtual-grid', { initScript: fakeApi });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('keeps only the visible rows in the page and fetches only the first page', async () => {
    const { page } = s!;
    await page.locator(`${tid('tile')}[data-index="0"]`).waitFor();
    expect(await page.locator(tid('result-count')).textContent()).toBe('20,000');
    expect(await page.locator(tid('tile')).count()).toBeLessThan(300);
    const calls = await listCalls();
    expect(calls.map((c) => c.args.offset)).toEqual([0]);
    expect(calls.every((c) => (c.args.limit ?? 0) <= PAGE_LIMIT)).toBe(true);
  });

  it('fetches the page under the viewport when scrolled to the middle', async () => {
    const { page } = s!;
    await page.locator(tid('thumb-grid')).evaluate((el) => el.scrollTo(0, el.scrollHeight / 2));
    // The middle row holds image ~10,000, which lives on page 10,000 / 200 = 50.
    await page.locator(`${tid('tile')}[data-index="${N / 2}"], ${tid('tile')}[data-index="${N / 2 - 1}"]`).first().waitFor();
    const offsets = new Set((await listCalls()).map((c) => c.args.offset));
    expect(offsets.has(N / 2 - PAGE_LIMIT) || offsets.has(N / 2)).toBe(true);
    expect(offsets.size).toBeLessThanOrEqual(4);
    expect(await page.locator(tid('tile')).count()).toBeLessThan(300);
  });

  it('jumps to the last image with End and opens it with Enter', async () => {
    const { page } = s!;
    await page.locator(tid('thumb-grid')).focus();
    await page.keyboard.press('End');
    await page.locator(`${tid('tile')}[data-index="${N - 1}"]`).waitFor();
    await page.keyboard.press('Enter');
    await page.locator(`${tid('viewer')}[data-image-id="${N}"]`).waitFor();
    expect(await page.locator(tid('viewer-position')).textContent()).toBe(`${N} / ${N}`);
    await page.keyboard.press('ArrowLeft');
    await page.locator(`${tid('viewer')}[data-image-id="${N - 1}"]`).waitFor();
    await page.keyboard.press('Escape');
    const pages = new Set((await listCalls()).map((c) => c.args.offset));
    expect(pages.size).toBeLessThanOrEqual(8);
  });

  it('asks for no thumbnail of the tiles a scrollbar drag passes over, only for those where it stops', async () => {
    const { page } = s!;
    // The page's timers are held from here on (install, then pause: an installed clock runs): a tile asks for its image only after it has been
    // mounted for TILE_IMAGE_DELAY_MS (80 ms), so while the clock stands no tile may ask.
    await page.clock.install();
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000);
    await page.evaluate(() => ((globalThis as unknown as { __gaaThumbs: number[] }).__gaaThumbs = []));
    const grid = page.locator(tid('thumb-grid'));
    const shownIndices = () => page.locator(tid('tile')).evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-index'))));
    for (const at of [0.1, 0.3, 0.5, 0.7]) {
      await grid.evaluate((el, f) => el.scrollTo(0, (el.scrollHeight - el.clientHeight) * f), at);
      // The rows there are in the page, with their captions, before any image is asked for.
      await expect
        .poll(async () => {
          const shown = await shownIndices();
          return Math.min(...shown) >= at * N - 1000 && Math.max(...shown) <= at * N + 1000;
        })
        .toBe(true);
    }
    expect(await page.locator(`${tid('tile')} img`).count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __gaaThumbs: number[] }).__gaaThumbs.length)).toBe(0);
    await page.clock.runFor(100);
    await expect.poll(() => page.locator(`${tid('tile')} img`).count()).toBeGreaterThan(0);
    // Every image asked for belongs to a tile where the drag stopped (ids are index + 1 here).
    const shown = new Set((await shownIndices()).map((i) => i + 1));
    const asked = await page.evaluate(() => (globalThis as unknown as { __gaaThumbs: number[] }).__gaaThumbs);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.filter((id) => !shown.has(id))).toEqual([]);
    expect(Math.min(...asked)).toBeGreaterThan(0.7 * N - 1000);
  });
});
