import { describe, expect, it } from 'vitest';
import type { JobFinished, JobInfo, JobProgress } from '../../../src-main/api/contract';
import { anyActive, endedCount, JobStore, stageJobs, type JobEvent } from '../../../src-renderer/src/state/jobStore';

/** A job table and event stream the test drives by hand: each `jobs.list` answers when told to. */
class FakeEngine {
  table: JobInfo[] = [];
  reads: { answer(list?: JobInfo[]): Promise<void>; fail(): Promise<void> }[] = [];
  private progressListeners = new Set<(p: JobProgress) => void>();
  private finishedListeners = new Set<(f: JobFinished) => void>();
  readonly source = {
    list: () =>
      new Promise<JobInfo[]>((resolve, reject) => {
        const settle = async (f: () => void) => {
          f();
          // Let the store's continuation run before the test looks.
          await new Promise((r) => setTimeout(r, 0));
        };
        this.reads.push({ answer: (list = this.table) => settle(() => resolve(structuredClone(list))), fail: () => settle(() => reject(new Error('no project'))) });
      }),
    onProgress: (l: (p: JobProgress) => void) => {
      this.progressListeners.add(l);
      return () => this.progressListeners.delete(l);
    },
    onFinished: (l: (f: JobFinished) => void) => {
      this.finishedListeners.add(l);
      return () => this.finishedListeners.delete(l);
    },
  };
  progress(p: Partial<JobProgress> & { jobId: number }): void {
    const full: JobProgress = { kind: 'synth', done: 0, total: 10, failed: 0, etaMs: null, message: '', ...p };
    for (const l of this.progressListeners) l(full);
  }
  finished(f: { jobId: number; kind?: JobFinished['kind']; status?: JobFinished['status']; error?: string | null; result?: unknown }): void {
    // Hand-made outcomes with partial results: the store passes `result` through untouched.
    const full = { kind: 'synth', status: 'done', error: null, result: null, ...f } as JobFinished;
    for (const l of this.finishedListeners) l(full);
  }
  /** Answers every read that is out, oldest first. */
  async answerAll(): Promise<void> {
    while (this.reads.length) await this.reads.shift()!.answer();
  }
}

const row = (id: number, over: Partial<JobInfo> = {}): JobInfo => ({
  id,
  kind: 'synth',
  status: 'running',
  done: 0,
  total: 10,
  failed: 0,
  params: { categoryId: 1 },
  error: null,
  createdAt: '',
  updatedAt: '',
  ...over,
});

function open(table: JobInfo[] = []) {
  const engine = new FakeEngine();
  engine.table = table;
  const store = new JobStore(engine.source);
  store.scope('/projects/a');
  return { engine, store, job: (id: number) => store.getSnapshot().byId.get(id) };
}

