import type { ApiClient, JobFinished, JobKind } from '../api/contract';

/** The outcome of a job of kind K, its result typed by the contract. */
export type Finished<K extends JobKind> = Extract<JobFinished, { kind: K }>;

function isKind<K extends JobKind>(f: JobFinished, kind: K): f is Finished<K> {
  return f.kind === kind;
}

/** Waits for a job the CLI started (`jobs.wait`) and checks it is of the kind it started. */
export async function waitForJob<K extends JobKind>(api: ApiClient, kind: K, jobId: number): Promise<Finished<K>> {
  const finished = await api.call('jobs.wait', { jobId });
  if (!isKind(finished, kind)) throw new Error(`job ${jobId} is a ${finished.kind} job, not ${kind}`);
  return finished;
}
