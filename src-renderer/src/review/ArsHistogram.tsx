/**
 * ARS histogram of one cluster with a draggable cut-off: every pair at or above the line is
 * kept (METHOD.md §5). The line moves freely while dragged; only the release asks the engine.
 */
import { useMemo, useRef, useState, type PointerEvent } from 'react';

const W = 300;
const H = 120;
const PAD = { l: 8, r: 8, t: 10, b: 22 };
const BINS = 24;

export interface HistogramProps {
  /** Scored ARS values of the cluster. */
  values: readonly number[];
  /** The cut-off the current kept set implies (lowest kept ARS), or null when nothing is kept. */
  cutoff: number | null;
  disabled: boolean;
  onRelease(minArs: number): void;
}

export function ArsHistogram({ values, cutoff, disabled, onRelease }: HistogramProps) {
  const [drag, setDrag] = useState<number | null>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const { lo, hi, bins, peak } = useMemo(() => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of values) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (!Number.isFinite(lo)) return { lo: 0, hi: 1, bins: [] as number[], peak: 1 };
    if (hi === lo) hi = lo + 1e-6;
    const bins = new Array<number>(BINS).fill(0);
    for (const v of values) bins[Math.min(BINS - 1, Math.floor(((v - lo) / (hi - lo)) * BINS))]++;
    return { lo, hi, bins, peak: Math.max(1, ...bins) };
  }, [values]);

  const plotW = W - PAD.l - PAD.r;
  const plotH = H - PAD.t - PAD.b;
  const xOf = (v: number) => PAD.l + ((v - lo) / (hi - lo)) * plotW;
  const valueAt = (clientX: number): number => {
    const box = svgRef.current!.getBoundingClientRect();
    const x = ((clientX - box.left) / box.width) * W;
    const t = Math.max(0, Math.min(1, (x - PAD.l) / plotW));
    return lo + t * (hi - lo);
  };

  const shown = drag ?? cutoff ?? lo;
  const above = values.filter((v) => v >= shown).length;

  function down(e: PointerEvent<SVGElement>) {
    if (disabled || values.length === 0) return;
    e.preventDefault();
    svgRef.current!.setPointerCapture(e.pointerId);
    setDrag(valueAt(e.clientX));
  }
  function move(e: PointerEvent<SVGSVGElement>) {
    if (drag !== null) setDrag(valueAt(e.clientX));
  }
  function up(e: PointerEvent<SVGSVGElement>) {
    if (drag === null) return;
    const v = valueAt(e.clientX);
    setDrag(null);
    onRelease(v);
  }

  if (values.length === 0) return <div className="muted small" data-testid="histogram-empty">No scored pairs in this cluster yet.</div>;
  const x = xOf(shown);
  return (
    <div className="histogram">
      <svg
        ref={svgRef}
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={() => setDrag(null)}
        data-testid="ars-histogram"
        data-lo={lo}
        data-hi={hi}
      >
        {bins.map((n, i) => {
          const bx = PAD.l + (i / BINS) * plotW;
          const bh = (n / peak) * plotH;
          const binLo = lo + (i / BINS) * (hi - lo);
          return <rect key={i} x={bx + 0.5} y={PAD.t + plotH - bh} width={plotW / BINS - 1} height={bh} className={binLo + (hi - lo) / BINS > shown ? 'bar kept' : 'bar'} />;
        })}
        <line x1={PAD.l} x2={W - PAD.r} y1={PAD.t + plotH} y2={PAD.t + plotH} className="axis" />
        <text x={PAD.l} y={H - 6} className="tick">
          {lo.toFixed(3)}
        </text>
        <text x={W - PAD.r} y={H - 6} className="tick" textAnchor="end">
          {hi.toFixed(3)}
        </text>
        <rect x={x} y={PAD.t} width={Math.max(0, W - PAD.r - x)} height={plotH} className="kept-zone" />
        <line x1={x} x2={x} y1={PAD.t - 4} y2={PAD.t + plotH} className="cutoff" />
        {/* A wide transparent grip: the line itself is too thin to hit. */}
        <rect
          x={x - 7}
          y={PAD.t - 6}
          width={14}
          height={plotH + 8}
          className={disabled ? 'cutoff-grip disabled' : 'cutoff-grip'}
          onPointerDown={down}
          data-testid="cutoff-handle"
        />
        <circle cx={x} cy={PAD.t - 4} r={4} className="cutoff-knob" pointerEvents="none" />
      </svg>
      <div className="small">
        Cut-off <span className="mono" data-testid="cutoff-value" data-value={shown}>{shown.toFixed(4)}</span> · keeps{' '}
        <span className="mono" data-testid="cutoff-above">{above}</span> of {values.length}
      </div>
    </div>
  );
}
