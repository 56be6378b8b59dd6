/**
 * Live job state: the engine's job table (`jobs.list`) merged with the progress and
 * finish events it pushes, so a bar can appear for a job started by any front.
 */
import { useCallback, useEffect, useState } from 'react';
import type { JobInfo, JobProgress } from '../../../src-main/api/contract';
import { api } from '../api';
import { useBusyAction } from './busyAction';

export interface JobView {
  jobId: number;
  kind: string;
  status: JobInfo['status'];
  done: number;
  total: number;
  failed: number;
  etaMs: number | null;
  message: string;
  error: string | null;
}

function fromInfo(j: JobInfo): JobView {
  return { jobId: j.id, kind: j.kind, status: j.status, done: j.done, total: j.total, failed: j.failed, etaMs: null, message: '', error: j.error };
}

function fromProgress(p: JobProgress, prev?: JobView): JobView {
  return { jobId: p.jobId, kind: p.kind, status: 'running', done: p.done, total: p.total, failed: p.failed, etaMs: p.etaMs, message: p.message, error: prev?.error ?? null };
}

export function useJobs(enabled = true): { jobs: JobView[]; reload(): Promise<void> } {
  const [jobs, setJobs] = useState<Map<number, JobView>>(new Map());

  const reload = useCallback(async () => {
    if (!enabled) return;
    try {
      const list = await api.invoke('jobs.list', {});
      setJobs((prev) => {
        const next = new Map<number, JobView>();
        for (const j of list) {
          const live = prev.get(j.id);
          // A progress event can be newer than the table row read a moment ago.
          next.set(j.id, live && live.status === 'running' && j.status === 'running' && live.done > j.done ? live : fromInfo(j));
        }
        return next;
      });
    } catch {
      // No project open: there is no job table to read.
      setJobs(new Map());
    }
  }, [enabled]);

  useEffect(() => {
    void reload();
    const offProgress = api.on('job.progress', (p) =>
      setJobs((prev) => new Map(prev).set(p.jobId, fromProgress(p, prev.get(p.jobId)))),
    );
    const offFinished = api.on('job.finished', (f) =>
      setJobs((prev) => {
        const cur = prev.get(f.jobId);
        const next = new Map(prev);
        next.set(f.jobId, {
          ...(cur ?? { jobId: f.jobId, kind: f.kind, done: 0, total: 0, failed: 0, etaMs: null, message: '' }),
          status: f.status,
          etaMs: null,
          error: f.error,
        });
        return next;
      }),
    );
    return () => {
      offProgress();
      offFinished();
    };
  }, [reload]);

  return { jobs: [...jobs.values()].sort((a, b) => b.jobId - a.jobId), reload };
}

export function formatEta(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m ${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/**
 * Cancel and Resume of one job, for every job control (the job bar, a stage's job strip):
 * one request at a time, the engine's refusal shown, `onChanged` after a success.
 */
export function useJobControls(jobId: number, onChanged: () => void): { busy: boolean; error: string | null; act(action: 'cancel' | 'resume'): void } {
  const { busy, error, run } = useBusyAction();
  const act = (action: 'cancel' | 'resume') =>
    void run(action, async () => {
      if (action === 'cancel') await api.invoke('jobs.cancel', { jobId });
      else await api.invoke('jobs.resume', { jobId });
      onChanged();
    });
  return { busy: busy !== null, error, act };
}
