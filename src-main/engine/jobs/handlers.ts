/** jobs.*: list, cancel and resume the project's jobs. */
import { ApiError } from '../../api/contract';
import { getJob, listJobs } from '../../store/jobs';
import type { EngineContext, NamespaceHandlers } from '../context';
import { jobKinds } from './kinds';

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
      ctx.runner().resume(a.jobId, jobKinds[j.kind](ctx.session(), j.params));
      return { jobId: a.jobId };
    },
  };
}
