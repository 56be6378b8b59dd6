/**
 * What a kept export would hold, as a share of each cluster's and each blend mode's pairs: a
 * filter that keeps every opaque paste and few blended ones shows here, with a warning.
 */
import { useMemo } from 'react';
import type { SampleInfo } from '../../../src-main/api/contract';
import { blendBias, keptShares, type KeptShareRow } from './keptShare';

function Rows({ rows, by }: { rows: KeptShareRow[]; by: 'cluster' | 'blendMode' }) {
  return (
    <>
      {rows.map((r) => (
        <div key={r.key} className="kept-share-row" data-testid="kept-share-row" data-by={by} data-key={r.key} data-kept={r.kept} data-pairs={r.pairs}>
          <span className="kept-share-name" title={r.key}>
            {r.key}
          </span>
          <span className="kept-share-bar" aria-hidden="true">
            <span style={{ width: `${Math.round(100 * r.share)}%` }} />
          </span>
          <span className="mono small">
            {r.kept}/{r.pairs} ({Math.round(100 * r.share)} %)
          </span>
        </div>
      ))}
    </>
  );
}

export function KeptSharePanel({ items }: { items: readonly SampleInfo[] }) {
  const byCluster = useMemo(() => keptShares(items, 'cluster'), [items]);
  const byBlend = useMemo(() => keptShares(items, 'blendMode'), [items]);
  const bias = blendBias(byBlend);
  if (items.length === 0) return null;
  return (
    <section className="side-section" data-testid="kept-share">
      <h3 title="Kept by the filter or accepted by you, not rejected: what an export of the kept pairs holds">Kept share</h3>
      <p className="muted small">Per cluster</p>
      <Rows rows={byCluster} by="cluster" />
      <p className="muted small">Per blend mode</p>
      <Rows rows={byBlend} by="blendMode" />
      {bias && (
        <p className="warn small" data-testid="kept-share-bias">
          {bias}
        </p>
      )}
    </section>
  );
}
