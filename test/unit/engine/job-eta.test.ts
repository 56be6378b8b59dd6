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

  it('gives no estimate for a job that does not run long enough to show its pace', async () => {
    const seen = await runPaced(3, 5000, 100);
    expect(seen.filter((p) => p.done < 3).every((p) => p.etaMs === null)).toBe(true);
  });
});