describe('the job store', () => {
  it('reads the open project’s job table, newest job first', async () => {
    const { engine, store } = open([row(1, { status: 'done', done: 10 }), row(2)]);
    await engine.answerAll();
    expect(store.getSnapshot().list.map((j) => [j.jobId, j.status])).toEqual([
      [2, 'running'],
      [1, 'done'],
    ]);
  });

  it('shows a job started elsewhere from its first progress, and reads the table once to learn what it works on', async () => {
    const { engine, store, job } = open();
    await engine.answerAll();
    engine.progress({ jobId: 5, done: 2, message: 'pair 2 of 10' });
    engine.progress({ jobId: 5, done: 3, message: 'pair 3 of 10' });
    expect(job(5)).toMatchObject({ status: 'running', done: 3, message: 'pair 3 of 10', params: null });
    // One read for the unknown job, however many of its events arrive before it answers.
    expect(engine.reads).toHaveLength(1);
    // Not yet known to be this category's: a stage screen does not list it.
    expect(stageJobs(store.getSnapshot(), 'synth', 1)).toEqual([]);
    engine.table = [row(5, { done: 3, params: { categoryId: 1 } })];
    await engine.answerAll();
    expect(stageJobs(store.getSnapshot(), 'synth', 1).map((j) => j.jobId)).toEqual([5]);
    // The running job keeps the message and ETA its events gave; the table holds neither.
    expect(job(5)?.message).toBe('pair 3 of 10');
  });

  it('keeps a progress newer than a table read that was already on its way', async () => {
    const { engine, job } = open();
    engine.table = [row(3, { done: 1 })];
    // The scope's read is out; progress arrives before it answers.
    engine.progress({ jobId: 3, done: 4 });
    await engine.answerAll();
    expect(job(3)?.done).toBe(4);
    expect(job(3)?.params).toEqual({ categoryId: 1 });
  });

  it('takes a job’s final counts from the table after it finishes, keeping what the finish reported', async () => {
    const { engine, store, job } = open([row(7, { done: 4 })]);
    await engine.answerAll();
    // A read goes out while the job still runs; then the job progresses and finishes.
    void store.reload();
    const before = engine.reads.shift()!;
    engine.progress({ jobId: 7, done: 9 });
    engine.finished({ jobId: 7, status: 'done', result: { made: 10, failed: 0 } });
    expect(job(7)).toMatchObject({ status: 'done', done: 9, etaMs: null, result: { made: 10, failed: 0 } });
    // The row read before the finish says "running": it does not undo the finish.
    await before.answer([row(7, { done: 4 })]);
    expect(job(7)).toMatchObject({ status: 'done', done: 9 });
    // The read the finish asked for holds the final counts.
    expect(engine.reads).toHaveLength(1);
    await engine.reads.shift()!.answer([row(7, { status: 'done', done: 10 })]);
    expect(job(7)).toMatchObject({ status: 'done', done: 10, result: { made: 10, failed: 0 } });
  });

  it('remembers a job that finished before the request that started it answered', async () => {
    const { engine, job } = open();
    await engine.answerAll();
    engine.finished({ jobId: 12, kind: 'export', status: 'done', result: { root: '/out' } });
    // The table read the finish asked for has not answered: the event alone says how it ended.
    expect(job(12)).toMatchObject({ kind: 'export', status: 'done', result: { root: '/out' } });
  });

  it('forgets the jobs of a closed project and reads the table of the next one', async () => {
    const { engine, store } = open([row(1), row(2)]);
    await engine.answerAll();
    store.scope(null);
    expect(store.getSnapshot().list).toEqual([]);
    expect(engine.reads).toHaveLength(0);
    engine.table = [row(1, { kind: 'import', status: 'done' })];
    store.scope('/projects/b');
    await engine.answerAll();
    expect(store.getSnapshot().list.map((j) => [j.jobId, j.kind])).toEqual([[1, 'import']]);
  });

  it('drops a table read that answers after the project changed', async () => {
    const { engine, store } = open([row(1), row(2)]);
    const stale = engine.reads.shift()!;
    store.scope('/projects/b');
    await stale.answer();
    expect(store.getSnapshot().list).toEqual([]);
    await engine.reads.shift()!.answer([row(9)]);
    expect(store.getSnapshot().list.map((j) => j.jobId)).toEqual([9]);
  });

  it('keeps what events said when the table cannot be read', async () => {
    const { engine, job } = open();
    engine.progress({ jobId: 4, kind: 'import', done: 2 });
    for (const r of engine.reads.splice(0)) await r.fail();
    expect(job(4)).toMatchObject({ kind: 'import', done: 2 });
  });

  it('answers a reload asked while a read is out only after a read asked after it', async () => {
    const { engine, store, job } = open([row(1)]);
    let seen = false;
    const reloaded = store.reload().then(() => {
      seen = true;
    });
    engine.table = [row(1), row(2)];
    await engine.reads.shift()!.answer([row(1)]);
    expect(seen).toBe(false);
    // Two more reloads while the first is out share one further read.
    void store.reload();
    void store.reload();
    expect(engine.reads).toHaveLength(1);
    await engine.answerAll();
    await reloaded;
    expect(seen).toBe(true);
    expect(job(2)).toBeDefined();
  });

  it('tells event listeners after the store has applied the event', async () => {
    const { engine, store } = open();
    await engine.answerAll();
    const seen: [JobEvent['type'], string | undefined][] = [];
    const off = store.onEvent((e) => {
      const id = e.type === 'progress' ? e.progress.jobId : e.finished.jobId;
      seen.push([e.type, store.getSnapshot().byId.get(id)?.status]);
    });
    engine.progress({ jobId: 1 });
    engine.finished({ jobId: 1, status: 'failed', error: 'disk full' });
    off();
    engine.progress({ jobId: 2 });
    expect(seen).toEqual([
      ['progress', 'running'],
      ['finished', 'failed'],
    ]);
  });

  it('notifies subscribers with a new snapshot on each change and the same one otherwise', async () => {
    const { engine, store } = open();
    await engine.answerAll();
    const before = store.getSnapshot();
    let calls = 0;
    store.subscribe(() => calls++);
    expect(store.getSnapshot()).toBe(before);
    engine.progress({ jobId: 1 });
    expect(calls).toBe(1);
    expect(store.getSnapshot()).not.toBe(before);
  });

  it('selects a stage’s jobs by kind and category, and counts ended and active jobs', async () => {
    const { engine, store } = open([
      row(1, { kind: 'masks', status: 'done', params: { categoryId: 1 } }),
      row(2, { kind: 'synth', status: 'failed', params: { categoryId: 2 } }),
      row(3, { kind: 'synth', status: 'cancelled', params: { categoryId: 1 } }),
      row(4, { kind: 'synth', status: 'queued', params: { categoryId: 1 } }),
      row(5, { kind: 'propagate', status: 'interrupted', params: { categoryId: 1 } }),
    ]);
    await engine.answerAll();
    const s = store.getSnapshot();
    expect(stageJobs(s, 'synth', 1).map((j) => j.jobId)).toEqual([4, 3]);
    expect(stageJobs(s, 'synth', undefined)).toEqual([]);
    expect(endedCount(s)).toBe(3);
    expect(anyActive(s, 'synth')).toBe(true);
    expect(anyActive(s, 'propagate')).toBe(false);
  });
});
