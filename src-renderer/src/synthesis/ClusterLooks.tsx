/**
 * Per cluster, how its pairs are made and how alike they came out (issue 11): the blend mode its
 * exemplars get with `auto` (METHOD.md §2b), its generated pairs, and the mean pairwise SSIM of
 * their defect crops — near 1 means near-duplicates of one exemplar.
 */
import { useEffect, useState } from 'react';
import type { SynthClusterSummary } from '../../../src-main/api/contract';
import { api } from '../api';
import { errorMessage } from '../errors';

/** Above this, a cluster's pairs are flagged as near-duplicates. */
const DUPLICATES = 0.8;

export function ClusterLooks({ categoryId, stamp }: { categoryId: number; stamp: number }) {
  const [rows, setRows] = useState<SynthClusterSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.invoke('synth.clusters', { categoryId }).then(
      (r) => live && setRows(r.clusters),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [categoryId, stamp]);
  if (error) return <p className="warn small">{error}</p>;
  if (!rows) return <p className="muted small">Reading the clusters’ exemplars…</p>;
  return (
    <table className="cluster-looks small" data-testid="cluster-looks">
      <thead>
        <tr>
          <th>Cluster</th>
          <th title="The blend mode its exemplars get with auto">Blend</th>
          <th>Pairs</th>
          <th title="Mean pairwise SSIM of the generated defects' crops: near 1 = near-duplicates">Alike</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.clusterId} data-testid="cluster-looks-row" data-cluster-id={r.clusterId}>
            <td>{r.name}</td>
            <td>
              {Object.entries(r.blendModes)
                .map(([mode, n]) => `${mode} ${n}`)
                .join(', ') || '—'}
            </td>
            <td className="mono">{r.pairs}</td>
            <td className={r.diversity !== null && r.diversity > DUPLICATES ? 'warn mono' : 'mono'} title={r.diversity !== null && r.diversity > DUPLICATES ? 'near-duplicates: add exemplars or vary the rule' : undefined}>
              {r.diversity === null ? '—' : r.diversity.toFixed(2)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
