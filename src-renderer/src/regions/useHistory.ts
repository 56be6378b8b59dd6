/**
 * Undo/redo of committed edits only: a finished polygon, stroke or fill is one entry, never the
 * mouse moves inside it. While an async restore runs (loading a label's rasters) the history
 * refuses edits, undo and redo, so a half-loaded state is never recorded or stepped over.
 */
import { useCallback, useRef, useState } from 'react';

const LIMIT = 200;

interface Timeline<T> {
  past: T[];
  present: T;
  future: T[];
}

export interface History<T> {
  present: T;
  canUndo: boolean;
  canRedo: boolean;
  /** True while `restore` runs. */
  restoring: boolean;
  commit(update: (prev: T) => T): void;
  undo(): void;
  redo(): void;
  /** Replaces the timeline with the value `load` resolves to (null: keep it); edits wait until it has. */
  restore(load: () => Promise<T | null>): Promise<void>;
}

export function useHistory<T>(initial: T): History<T> {
  const [line, setLine] = useState<Timeline<T>>({ past: [], present: initial, future: [] });
  const [restoring, setRestoring] = useState(false);
  const guard = useRef(false);

  const commit = useCallback((update: (prev: T) => T) => {
    if (guard.current) return;
    setLine((s) => ({ past: [...s.past, s.present].slice(-LIMIT), present: update(s.present), future: [] }));
  }, []);
  const undo = useCallback(() => {
    if (guard.current) return;
    setLine((s) => (s.past.length ? { past: s.past.slice(0, -1), present: s.past[s.past.length - 1], future: [s.present, ...s.future] } : s));
  }, []);
  const redo = useCallback(() => {
    if (guard.current) return;
    setLine((s) => (s.future.length ? { past: [...s.past, s.present], present: s.future[0], future: s.future.slice(1) } : s));
  }, []);
  const restore = useCallback(async (load: () => Promise<T | null>) => {
    guard.current = true;
    setRestoring(true);
    try {
      const value = await load();
      // null: the load was abandoned (its screen went away), nothing to restore.
      if (value !== null) setLine({ past: [], present: value, future: [] });
    } finally {
      guard.current = false;
      setRestoring(false);
    }
  }, []);

  return { present: line.present, canUndo: line.past.length > 0 && !restoring, canRedo: line.future.length > 0 && !restoring, restoring, commit, undo, redo, restore };
}
