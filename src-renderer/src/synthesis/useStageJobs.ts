/**
 * The jobs of one kind for one category (the job store's rows whose params name the category),
 * with the result each finish carried: the engine reports unsatisfiable placements and failed
 * pairs there, not in the job row.
 */
import { useEffect, useMemo } from 'react';
import type { JobKind } from '../../../src-main/api/contract';
import { reloadJobs, useJobEvents, useJobSnapshot } from '../state/jobs';
import { stageJobs, type JobView } from '../state/jobStore';

export type StageJob = JobView;

export interface JobFailures {
  made: number;
  failed: number;
  failures: { reason: string; cluster?: string; index?: number; normalImage?: string | null; alignedMaskId?: number }[];
  shortfall?: { cluster: string; masks: number }[];
  /** Masks jobs: exemplars `learned` placement could not read. */
  unreadableExemplars?: { cluster: string; file: string; reason: string }[];
}

function readResult(r: unknown): JobFailures | null {
  if (!r || typeof r !== 'object') return null;
  const o = r as Partial<JobFailures>;
  if (typeof o.made !== 'number' || typeof o.failed !== 'number') return null;
  return {
    made: o.made,
    failed: o.failed,
    failures: Array.isArray(o.failures) ? o.failures : [],
    shortfall: o.shortfall,
    unreadableExemplars: Array.isArray(o.unreadableExemplars) ? o.unreadableExemplars : [],
  };
}

/** `onActivity` runs on every progress or finish of a job of this kind, for a list that grows while it commits. */
export function useStageJobs(kind: JobKind, categoryId: number | undefined, onActivity?: () => void) {
  const snapshot = useJobSnapshot();
  const jobs = useMemo(() => stageJobs(snapshot, kind, categoryId), [snapshot, kind, categoryId]);
  const results = useMemo(() => {
    const out = new Map<number, JobFailures>();
    for (const j of jobs) {
      const r = readResult(j.result);
      if (r) out.set(j.jobId, r);
    }
    return out;
  }, [jobs]);

  // The screen opens on the table as it is now, not as the events of other screens left it.
  useEffect(() => {
    if (categoryId !== undefined) void reloadJobs();
  }, [kind, categoryId]);

  useJobEvents((e) => {
    if ((e.type === 'progress' ? e.progress.kind : e.finished.kind) === kind) onActivity?.();
  });

  return { jobs, results, reload: reloadJobs };
}
