/** jobs.*: list, cancel, resume and wait for the project's jobs. */
import { ApiError, parseJobParams } from '../../api/contract';
import type { JobKind } from '../../api/types';
import { finishedJob, getJob, listJobs } from '../../store/jobs';
import type { EngineContext, NamespaceHandlers } from '../context';
import { jobKinds } from './kinds';

/** Runs a stored job again from its last committed item, with its stored parameters parsed again by the contract. */
function resumeJob<K extends JobKind>(ctx: EngineContext, jobId: number, kind: K, stored: unknown): void {
  const params = parseJobParams(kind, stored);
  ctx.runner().resume(jobId, kind, jobKinds[kind](ctx.session(), params));
}

export function jobHandlers(ctx: EngineContext): NamespaceHandlers<'jobs'> {
  const job = (id: number) => {
    const j = getJob(ctx.session().db, id);
    if (!j) throw new ApiError('not_found', `no job ${id}`);
    return j;
  };
  return {
    'jobs.list': () => listJobs(ctx.session().db),
    'jobs.cancel': (a) => {
      const before = job(a.jobId);
      ctx.runner().cancel(a.jobId);
      return getJob(ctx.session().db, a.jobId) ?? before;
    },
    'jobs.resume': (a) => {
      const j = job(a.jobId);
      if (ctx.runner().isActive(a.jobId)) throw new ApiError('conflict', `job ${a.jobId} is already running`);
      if (j.status === 'done') throw new ApiError('conflict', `job ${a.jobId} already finished`);
      resumeJob(ctx, a.jobId, j.kind, j.params);
      return { jobId: a.jobId };
    },
    'jobs.wait': async (a) => {
      const j = job(a.jobId);
      const running = ctx.runner().wait(a.jobId);
      if (running) return running;
      const ended = finishedJob(ctx.session().db, a.jobId);
      if (ended) return ended;
      throw new ApiError('conflict', `job ${a.jobId} is ${j.status}: resume it (jobs.resume) to wait for its end`);
    },
  };
}
