/**
 * The clustering of one category as the screen sees it: the engine's ClusterState, replaced
 * by the state each edit returns (the engine records every edit for undo), re-read when a
 * cluster job finishes. Edit failures keep the last good state and surface the engine's text.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ClusterState, RequestArgs } from '../../../src-main/api/contract';
import { api, errorMessage } from '../api';
import { useJob, useJobEvents } from '../state/jobs';
import { isSettled } from '../state/jobStore';

export type EditName =
  | 'clusters.rename'
  | 'clusters.merge'
  | 'clusters.split'
  | 'clusters.move'
  | 'clusters.setLock'
  | 'clusters.setRule'
  | 'clusters.undo'
  | 'clusters.redo';

export interface RunOptions {
  rounds: number;
  seed: number;
  perType: boolean;
  /** An installed backbone pack for AMFC's deep block (METHOD.md §1); null: the built-in features. */
  backbonePack: string | null;
}

export interface ClustersModel {
  state: ClusterState | null;
  error: string | null;
  busy: boolean;
  /** Id of the cluster job this screen started, while it runs. */
  runningJob: number | null;
  clearError(): void;
  /** Shows a refusal decided on this side (the engine would refuse the same). */
  fail(message: string): void;
  edit<K extends EditName>(name: K, args: RequestArgs<K>): Promise<boolean>;
  run(opts: RunOptions): Promise<void>;
  /** Reads the clustering again (after a change made elsewhere, e.g. the few-shot split). */
  reload(): Promise<void>;
  undo(): void;
  redo(): void;
}

export function useClusters(categoryId: number | undefined): ClustersModel {
  const [state, setState] = useState<ClusterState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The cluster job this screen started; the store has it even when it ends before the request answers.
  const [startedJob, setStartedJob] = useState<number | null>(null);
  const started = useJob(startedJob);
  const runningJob = startedJob !== null && !isSettled(started?.status) ? startedJob : null;
  // Edits are applied one at a time, so a fast Ctrl+Z repeat cannot interleave with a move.
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const current = useRef(categoryId);
  current.current = categoryId;

  const reload = useCallback(async () => {
    if (categoryId === undefined) return;
    try {
      const s = await api.invoke('clusters.get', { categoryId });
      if (current.current === categoryId) setState(s);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [categoryId]);

  useEffect(() => {
    setState(null);
    setError(null);
    void reload();
  }, [reload]);

  useJobEvents((e) => {
    if (e.type !== 'finished' || e.finished.kind !== 'cluster') return;
    if (e.finished.status === 'failed') setError(e.finished.error ?? 'the clustering job failed');
    void reload();
  });

  const edit = useCallback(
    <K extends EditName>(name: K, args: RequestArgs<K>): Promise<boolean> => {
      const step = chain.current.then(async () => {
        setBusy(true);
        try {
          const s = (await api.invoke(name, args)) as ClusterState;
          if (current.current === s.categoryId) setState(s);
          setError(null);
          return true;
        } catch (err) {
          setError(errorMessage(err));
          return false;
        } finally {
          setBusy(false);
        }
      });
      chain.current = step;
      return step;
    },
    [],
  );

  const run = useCallback(
    async (opts: RunOptions) => {
      if (categoryId === undefined) return;
      setError(null);
      try {
        const { backbonePack, ...rest } = opts;
        const { jobId } = await api.invoke('clusters.run', { categoryId, ...rest, ...(backbonePack !== null ? { backbonePack } : {}) });
        setStartedJob(jobId);
      } catch (err) {
        setError(errorMessage(err));
      }
    },
    [categoryId],
  );

  const undo = useCallback(() => {
    if (categoryId !== undefined) void edit('clusters.undo', { categoryId });
  }, [categoryId, edit]);
  const redo = useCallback(() => {
    if (categoryId !== undefined) void edit('clusters.redo', { categoryId });
  }, [categoryId, edit]);

  return { state, error, busy, runningJob, clearError: () => setError(null), fail: setError, edit, run, reload, undo, redo };
}
