import type { KeepSummary } from '../../api/types';
import { keepTopN } from '../../core/score';
import type { Db } from '../../store/db';
import { sampleScores, setKept } from '../../store/samples';

/**
 * Per cluster, the `keep` highest-ARS pairs are kept (METHOD.md §5), or with `minArs` every pair
 * scoring at least the cut-off the user dragged; decisions stay as they are. Reports what was kept
 * in total, per cluster and per blend mode, so a filter that favours one kind of paste shows.
 */
export function applyKeep(db: Db, categoryId: number, keep: number | null, opts: { clusterId?: number | null; minArs?: number } = {}): KeepSummary {
  const rows = sampleScores(db, categoryId, opts.clusterId ?? null);
  const byCluster = new Map<string, typeof rows>();
  for (const r of rows) byCluster.set(r.cluster, [...(byCluster.get(r.cluster) ?? []), r]);
  const marks: { id: number; kept: boolean }[] = [];
  let kept = 0;
  for (const list of byCluster.values()) {
    const chosen = new Set(
      opts.minArs !== undefined
        ? list.flatMap((r, i) => (r.ars !== null && r.ars >= opts.minArs! ? [i] : []))
        : keepTopN(list.map((r) => (r.ars === null ? Number.NaN : r.ars)), keep ?? list.length),
    );
    list.forEach((r, i) => marks.push({ id: r.id, kept: chosen.has(i) }));
    kept += chosen.size;
  }
  setKept(db, marks);
  const keptIds = new Set(marks.filter((m) => m.kept).map((m) => m.id));
  return {
    kept,
    total: rows.length,
    keepPerCluster: opts.minArs !== undefined ? null : keep,
    minArs: opts.minArs ?? null,
    perCluster: keptShares(rows, (r) => r.cluster, keptIds).map(({ key, ...s }) => ({ cluster: key, ...s })),
    perBlendMode: keptShares(rows, (r) => r.blendMode, keptIds).map(({ key, ...s }) => ({ blendMode: key, ...s })),
  };
}

/** Pairs and kept pairs per group, in order of first appearance; share = kept / pairs. */
function keptShares<R extends { id: number }>(rows: readonly R[], keyOf: (r: R) => string, kept: ReadonlySet<number>) {
  const groups = new Map<string, { pairs: number; kept: number }>();
  for (const r of rows) {
    const g = groups.get(keyOf(r)) ?? { pairs: 0, kept: 0 };
    g.pairs++;
    if (kept.has(r.id)) g.kept++;
    groups.set(keyOf(r), g);
  }
  return [...groups].map(([key, g]) => ({ key, pairs: g.pairs, kept: g.kept, share: g.pairs ? Math.round((g.kept / g.pairs) * 1000) / 1000 : 0 }));
}
