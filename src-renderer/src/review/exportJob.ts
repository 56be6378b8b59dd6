/**
 * Follows the export job this screen started, as the job store sees it. The engine may push
 * `job.finished` before the request that started the job has answered; the store keeps that
 * job by id, so the end is found once the id is known.
 */
import { useCallback, useMemo, useState } from 'react';
import type { RequestArgs } from '../../../src-main/api/contract';
import { api, errorMessage } from '../api';
import { useJob } from '../state/jobs';
import type { JobView } from '../state/jobStore';

/** `JobFinished.result` of an export job (src-main/engine/export-job.ts). */
export interface ExportOutcome {
  root: string;
  files: number;
  manifestPath: string;
  /** Pairs per category, then per cluster. */
  counts: Record<string, Record<string, number>>;
  pairs: number;
  normals: number;
  /** Held-out normal images written as test/good (absent: an export from before it existed). */
  heldOutNormals?: number;
  /** e.g. an export that holds no synthetic pair (absent: an export from before it existed). */
  warnings?: string[];
}

function asOutcome(result: unknown): ExportOutcome | null {
  const r = result as Partial<ExportOutcome> | null;
  return r && typeof r.root === 'string' && typeof r.counts === 'object' && r.counts !== null ? (r as ExportOutcome) : null;
}

export type ExportState =
  | { phase: 'idle' }
  | { phase: 'running'; jobId: number | null; done: number; total: number; message: string }
  | { phase: 'done'; outcome: ExportOutcome }
  | { phase: 'failed'; message: string }
  | { phase: 'cancelled' };

/** What this screen did: nothing yet, asked for a job, got its id, or had a request refused. */
type Request = { phase: 'idle' } | { phase: 'starting' } | { phase: 'started'; jobId: number } | { phase: 'failed'; message: string };

/** The screen's state from its request and the job as the store has it. */
export function exportState(request: Request, job: JobView | undefined): ExportState {
  if (request.phase === 'idle' || request.phase === 'failed') return request;
  if (request.phase === 'starting') return { phase: 'running', jobId: null, done: 0, total: 0, message: 'Starting…' };
  // A job is over when its finish event arrived (`result` is set then), not when a row says so.
  if (job?.status === 'cancelled') return { phase: 'cancelled' };
  if (job?.status === 'failed') return { phase: 'failed', message: job.error ?? 'The export failed.' };
  if (job?.status === 'done' && job.result !== undefined) {
    const outcome = asOutcome(job.result);
    return outcome ? { phase: 'done', outcome } : { phase: 'failed', message: 'The export finished without reporting its folder.' };
  }
  return { phase: 'running', jobId: request.jobId, done: job?.done ?? 0, total: job?.total ?? 0, message: job?.message || 'Starting…' };
}

export function useExportJob(): { state: ExportState; start(args: RequestArgs<'export.run'>): Promise<void>; cancel(): Promise<void> } {
  const [request, setRequest] = useState<Request>({ phase: 'idle' });
  const job = useJob(request.phase === 'started' ? request.jobId : null);
  const state = useMemo(() => exportState(request, job), [request, job]);

  const start = useCallback(async (args: RequestArgs<'export.run'>) => {
    setRequest({ phase: 'starting' });
    try {
      const { jobId } = await api.invoke('export.run', args);
      setRequest({ phase: 'started', jobId });
    } catch (err) {
      setRequest({ phase: 'failed', message: errorMessage(err) });
    }
  }, []);

  const jobId = request.phase === 'started' ? request.jobId : null;
  const cancel = useCallback(async () => {
    if (jobId === null) return;
    try {
      await api.invoke('jobs.cancel', { jobId });
    } catch (err) {
      setRequest({ phase: 'failed', message: errorMessage(err) });
    }
  }, [jobId]);

  return { state, start, cancel };
}
