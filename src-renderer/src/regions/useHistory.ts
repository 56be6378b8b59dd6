/**
 * Undo/redo of committed edits only: a finished polygon, stroke or fill is one entry, never the
 * mouse moves inside it. While an async restore runs (loading a label's rasters) the history
 * refuses edits, undo and redo, so a half-loaded state is never recorded or stepped over.
 *
 * `EditHistory` is the logic, with no React (tested in Node); `useHistory` keeps one per editor.
 */
import { useState, useSyncExternalStore } from 'react';

const LIMIT = 200;

interface Timeline<T> {
  past: T[];
  present: T;
  future: T[];
}

export interface HistoryState<T> {
  present: T;
  canUndo: boolean;
  canRedo: boolean;
  /** True while `restore` runs. */
  restoring: boolean;
}

export interface History<T> extends HistoryState<T> {
  commit(update: (prev: T) => T): void;
  undo(): void;
  redo(): void;
  /** Replaces the timeline with the value `load` resolves to (null: keep it); edits wait until it has. */
  restore(load: () => Promise<T | null>): Promise<void>;
}

export class EditHistory<T> {
  private line: Timeline<T>;
  private restoring = false;
  private state: HistoryState<T>;
  private readonly listeners = new Set<() => void>();

  constructor(
    initial: T,
    private readonly limit = LIMIT,
  ) {
    this.line = { past: [], present: initial, future: [] };
    this.state = this.stateOf();
  }

  readonly getSnapshot = (): HistoryState<T> => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly commit = (update: (prev: T) => T): void => {
    if (this.restoring) return;
    const s = this.line;
    this.set({ past: [...s.past, s.present].slice(-this.limit), present: update(s.present), future: [] });
  };

  readonly undo = (): void => {
    const s = this.line;
    if (this.restoring || !s.past.length) return;
    this.set({ past: s.past.slice(0, -1), present: s.past[s.past.length - 1], future: [s.present, ...s.future] });
  };

  readonly redo = (): void => {
    const s = this.line;
    if (this.restoring || !s.future.length) return;
    this.set({ past: [...s.past, s.present], present: s.future[0], future: s.future.slice(1) });
  };

  readonly restore = async (load: () => Promise<T | null>): Promise<void> => {
    this.restoring = true;
    this.emit();
    try {
      const value = await load();
      // null: the load was abandoned (its screen went away), nothing to restore.
      if (value !== null) this.line = { past: [], present: value, future: [] };
    } finally {
      this.restoring = false;
      this.emit();
    }
  };

  private set(line: Timeline<T>): void {
    this.line = line;
    this.emit();
  }

  private stateOf(): HistoryState<T> {
    const { past, present, future } = this.line;
    return { present, canUndo: past.length > 0 && !this.restoring, canRedo: future.length > 0 && !this.restoring, restoring: this.restoring };
  }

  private emit(): void {
    this.state = this.stateOf();
    for (const l of [...this.listeners]) l();
  }
}

export function useHistory<T>(initial: T): History<T> {
  const [history] = useState(() => new EditHistory(initial));
  const state = useSyncExternalStore(history.subscribe, history.getSnapshot);
  return { ...state, commit: history.commit, undo: history.undo, redo: history.redo, restore: history.restore };
}
