/**
 * The jobs of one kind for one category (`jobs.list` rows whose params name the category),
 * kept live from the progress and finish events, with the result each finish carried:
 * the engine reports unsatisfiable placements and failed pairs there, not in the job row.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { JobFinished, JobInfo, JobKind } from '../../../src-main/api/contract';
import { api, errorMessage } from '../api';

export interface StageJob {
  jobId: number;
  status: JobInfo['status'];
  done: number;
  total: number;
  failed: number;
  etaMs: number | null;
  message: string;
  error: string | null;
  params: Record<string, unknown>;
}

export interface JobFailures {
  made: number;
  failed: number;
  failures: { reason: string; cluster?: string; index?: number; normalImage?: string | null; alignedMaskId?: number }[];
  shortfall?: { cluster: string; masks: number }[];
}

function readResult(r: unknown): JobFailures | null {
  if (!r || typeof r !== 'object') return null;
  const o = r as Partial<JobFailures>;
  if (typeof o.made !== 'number' || typeof o.failed !== 'number') return null;
  return { made: o.made, failed: o.failed, failures: Array.isArray(o.failures) ? o.failures : [], shortfall: o.shortfall };
}

export function useStageJobs(kind: JobKind, categoryId: number | undefined, onActivity?: () => void) {
  const [jobs, setJobs] = useState<Map<number, StageJob>>(new Map());
  const [results, setResults] = useState<Map<number, JobFailures>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const activity = useRef(onActivity);
  activity.current = onActivity;
  const known = useRef(new Set<number>());

  const reload = useCallback(async () => {
    if (categoryId === undefined) {
      setJobs(new Map());
      return;
    }
    try {
      const list = await api.invoke('jobs.list', {});
      const mine = list.filter((j) => j.kind === kind && j.params.categoryId === categoryId);
      known.current = new Set(list.filter((j) => j.kind === kind).map((j) => j.id));
      setJobs((prev) => {
        const next = new Map<number, StageJob>();
        for (const j of mine) {
          const live = prev.get(j.id);
          const fresher = live && live.status === 'running' && j.status === 'running' && live.done > j.done;
          next.set(j.id, fresher ? live : { jobId: j.id, status: j.status, done: j.done, total: j.total, failed: j.failed, etaMs: null, message: '', error: j.error, params: j.params });
        }
        return next;
      });
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [kind, categoryId]);

  useEffect(() => {
    void reload();
    const offProgress = api.on('job.progress', (p) => {
      if (p.kind !== kind) return;
      setJobs((prev) => {
        const cur = prev.get(p.jobId);
        if (!cur) return prev;
        return new Map(prev).set(p.jobId, { ...cur, status: 'running', done: p.done, total: p.total, failed: p.failed, etaMs: p.etaMs, message: p.message });
      });
      // A job started elsewhere (another front, the CLI): its row says which category it is for.
      if (!known.current.has(p.jobId)) {
        known.current.add(p.jobId);
        void reload();
      }
      activity.current?.();
    });
    const offFinished = api.on('job.finished', (f: JobFinished) => {
      if (f.kind !== kind) return;
      const res = readResult(f.result);
      if (res) setResults((prev) => new Map(prev).set(f.jobId, res));
      void reload();
      activity.current?.();
    });
    return () => {
      offProgress();
      offFinished();
    };
  }, [kind, reload]);

  const sorted = [...jobs.values()].sort((a, b) => b.jobId - a.jobId);
  return { jobs: sorted, results, error, reload };
}

