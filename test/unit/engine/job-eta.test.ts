import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobProgress } from '../../../src-main/api/types';
import { JobRunner } from '../../../src-main/engine/jobs/runner';
import { closeDatabase, openDatabase, type Db } from '../../../src-main/store/db';

/**
 * Issue 12, item 10: the first ETA of a region propagation said 10 min for a 90 s job. The model
 * trains for a while before the first image is done, and that setup was counted as the pace.
 */

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gaa-job-eta-'));
  db = openDatabase(join(dir, 'project.gaa.sqlite'));
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(0);
});
afterEach(() => {
  vi.useRealTimers();
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

/** A job of `total` items, each taking `itemMs`, after `setupMs` of work that finishes no item. */
async function runPaced(total: number, setupMs: number, itemMs: number): Promise<{ at: number; done: number; etaMs: number | null }[]> {
  const seen: { at: number; done: number; etaMs: number | null }[] = [];
  const runner = new JobRunner(
    db,
    (p: JobProgress) => seen.push({ at: Date.now(), done: p.done, etaMs: p.etaMs }),
    () => undefined,
  );
  const jobId = runner.start('propagate', {}, async (ctx) => {
    ctx.setTotal(total);
    vi.advanceTimersByTime(setupMs);
    for (let i = 0; i < total; i++) {
      vi.advanceTimersByTime(itemMs);
      ctx.commitItem(`item:${i}`, 'done');
    }
    return null;
  });
  await runner.wait(jobId);
  return seen;
}

describe('the ETA of a job', () => {
  it('is not given until the pace is known, then is close to the time really left, setup excluded', async () => {
    // 60 s of training, then 60 images a second apart: the job's last minute is what is left.
    const seen = await runPaced(60, 60_000, 1000);
    const firstEta = seen.find((p) => p.etaMs !== null && p.done < 60)!;
    expect(firstEta.done).toBeGreaterThanOrEqual(4);
    for (const p of seen.filter((x) => x.etaMs !== null && x.done < 60)) {
      const reallyLeft = (60 - p.done) * 1000;
      expect(Math.abs(p.etaMs! - reallyLeft)).toBeLessThanOrEqual(0.1 * reallyLeft + 1);
    }
    expect(seen.at(-1)!.etaMs).toBe(0);
  });

  it("shows a job's own estimate while its units differ in cost, then the pace of its uniform units", async () => {
    // The scorer's shape: 4 fits of 10 s, then 100 pairs of 200 ms (1 s of the last fit's 10 s is
    // its estimate's error). One pace over both said 6323 s for a 125 s job; see score/time-left.ts.
    const seen: { done: number; etaMs: number | null }[] = [];
    const runner = new JobRunner(db, (p: JobProgress) => seen.push({ done: p.done, etaMs: p.etaMs }), () => undefined);
    const jobId = runner.start('score', {}, async (ctx) => {
      ctx.setTotal(104);
      ctx.estimate(null);
      for (let i = 0; i < 4; i++) {
        vi.advanceTimersByTime(10_000);
        ctx.advance(1);
        // The job's figure: fits left × 10 s + 100 pairs × 0.2 s, plus one second too many.
        ctx.estimate((3 - i) * 10_000 + 20_000 + 1000);
      }
      ctx.paceFromHere();
      for (let i = 0; i < 100; i++) {
        vi.advanceTimersByTime(200);
        ctx.commitItem(`pair:${i}`, 'done');
      }
      return null;
    });
    await runner.wait(jobId);
    // After each fit (the last report at that count): exactly the job's figure, no time having
    // passed since it was given; before it, the fit's report shows the last figure counted down.
    const lastAt = (done: number) => seen.filter((p) => p.done === done).at(-1)!.etaMs;
    expect([1, 2, 3, 4].map(lastAt)).toEqual([51_000, 41_000, 31_000, 21_000]);
    expect(seen.filter((p) => p.done === 2)[0].etaMs).toBe(51_000 - 10_000);
    const pairs = seen.filter((p) => p.done > 4 && p.done < 104);
    // The job's figure counts down until the pairs' own pace is known (3 units over 2 s) ...
    expect(pairs[0].etaMs).toBe(21_000 - 200);
    // ... and from then on the estimate is the time really left, within 10 %.
    const paced = pairs.filter((p) => p.done >= 4 + 1 + 10 + 1);
    expect(paced.length).toBeGreaterThan(50);
    for (const p of paced) {
      const reallyLeft = (104 - p.done) * 200;
      expect(Math.abs(p.etaMs! - reallyLeft)).toBeLessThanOrEqual(0.1 * reallyLeft + 1);
    }
    expect(seen.at(-1)!.etaMs).toBe(0);
  });

  it('gives no estimate for a job that does not run long enough to show its pace', async () => {
    const seen = await runPaced(3, 5000, 100);
    expect(seen.filter((p) => p.done < 3).every((p) => p.etaMs === null)).toBe(true);
  });
});
