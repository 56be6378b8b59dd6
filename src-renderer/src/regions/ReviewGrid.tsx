/**
 * Review of propagated regions (METHOD.md §4): lowest confidence first, each tile the image with
 * its propagated masks over it in their region colours. Only rows near the viewport exist, and a
 * tile asks for its masks when it mounts, so thousands of propagated images stay cheap.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ImageRegions, RegionState } from '../../../src-main/api/contract';
import { api } from '../api';

type Propagated = RegionState['propagated'][number];

const GAP = 8;
const FOOT = 54;

const ReviewTile = memo(function ReviewTile({
  item,
  size,
  opacity,
  onReview,
  onEdit,
}: {
  item: Propagated;
  size: number;
  opacity: number;
  onReview(imageId: number, status: 'accepted' | 'rejected' | 'pending'): void;
  onEdit(imageId: number): void;
}) {
  const [masks, setMasks] = useState<ImageRegions['regions'] | null>(null);
  const [dims, setDims] = useState<[number, number] | null>(null);
  useEffect(() => {
    let live = true;
    api.invoke('regions.ofImage', { imageId: item.imageId }).then(
      (r) => live && setMasks(r.regions.filter((m) => m.source === 'propagated')),
      () => live && setMasks([]),
    );
    return () => {
      live = false;
    };
  }, [item.imageId]);
  const wide = !dims || dims[0] >= dims[1];
  const box = dims ? { aspectRatio: `${dims[0]} / ${dims[1]}`, width: wide ? '100%' : 'auto', height: wide ? 'auto' : '100%' } : { width: '100%', height: '100%' };
  const decided = item.status === 'accepted' || item.status === 'rejected';
  return (
    <div
      className={`review-tile status-${item.status}${item.flagged ? ' flagged' : ''}`}
      style={{ width: size }}
      data-testid="review-tile"
      data-image-id={item.imageId}
      data-status={item.status}
      data-flagged={item.flagged}
      data-confidence={item.confidence}
      data-masks={masks?.length ?? ''}
      title={item.relPath}
    >
      <div className="review-img" style={{ width: size, height: size }}>
        <div className="review-fit" style={box}>
          <img
            src={api.imageUrl({ kind: 'image', imageId: item.imageId })}
            alt=""
            loading="lazy"
            decoding="async"
            draggable={false}
            onLoad={(e) => setDims([e.currentTarget.naturalWidth, e.currentTarget.naturalHeight])}
          />
          {masks?.map((m) => (
            // White mask × colour = colour on the region, black elsewhere; screened, black changes nothing.
            <div key={m.maskId} className="review-mask" style={{ backgroundColor: m.colour, opacity }} data-testid="review-mask" data-region={m.region}>
              <img src={api.imageUrl({ kind: 'regionMask', id: m.maskId })} alt="" draggable={false} />
            </div>
          ))}
        </div>
        <div className="badges">
          {item.flagged && (
            <span className="badge flag" data-testid="review-flagged" title="Below the confidence threshold: check it first">
              low
            </span>
          )}
          {decided && <span className={`badge ${item.status}`}>{item.status}</span>}
        </div>
      </div>
      <div className="review-foot">
        <div className="review-line">
          <span className={item.flagged ? 'mono small warn' : 'mono small'} data-testid="review-confidence">
            {item.confidence.toFixed(2)}
          </span>
          <span className="tile-caption mono">{item.relPath.split('/').slice(-3).join('/')}</span>
        </div>
        <div className="review-actions">
          <button
            type="button"
            className={item.status === 'accepted' ? 'btn small active' : 'btn small'}
            onClick={() => onReview(item.imageId, item.status === 'accepted' ? 'pending' : 'accepted')}
            data-testid="review-accept"
          >
            Accept
          </button>
          <button
            type="button"
            className={item.status === 'rejected' ? 'btn small active reject' : 'btn small'}
            onClick={() => onReview(item.imageId, item.status === 'rejected' ? 'pending' : 'rejected')}
            data-testid="review-reject"
          >
            Reject
          </button>
          <button type="button" className="btn small" onClick={() => onEdit(item.imageId)} data-testid="review-edit">
            Edit
          </button>
        </div>
      </div>
    </div>
  );
});

export function ReviewGrid({
  items,
  onReview,
  onEdit,
}: {
  items: Propagated[];
  onReview(imageId: number, status: 'accepted' | 'rejected' | 'pending'): void;
  onEdit(imageId: number): void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [tile, setTile] = useState(180);
  const [opacity, setOpacity] = useState(0.6);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, []);

  const sorted = [...items].sort((a, b) => a.confidence - b.confidence || a.imageId - b.imageId);
  const cols = Math.max(1, Math.floor((width - GAP) / (tile + GAP)));
  const rows = Math.ceil(sorted.length / cols);
  const rowHeight = tile + FOOT + GAP;
  const virtualizer = useVirtualizer({ count: rows, getScrollElement: () => scrollRef.current, estimateSize: () => rowHeight, overscan: 3 });
  useEffect(() => virtualizer.measure(), [rowHeight, virtualizer]);
  const counts = { accepted: 0, rejected: 0, flagged: 0 };
  for (const i of items) {
    if (i.status === 'accepted') counts.accepted++;
    if (i.status === 'rejected') counts.rejected++;
    if (i.flagged) counts.flagged++;
  }

  return (
    <div className="review" data-testid="review-grid" data-total={items.length}>
      <div className="toolbar">
        <span className="small">
          {items.length} propagated · <span className="warn">{counts.flagged} low confidence</span> · {counts.accepted} accepted · {counts.rejected} rejected
        </span>
        <span className="spacer" />
        <label className="slider">
          <span className="muted small">Overlay</span>
          <input type="range" min={0} max={1} step={0.05} value={opacity} onChange={(e) => setOpacity(Number(e.target.value))} />
        </label>
        <label className="slider">
          <span className="muted small">Size</span>
          <input type="range" min={120} max={360} step={20} value={tile} onChange={(e) => setTile(Number(e.target.value))} />
        </label>
      </div>
      <div className="grid-scroll" ref={scrollRef}>
        {items.length === 0 && (
          <div className="empty muted" data-testid="review-empty">
            Nothing propagated yet. Label 3–5 images, then press Propagate.
          </div>
        )}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }}>
          {virtualizer.getVirtualItems().map((row) => (
            <div key={row.key} className="grid-row" style={{ transform: `translateY(${row.start}px)`, height: rowHeight, gap: GAP, paddingLeft: GAP }}>
              {sorted.slice(row.index * cols, row.index * cols + cols).map((item) => (
                <ReviewTile key={item.imageId} item={item} size={tile} opacity={opacity} onReview={onReview} onEdit={onEdit} />
              ))}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
