/**
 * Where a cluster's defects will be placed (METHOD.md §3, `learned`): the density learnt from
 * its exemplars, drawn as a heat map over one of the category's normal images, inside that
 * image's frame (the whole image, or for a product with a clear foreground, its box, as placement
 * measures positions), with a dot per exemplar: filled
 * where the defect sits on the product's surface, a ring where it straddles the product's outline
 * (a chip out of its edge), since those pairs are placed on the target's outline.
 */
import { useEffect, useRef, useState } from 'react';
import type { PlacementInfo } from '../../../src-main/api/contract';
import { api } from '../api';
import { errorMessage } from '../errors';

export function PlacementDensity({ categoryId, clusterId, imageId, size = 160 }: { categoryId: number; clusterId: number; imageId: number | null; size?: number }) {
  const [info, setInfo] = useState<PlacementInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    let live = true;
    setInfo(null);
    setError(null);
    api.invoke('masks.placement', imageId === null ? { categoryId, clusterId } : { categoryId, clusterId, imageId }).then(
      (p) => live && setInfo(p),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [categoryId, clusterId, imageId]);

  useEffect(() => {
    const c = canvas.current;
    if (!c || !info) return;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    const { cols, rows, values } = info.grid;
    ctx.clearRect(0, 0, c.width, c.height);
    const f = info.backdropFrame ?? { x0: 0, y0: 0, x1: 1, y1: 1 };
    const left = f.x0 * c.width;
    const top = f.y0 * c.height;
    const fw = (f.x1 - f.x0) * c.width;
    const fh = (f.y1 - f.y0) * c.height;
    const cw = fw / cols;
    const ch = fh / rows;
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < cols; k++) {
        const v = values[r * cols + k];
        if (v < 0.02) continue;
        ctx.fillStyle = `rgba(255, ${Math.round(200 * (1 - v))}, 0, ${0.15 + 0.5 * v})`;
        ctx.fillRect(left + k * cw, top + r * ch, cw + 0.5, ch + 0.5);
      }
    }
    for (const e of info.exemplars) {
      const x = left + e.x * fw;
      const y = top + e.y * fh;
      ctx.beginPath();
      if (e.onOutline) {
        ctx.strokeStyle = '#ff40ff';
        ctx.lineWidth = 2;
        ctx.arc(x, y, 4, 0, 2 * Math.PI);
        ctx.stroke();
        ctx.lineWidth = 1;
      } else {
        ctx.fillStyle = '#00e0ff';
        ctx.arc(x, y, 3, 0, 2 * Math.PI);
        ctx.fill();
      }
      if (info.oriented && e.axis !== null) {
        ctx.strokeStyle = '#00e0ff';
        ctx.beginPath();
        ctx.moveTo(x - 8 * Math.cos(e.axis), y - 8 * Math.sin(e.axis));
        ctx.lineTo(x + 8 * Math.cos(e.axis), y + 8 * Math.sin(e.axis));
        ctx.stroke();
      }
    }
  }, [info]);

  if (error) return <p className="warn small">{error}</p>;
  const onOutline = info ? info.exemplars.filter((e) => e.onOutline).length : 0;
  return (
    <figure className="placement-density" data-testid="placement-density" data-cluster-id={clusterId}>
      <div style={{ position: 'relative', width: size, height: size }}>
        {imageId !== null && (
          <img src={api.imageUrl({ kind: 'thumb', imageId })} alt="" style={{ position: 'absolute', inset: 0, width: size, height: size, objectFit: 'fill', opacity: 0.8 }} />
        )}
        <canvas ref={canvas} width={size} height={size} style={{ position: 'absolute', inset: 0 }} />
      </div>
      <figcaption className="muted small">
        {info
          ? `${info.exemplars.length} exemplar${info.exemplars.length === 1 ? '' : 's'}${info.oriented ? ', direction kept' : ', any direction'}` +
            (onOutline > 0 ? `; ${onOutline} on the product's outline (ringed), placed on the target's outline` : '')
          : 'Learning where this cluster occurs…'}
        {info && info.unreadable.length > 0 && (
          <span className="warn" data-testid="placement-unreadable" title={info.unreadable.map((u) => `${u.file}: ${u.reason}`).join('\n')}>
            {' '}
            {info.unreadable.length} exemplar{info.unreadable.length === 1 ? '' : 's'} could not be read and {info.unreadable.length === 1 ? 'is' : 'are'} left out: {info.unreadable.map((u) => u.file).join(', ')}
          </span>
        )}
      </figcaption>
    </figure>
  );
}
