/**
 * The category's generated pairs in ARS order (highest first), held whole: the histogram, the
 * override counts and keyboard review all need every score, and a sample row is small. The
 * gallery still renders only the visible rows.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SampleInfo, SamplePage } from '../../../src-main/api/contract';
import { api, errorMessage } from '../api';

const PAGE = 2000;

export type Decision = SampleInfo['decision'];

export interface SampleSet {
  items: SampleInfo[];
  counts: SamplePage['counts'] | null;
  loading: boolean;
  error: string | null;
  reload(): Promise<void>;
  /** Applies decisions the engine has already stored, without a round trip. */
  patch(decisions: ReadonlyMap<number, Decision>): void;
}

export function useSamples(categoryId: number | undefined): SampleSet {
  const [items, setItems] = useState<SampleInfo[]>([]);
  const [counts, setCounts] = useState<SamplePage['counts'] | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A reload for an older category must not overwrite a newer one's answer.
  const generation = useRef(0);

  const reload = useCallback(async () => {
    const gen = ++generation.current;
    if (categoryId === undefined) {
      setItems([]);
      setCounts(null);
      return;
    }
    setLoading(true);
    try {
      const all: SampleInfo[] = [];
      let page: SamplePage;
      do {
        page = await api.invoke('samples.list', { categoryId, sort: 'ars', offset: all.length, limit: PAGE });
        all.push(...page.items);
      } while (page.items.length === PAGE && all.length < page.total);
      if (gen !== generation.current) return;
      setItems(all);
      setCounts(page.counts);
      setError(null);
    } catch (err) {
      if (gen === generation.current) setError(errorMessage(err));
    } finally {
      if (gen === generation.current) setLoading(false);
    }
  }, [categoryId]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const patch = useCallback((decisions: ReadonlyMap<number, Decision>) => {
    setItems((prev) => prev.map((s) => (decisions.has(s.id) ? { ...s, decision: decisions.get(s.id) ?? null } : s)));
  }, []);

  return { items, counts, loading, error, reload, patch };
}

/** The user's word against the filter's: accepted though not kept, rejected though kept. */
export function overriddenCount(items: readonly SampleInfo[]): number {
  let n = 0;
  for (const s of items) if ((s.decision === 'accepted' && !s.kept) || (s.decision === 'rejected' && s.kept)) n++;
  return n;
}

/** Accepted / rejected as the loaded items hold them (kept after a local decision is unchanged). */
export function decisionCounts(items: readonly SampleInfo[]): { accepted: number; rejected: number } {
  let accepted = 0;
  let rejected = 0;
  for (const s of items) {
    if (s.decision === 'accepted') accepted++;
    else if (s.decision === 'rejected') rejected++;
  }
  return { accepted, rejected };
}
