/**
 * The feature-block weights a clustering run used, per group, and how they were chosen
 * (core/cluster/block-weights.ts: the most stable of 19 weightings on subsamples).
 */
import type { ClusterRunInfo, RunBlockWeights } from '../../../src-main/api/contract';

const BLOCKS = ['colour', 'texture', 'shape'] as const;

function how(b: RunBlockWeights): string {
  if (b.chosenBy === 'request') return 'set for this run';
  if (b.chosenBy === 'default') return 'equal: too few anomalies to compare weightings';
  return `most stable of ${b.candidates} weightings (stability ${b.stability?.toFixed(2) ?? '—'})`;
}

export function BlockWeights({ run }: { run: ClusterRunInfo }) {
  if (run.blockWeights.length === 0) return <p className="muted small">Equal weights (a run made before weights were chosen).</p>;
  return (
    <table className="types block-weights" data-testid="block-weights">
      <thead>
        <tr>
          <th>Group</th>
          {BLOCKS.map((b) => (
            <th key={b}>{b}</th>
          ))}
          <th>Chosen</th>
        </tr>
      </thead>
      <tbody>
        {run.blockWeights.map((b) => (
          <tr key={b.group} data-testid={`block-weights-${b.group}`}>
            <td className="mono">{b.group === '*' ? 'all' : b.group}</td>
            {BLOCKS.map((block) => {
              const w = b.weights[block] ?? 1;
              return (
                <td key={block} title={`${block} weight ${w}`}>
                  <span className="weight-bar" style={{ width: `${Math.round(w * 16)}px` }} /> {w}
                </td>
              );
            })}
            <td className="muted small">{how(b)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
