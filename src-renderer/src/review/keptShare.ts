/**
 * The share of the pairs the keep filter kept (or the user accepted), per cluster and per blend
 * mode, so a filter biased towards the most visible pastes shows on Review (issue 17).
 */
import type { SampleInfo } from '../../../src-main/api/contract';

export interface KeptShareRow {
  key: string;
  pairs: number;
  kept: number;
  share: number;
}

/** Whether a pair goes into a `kept` export: the user's accept, else the filter's choice unless rejected. */
export function isChosen(s: Pick<SampleInfo, 'kept' | 'decision'>): boolean {
  return s.decision === 'accepted' || (s.decision === null && s.kept);
}

export function keptShares(items: readonly Pick<SampleInfo, 'kept' | 'decision' | 'cluster' | 'blendMode'>[], by: 'cluster' | 'blendMode'): KeptShareRow[] {
  const groups = new Map<string, { pairs: number; kept: number }>();
  for (const s of items) {
    const g = groups.get(s[by]) ?? { pairs: 0, kept: 0 };
    g.pairs++;
    if (isChosen(s)) g.kept++;
    groups.set(s[by], g);
  }
  return [...groups]
    .map(([key, g]) => ({ key, pairs: g.pairs, kept: g.kept, share: g.pairs ? g.kept / g.pairs : 0 }))
    .sort((a, b) => b.pairs - a.pairs || a.key.localeCompare(b.key));
}

/**
 * A warning when the filter keeps one blend mode far more often than another (both with at
 * least 5 pairs, shares 25 points or more apart); null otherwise.
 */
export function blendBias(rows: readonly KeptShareRow[]): string | null {
  const big = rows.filter((r) => r.pairs >= 5);
  if (big.length < 2) return null;
  const hi = big.reduce((a, b) => (b.share > a.share ? b : a));
  const lo = big.reduce((a, b) => (b.share < a.share ? b : a));
  if (hi.share - lo.share < 0.25) return null;
  const pct = (x: number) => `${Math.round(100 * x)} %`;
  return `The filter favours ${hi.key} pastes: ${pct(hi.share)} of them are kept but ${pct(lo.share)} of ${lo.key} ones. Review the dropped ${lo.key} pairs.`;
}
