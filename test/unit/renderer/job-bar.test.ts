import { describe, expect, it } from 'vitest';
import { barJobs, type JobView } from '../../../src-renderer/src/state/jobStore';

const job = (jobId: number, over: Partial<JobView> = {}): JobView => ({
  jobId,
  kind: 'synth',
  status: 'running',
  done: 0,
  total: 10,
  failed: 0,
  etaMs: null,
  message: '',
  error: null,
  params: { categoryId: 1 },
  result: undefined,
  ...over,
});

/** Newest first, as the store lists them. */
const ids = (list: JobView[], dismissed: number[] = []) => barJobs([...list].sort((a, b) => b.jobId - a.jobId), new Set(dismissed)).map((j) => j.jobId);

describe('the job bar', () => {
  it('keeps a job that failed while the app was open in view after newer jobs start, until dismissed', () => {
    const jobs = [job(1, { kind: 'import', status: 'failed', error: 'dataset folder not found: /nope', result: null }), job(2, { status: 'running' })];
    expect(ids(jobs)).toEqual([2, 1]);
    expect(ids(jobs, [1])).toEqual([2]);
  });

  it('says that the last job finished (while the app was open), with its next step, until dismissed', () => {
    const jobs = [
      job(1, { kind: 'import', status: 'done', done: 10, result: { imported: 10 } }),
      job(2, { kind: 'cluster', status: 'done', done: 10, result: {} }),
      job(3, { kind: 'masks', status: 'done', done: 10, result: {} }),
    ];
    expect(ids(jobs)).toEqual([3]);
    expect(ids(jobs, [3])).toEqual([2]);
  });

  it('leaves out jobs that ended before the app opened, except a failed newest one', () => {
    const old = [job(1, { status: 'done' }), job(2, { status: 'failed', error: 'boom' })];
    expect(ids(old)).toEqual([2]);
    expect(ids([...old, job(3, { status: 'done' })])).toEqual([]);
  });

  it('always shows running, queued, cancelled and interrupted jobs', () => {
    const jobs = [job(1, { status: 'interrupted' }), job(2, { status: 'cancelled' }), job(3, { status: 'queued' }), job(4)];
    expect(ids(jobs, [1, 2, 3, 4])).toEqual([4, 3, 2, 1]);
  });
});
