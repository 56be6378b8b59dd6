import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../../src-main/api/types';
import { JobRunner } from '../../../src-main/engine/jobs/runner';
import { closeDatabase, openDatabase, type Db } from '../../../src-main/store/db';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gaa-progress-'));
  db = openDatabase(join(dir, 'project.gaa.sqlite'));
});
afterEach(() => {
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

describe('job progress', () => {
  it('never reports more done than the total, even when a job finds more items than it announced', async () => {
    const events: JobProgress[] = [];
    const runner = new JobRunner(db, (p) => events.push(p), () => undefined);
    const jobId = runner.start('masks', {}, async (ctx) => {
      ctx.setTotal(2);
      for (const key of ['a', 'b', 'c']) ctx.commitItem(key, 'done');
      ctx.message('three items after all');
      return null;
    });
    expect((await runner.wait(jobId)!).status).toBe('done');
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(e.done, `${e.done}/${e.total}`).toBeLessThanOrEqual(e.total);
    // The last event counts the three items that were done.
    expect(events.at(-1)).toMatchObject({ done: 3, total: 3 });
  });
});
