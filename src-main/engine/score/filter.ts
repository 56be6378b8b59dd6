import { keepTopN } from '../../core/score';
import type { Db } from '../../store/db';
import { sampleScores, setKept } from '../../store/samples';

/**
 * Per cluster, the `keep` highest-ARS pairs are kept (METHOD.md §5), or with `minArs` every pair
 * scoring at least the cut-off the user dragged; decisions stay as they are.
 */
export function applyKeep(db: Db, categoryId: number, keep: number | null, opts: { clusterId?: number | null; minArs?: number } = {}): number {
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
  return kept;
}
