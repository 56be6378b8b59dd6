/**
 * The user's accept / reject, and the review's undo stack (Ctrl+Z). A decision entry remembers
 * what every touched sample held before, so undo restores mixed selections exactly (a reject over
 * an accept undoes back to accepted, not to nothing); other edits of the review (a cut-off drag)
 * push their own way back with `record`.
 */
import { useCallback, useRef, useState } from 'react';
import type { SampleInfo } from '../../../src-main/api/contract';
import { api, errorMessage } from '../api';
import type { Decision } from './useSamples';

interface UndoEntry {
  /** What the entry undoes, for the hint ("Undo cut-off"). */
  label: string;
  undo(): Promise<void>;
}

export interface Decisions {
  decide(samples: readonly SampleInfo[], decision: Decision): Promise<void>;
  /** Pushes an edit that is already done, with the way to undo it. */
  record(label: string, undo: () => Promise<void>): void;
  undo(): Promise<void>;
  canUndo: boolean;
  /** What Ctrl+Z would undo now. */
  undoLabel: string | null;
  error: string | null;
}

/** Sends one request per distinct decision value: the engine sets one value for a list of ids. */
async function store(byId: ReadonlyMap<number, Decision>): Promise<void> {
  const groups = new Map<Decision, number[]>();
  for (const [id, d] of byId) groups.set(d, [...(groups.get(d) ?? []), id]);
  for (const [decision, sampleIds] of groups) await api.invoke('samples.decide', { sampleIds, decision });
}

export function useDecisions(onStored: (changes: ReadonlyMap<number, Decision>) => void): Decisions {
  const stack = useRef<UndoEntry[]>([]);
  const [top, setTop] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Keys repeat faster than requests answer: run them one after another, in order.
  const queue = useRef<Promise<void>>(Promise.resolve());
  // What this hook last stored per sample: a queued key must not read a snapshot taken before the previous one landed.
  const known = useRef(new Map<number, Decision>());

  const enqueue = useCallback((work: () => Promise<void>) => {
    const next = queue.current.then(work).catch((err) => setError(errorMessage(err)));
    queue.current = next;
    return next;
  }, []);

  const push = useCallback((entry: UndoEntry) => {
    stack.current.push(entry);
    setTop(entry.label);
  }, []);

  const decide = useCallback(
    (samples: readonly SampleInfo[], decision: Decision) =>
      enqueue(async () => {
        const current = (s: SampleInfo): Decision => (known.current.has(s.id) ? (known.current.get(s.id) ?? null) : s.decision);
        const changed = samples.filter((s) => current(s) !== decision);
        if (changed.length === 0) return;
        const next = new Map<number, Decision>(changed.map((s) => [s.id, decision]));
        const previous = new Map(changed.map((s) => [s.id, current(s)]));
        await store(next);
        for (const [id, d] of next) known.current.set(id, d);
        push({
          label: changed.length === 1 ? 'decision' : `decision on ${changed.length} pairs`,
          undo: async () => {
            await store(previous);
            for (const [id, d] of previous) known.current.set(id, d);
            onStored(previous);
          },
        });
        setError(null);
        onStored(next);
      }),
    [enqueue, onStored, push],
  );

  const record = useCallback((label: string, undo: () => Promise<void>) => push({ label, undo }), [push]);

  const undo = useCallback(
    () =>
      enqueue(async () => {
        const entry = stack.current.pop();
        setTop(stack.current.at(-1)?.label ?? null);
        if (!entry) return;
        await entry.undo();
        setError(null);
      }),
    [enqueue],
  );

  return { decide, record, undo, canUndo: top !== null, undoLabel: top, error };
}
