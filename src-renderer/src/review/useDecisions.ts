/**
 * The user's accept / reject with a local undo stack. Each entry remembers what every touched
 * sample held before, so Ctrl+Z restores mixed selections exactly (a reject over an accept
 * undoes back to accepted, not to nothing).
 */
import { useCallback, useRef, useState } from 'react';
import type { SampleInfo } from '../../../src-main/api/contract';
import { api, errorMessage } from '../api';
import type { Decision } from './useSamples';

interface UndoEntry {
  previous: Map<number, Decision>;
}

export interface Decisions {
  decide(samples: readonly SampleInfo[], decision: Decision): Promise<void>;
  undo(): Promise<void>;
  canUndo: boolean;
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
  const [depth, setDepth] = useState(0);
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
        stack.current.push({ previous });
        setDepth(stack.current.length);
        setError(null);
        onStored(next);
      }),
    [enqueue, onStored],
  );

  const undo = useCallback(
    () =>
      enqueue(async () => {
        const entry = stack.current.pop();
        setDepth(stack.current.length);
        if (!entry) return;
        await store(entry.previous);
        for (const [id, d] of entry.previous) known.current.set(id, d);
        setError(null);
        onStored(entry.previous);
      }),
    [enqueue, onStored],
  );

  return { decide, undo, canUndo: depth > 0, error };
}
