/**
 * The PCA scatter of the anomaly features, one dot per few-shot anomaly, coloured by cluster.
 * Hover previews the member, click selects it (Ctrl adds), dragging on the background draws a
 * lasso that selects every dot inside it.
 */
import { useMemo, useRef, useState, type PointerEvent } from 'react';
import type { ClusterMember } from '../../../src-main/api/contract';
import { CropImage } from './MemberCrop';

export interface ScatterPoint {
  imageId: number;
  x: number;
  y: number;
  colour: string;
  member: ClusterMember | undefined;
  clusterName: string;
}

const W = 320;
const H = 240;
const PAD = 10;

function inside(px: number, py: number, poly: [number, number][]): boolean {
  let hit = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

export function Scatter({
  points,
  selected,
  onSelect,
  onLasso,
}: {
  points: ScatterPoint[];
  selected: ReadonlySet<number>;
  onSelect(imageId: number, additive: boolean): void;
  onLasso(imageIds: number[], additive: boolean): void;
}) {
  const svgRef = useRef<SVGSVGElement>(null);
  const [hover, setHover] = useState<ScatterPoint | null>(null);
  const [lasso, setLasso] = useState<[number, number][] | null>(null);

  const placed = useMemo(() => {
    if (points.length === 0) return [];
    const xs = points.map((p) => p.x);
    const ys = points.map((p) => p.y);
    const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
    const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
    // One scale for both axes: PCA distances are meaningful, a stretched axis would lie.
    const s = Math.min((W - 2 * PAD) / (x1 - x0 || 1), (H - 2 * PAD) / (y1 - y0 || 1));
    const ox = (W - (x1 - x0) * s) / 2;
    const oy = (H - (y1 - y0) * s) / 2;
    return points.map((p) => ({ ...p, sx: ox + (p.x - x0) * s, sy: H - (oy + (p.y - y0) * s) }));
  }, [points]);

  function toSvg(e: PointerEvent): [number, number] {
    const r = svgRef.current!.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * W, ((e.clientY - r.top) / r.height) * H];
  }
  function onDown(e: PointerEvent<SVGSVGElement>) {
    if (e.button !== 0 || (e.target as Element).tagName === 'circle') return;
    svgRef.current?.setPointerCapture(e.pointerId);
    setLasso([toSvg(e)]);
  }
  function onMove(e: PointerEvent<SVGSVGElement>) {
    if (!lasso) return;
    const p = toSvg(e);
    const last = lasso[lasso.length - 1];
    if (Math.hypot(p[0] - last[0], p[1] - last[1]) > 2) setLasso([...lasso, p]);
  }
  function onUp(e: PointerEvent<SVGSVGElement>) {
    if (!lasso) return;
    const additive = e.ctrlKey || e.metaKey || e.shiftKey;
    const ids = lasso.length >= 3 ? placed.filter((p) => inside(p.sx, p.sy, lasso)).map((p) => p.imageId) : [];
    setLasso(null);
    onLasso(ids, additive);
  }

  return (
    <div className="scatter" data-testid="scatter">
      <svg
        ref={svgRef}
        viewBox={`0 0 ${W} ${H}`}
        onPointerDown={onDown}
        onPointerMove={onMove}
        onPointerUp={onUp}
        onPointerLeave={() => setHover(null)}
        role="img"
        aria-label="Feature scatter (PCA); drag to lasso-select"
      >
        {placed.map((p) => (
          <circle
            key={p.imageId}
            cx={p.sx}
            cy={p.sy}
            r={selected.has(p.imageId) ? 5 : 3.5}
            fill={p.colour}
            className={selected.has(p.imageId) ? 'dot selected' : 'dot'}
            onPointerEnter={() => setHover(p)}
            onPointerLeave={() => setHover((h) => (h?.imageId === p.imageId ? null : h))}
            onClick={(e) => onSelect(p.imageId, e.ctrlKey || e.metaKey || e.shiftKey)}
            data-testid="scatter-dot"
            data-image-id={p.imageId}
          />
        ))}
        {lasso && lasso.length > 1 && <polygon className="lasso" points={lasso.map((q) => q.join(',')).join(' ')} />}
      </svg>
      {hover?.member && (
        <div className="scatter-preview" data-testid="scatter-preview">
          <CropImage imageId={hover.member.imageId} maskId={hover.member.maskId} size={96} />
          <div className="mono small wrap">{hover.member.relPath}</div>
          <div className="small muted">{hover.clusterName}</div>
        </div>
      )}
    </div>
  );
}
