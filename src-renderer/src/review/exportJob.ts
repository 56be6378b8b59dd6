/**
 * Follows one export job: its progress events and its end. The engine may push `job.finished`
 * before the request that started the job has answered, so finished exports are remembered
 * from the moment the screen opens and matched by id once it is known.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { JobFinished, RequestArgs } from '../../../src-main/api/contract';
import { api, errorMessage } from '../api';

/** `JobFinished.result` of an export job (src-main/engine/export-job.ts). */
export interface ExportOutcome {
  root: string;
  files: number;
  manifestPath: string;
  /** Pairs per category, then per cluster. */
  counts: Record<string, Record<string, number>>;
  pairs: number;
  normals: number;
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

export function useExportJob(): { state: ExportState; start(args: RequestArgs<'export.run'>): Promise<void>; cancel(): Promise<void> } {
  const [state, setState] = useState<ExportState>({ phase: 'idle' });
  const finished = useRef(new Map<number, JobFinished>());
  const current = useRef<number | null>(null);

  const settle = useCallback((f: JobFinished) => {
    if (f.status === 'done') {
      const outcome = asOutcome(f.result);
      setState(outcome ? { phase: 'done', outcome } : { phase: 'failed', message: 'The export finished without reporting its folder.' });
    } else if (f.status === 'cancelled') setState({ phase: 'cancelled' });
    else setState({ phase: 'failed', message: f.error ?? 'The export failed.' });
  }, []);

  useEffect(() => {
    const offFinished = api.on('job.finished', (f) => {
      if (f.kind !== 'export') return;
      if (f.jobId === current.current) settle(f);
      else finished.current.set(f.jobId, f);
    });
    const offProgress = api.on('job.progress', (p) => {
      if (p.jobId !== current.current) return;
      setState((s) => (s.phase === 'running' ? { ...s, done: p.done, total: p.total, message: p.message } : s));
    });
    return () => {
      offFinished();
      offProgress();
    };
  }, [settle]);

  const start = useCallback(
    async (args: RequestArgs<'export.run'>) => {
      setState({ phase: 'running', jobId: null, done: 0, total: 0, message: 'Starting…' });
      try {
        const { jobId } = await api.invoke('export.run', args);
        current.current = jobId;
        const early = finished.current.get(jobId);
        if (early) settle(early);
        else setState((s) => (s.phase === 'running' ? { ...s, jobId } : s));
      } catch (err) {
        setState({ phase: 'failed', message: errorMessage(err) });
      }
    },
    [settle],
  );

  const cancel = useCallback(async () => {
    const jobId = current.current;
    if (jobId === null) return;
    try {
      await api.invoke('jobs.cancel', { jobId });
    } catch (err) {
      setState({ phase: 'failed', message: errorMessage(err) });
    }
  }, []);

  return { state, start, cancel };
}
