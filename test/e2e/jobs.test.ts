import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectResultCount } from './dataset-scenario';
import { hostCall, jobList, openWebSession, tempDir, trackFailures, type WebSession } from './fixtures';

const tid = (id: string) => `[data-testid="${id}"]`;
const NORMAL_IMAGES = 240;

/** Distinct noise images (the import drops exact duplicates), seeded so runs are identical. */
async function writeNormals(dir: string, count: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  let state = 12345;
  const next = () => ((state = (state * 1103515245 + 12345) >>> 0) >>> 24) & 0xff;
  for (let i = 0; i < count; i++) {
    const px = Buffer.alloc(96 * 96);
    for (let k = 0; k < px.length; k++) px[k] = next();
    await sharp(px, { raw: { width: 96, height: 96, channels: 1 } }).png().toFile(join(dir, `${String(i).padStart(3, '0')}.png`));
  }
}

describe('Import job progress, cancel and resume through the web host', () => {
  let s: WebSession | undefined;
  let work: string;
  trackFailures(() => s);

  beforeAll(async () => {
    work = tempDir('jobs-data');
    await writeNormals(join(work, 'dataset/part/train/good'), NORMAL_IMAGES);
    mkdirSync(join(work, 'dataset/part/test'), { recursive: true });
    s = await openWebSession('jobs-web');
    await s.page.locator(tid('start-screen')).waitFor();
  });
  afterAll(async () => {
    await s?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('shows progress, cancels the running import, then resumes it to completion', async () => {
    const { page } = s!;
    await hostCall(s!.host, 'project.create', { dir: join(work, 'project') });
    await page.locator(tid('project-shell')).waitFor();
    const { jobId } = await hostCall(s!.host, 'dataset.import', { source: join(work, 'dataset'), layout: 'mvtec' });

    const row = page.locator(`${tid('job')}[data-job-id="${jobId}"]`);
    await row.locator(tid('job-cancel')).click();
    await expect.poll(async () => (await jobList(s!)).find((j) => j.id === jobId)?.status, { timeout: 30_000 }).toBe('cancelled');
    const cancelled = (await jobList(s!)).find((j) => j.id === jobId)!;
    expect(cancelled.done).toBeLessThan(NORMAL_IMAGES);
    expect(await row.getAttribute('data-status')).toBe('cancelled');
    expect(num(await row.locator(tid('job-total')).textContent())).toBe(NORMAL_IMAGES);

    await row.locator(tid('job-resume')).click();
    await expect.poll(async () => (await jobList(s!)).find((j) => j.id === jobId)?.status, { timeout: 120_000 }).toBe('done');
    const info = await hostCall(s!.host, 'project.info', {});
    expect(info.totals.normal).toBe(NORMAL_IMAGES);
    await expectResultCount(page, NORMAL_IMAGES);
    // The finished import stays in the bar with its next step until it is dismissed.
    await expect.poll(() => row.getAttribute('data-status')).toBe('done');
    expect(await row.locator(tid('job-finished')).textContent()).toBe('Import finished');
    await row.locator(tid('job-dismiss')).click();
    await row.waitFor({ state: 'detached' });
  });
});

function num(s: string | null): number {
  return Number((s ?? '').replace(/[^0-9]/g, ''));
}
