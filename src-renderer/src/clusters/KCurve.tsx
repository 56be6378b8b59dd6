/**
 * The K-selection curve of the first round (METHOD.md §1: combined CH/DB score per k, lower is
 * better) with the chosen K marked, the clusters as they are now (after merges and splits) on
 * the same scale, and every split of the multi-round tree.
 */
import type { ClusterRunInfo, ClusterState } from '../../../src-main/api/contract';

type Partition = NonNullable<ClusterState['partition']>;

/** The curve's combined score (select-k.ts: equal weights, min-max over the curve's k) for another partition. */
export function scoreOnCurve(curve: ClusterRunInfo['curve'], p: Pick<Partition, 'ch' | 'db'>): number {
  const chs = curve.map((c) => c.ch);
  const dbs = curve.map((c) => c.db);
  const norm = (v: number, lo: number, hi: number) => (hi > lo ? (v - lo) / (hi - lo) : 0);
  return 0.5 * (1 - norm(p.ch, Math.min(...chs), Math.max(...chs))) + 0.5 * norm(p.db, Math.min(...dbs), Math.max(...dbs));
}

const W = 320;
const H = 120;
const PAD = { l: 30, r: 8, t: 8, b: 18 };

export function KCurve({ run, partition }: { run: ClusterRunInfo; partition: ClusterState['partition'] }) {
  const curve = run.curve;
  const root = run.splits.find((s) => s.round === 1);
  const chosen = root?.k ?? (curve.length ? curve.reduce((a, b) => (b.score < a.score ? b : a)).k : null);
  const nowLine = partition && (
    <p className="muted small mono" data-testid="partition-figures" data-k={partition.k} data-ch={partition.ch} data-db={partition.db}>
      now: {partition.k} clusters · CH {partition.ch.toFixed(1)} · DB {partition.db.toFixed(2)}
    </p>
  );
  if (curve.length === 0)
    return (
      <>
        <p className="muted small">No K curve: the first split had too few members to compare K.</p>
        {nowLine}
      </>
    );
  const now = partition ? { k: partition.k, score: scoreOnCurve(curve, partition) } : null;
  const ks = [...curve.map((c) => c.k), ...(now ? [now.k] : [])];
  const ss = [...curve.map((c) => c.score), ...(now ? [now.score] : [])];
  const [k0, k1] = [Math.min(...ks), Math.max(...ks)];
  const [s0, s1] = [Math.min(...ss), Math.max(...ss)];
  const x = (k: number) => PAD.l + ((k - k0) / (k1 - k0 || 1)) * (W - PAD.l - PAD.r);
  const y = (s: number) => PAD.t + (1 - (s - s0) / (s1 - s0 || 1)) * (H - PAD.t - PAD.b);
  return (
    <>
      <svg className="kcurve" viewBox={`0 0 ${W} ${H}`} data-testid="k-curve" data-chosen-k={chosen ?? ''} data-now-k={now?.k ?? ''} role="img" aria-label="K selection curve">
        <line x1={PAD.l} y1={H - PAD.b} x2={W - PAD.r} y2={H - PAD.b} className="axis" />
        <line x1={PAD.l} y1={PAD.t} x2={PAD.l} y2={H - PAD.b} className="axis" />
        <text x={PAD.l - 4} y={PAD.t + 8} className="tick" textAnchor="end">{s1.toFixed(2)}</text>
        <text x={PAD.l - 4} y={H - PAD.b - 2} className="tick" textAnchor="end">{s0.toFixed(2)}</text>
        <polyline points={curve.map((c) => `${x(c.k)},${y(c.score)}`).join(' ')} className="curve" />
        {curve.map((c) => (
          <g key={c.k}>
            <circle cx={x(c.k)} cy={y(c.score)} r={c.k === chosen ? 4.5 : 2.5} className={c.k === chosen ? 'pt chosen' : 'pt'}>
              <title>{`k=${c.k}  score ${c.score.toFixed(3)}  CH ${c.ch.toFixed(1)}  DB ${c.db.toFixed(3)}`}</title>
            </circle>
            <text x={x(c.k)} y={H - 5} className={c.k === chosen ? 'tick chosen' : 'tick'} textAnchor="middle">
              {c.k}
            </text>
          </g>
        ))}
        {now && (
          <g data-testid="k-curve-now">
            <rect x={x(now.k) - 4} y={y(now.score) - 4} width={8} height={8} transform={`rotate(45 ${x(now.k)} ${y(now.score)})`} className="pt now">
              <title>{`now: ${now.k} clusters  score ${now.score.toFixed(3)}  CH ${partition!.ch.toFixed(1)}  DB ${partition!.db.toFixed(3)}`}</title>
            </rect>
            <text x={x(now.k)} y={y(now.score) - 7} className="tick now" textAnchor="middle">
              now
            </text>
          </g>
        )}
      </svg>
      {nowLine}
    </>
  );
}

export function SplitsTable({ run }: { run: ClusterRunInfo }) {
  return (
    <table className="types splits" data-testid="splits-table">
      <thead>
        <tr>
          <th>Node</th>
          <th>Round</th>
          <th>Size</th>
          <th>K</th>
          <th>CH</th>
          <th>DB</th>
        </tr>
      </thead>
      <tbody>
        {run.splits.map((s) => (
          <tr key={s.nodeId} className={s.dense ? 'dense' : undefined} title={s.dense ? 'Dense: split again in the next round' : undefined}>
            <td className="mono">{s.nodeId}</td>
            <td>{s.round}</td>
            <td>{s.size}</td>
            <td>{s.k}</td>
            <td>{s.ch === null ? '—' : s.ch.toFixed(1)}</td>
            <td>{s.db === null ? '—' : s.db.toFixed(2)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
