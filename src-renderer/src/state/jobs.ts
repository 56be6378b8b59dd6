/**
 * The app's job store (see jobStore.ts), fed by the engine, and the hooks screens read it with.
 * Job events reach the renderer here only: a screen that reacts to a job ending subscribes
 * through `useJobEvents`, never to `api.on('job.*')` itself.
 */
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { api } from '../api';
import { useBusyAction } from './busyAction';
import { allJobs, jobById, JobStore, type JobEvent, type JobsSnapshot, type JobView } from './jobStore';

export type { JobView } from './jobStore';

export const jobStore = new JobStore({
  list: () => api.invoke('jobs.list', {}),
  onProgress: (listener) => api.on('job.progress', listener),
  onFinished: (listener) => api.on('job.finished', listener),
});

export const reloadJobs = (): Promise<void> => jobStore.reload();

export function useJobSnapshot(): JobsSnapshot {
  return useSyncExternalStore(jobStore.subscribe, jobStore.getSnapshot);
}

/**
 * One value read from the store; the component re-renders only when it changes. `select` must
 * return a primitive or an object the snapshot holds (a job, the list), not a new array.
 */
export function useJobSelector<T>(select: (s: JobsSnapshot) => T): T {
  return useSyncExternalStore(jobStore.subscribe, () => select(jobStore.getSnapshot()));
}

/** Every job of the open project, newest first. */
export function useAllJobs(): readonly JobView[] {
  return useJobSelector(allJobs);
}

/** One job by id (null: none yet), undefined until the store has heard of it. */
export function useJob(jobId: number | null): JobView | undefined {
  return useJobSelector((s) => jobById(s, jobId));
}

/** Calls `listener` for every job event, after the store has applied it; the latest listener is used. */
export function useJobEvents(listener: (e: JobEvent) => void): void {
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => jobStore.onEvent((e) => latest.current(e)), []);
}

/** Jobs the user closed on the job bar (ids of the open project); a new set object on every change. */
let dismissed: ReadonlySet<number> = new Set();
const dismissedListeners = new Set<() => void>();

function setDismissed(next: ReadonlySet<number>): void {
  dismissed = next;
  for (const l of [...dismissedListeners]) l();
}

export function dismissJob(jobId: number): void {
  setDismissed(new Set([...dismissed, jobId]));
}

export function useDismissedJobs(): ReadonlySet<number> {
  return useSyncExternalStore(
    (l) => {
      dismissedListeners.add(l);
      return () => dismissedListeners.delete(l);
    },
    () => dismissed,
  );
}

/** Ties the store to the open project: a new project's job ids start a new table. */
export function useJobScope(projectDir: string | null): void {
  useEffect(() => {
    jobStore.scope(projectDir);
    setDismissed(new Set());
  }, [projectDir]);
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
 * one request at a time, the engine's refusal shown, the job table re-read after a success.
 */
export function useJobControls(jobId: number): { busy: boolean; error: string | null; act(action: 'cancel' | 'resume'): void } {
  const { busy, error, run } = useBusyAction();
  const act = (action: 'cancel' | 'resume') =>
    void run(action, async () => {
      if (action === 'cancel') await api.invoke('jobs.cancel', { jobId });
      else await api.invoke('jobs.resume', { jobId });
      void reloadJobs();
    });
  return { busy: busy !== null, error, act };
}
