/**
 * Review of propagated regions (METHOD.md §4): lowest confidence first, each tile the image with
 * its propagated masks over it in their region colours. Only rows near the viewport exist, and a
 * tile asks for its masks when it mounts, so thousands of propagated images stay cheap.
 * At keyboard speed: arrows move, A accepts and R rejects (then on to the next image), U sets
 * pending again, E edits; Shift+arrows, Ctrl/Shift+click and Ctrl+A select many for one A / R,
 * and one button accepts every image not flagged as low confidence.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import type { ImageRegions, RegionState } from '../../../src-main/api/contract';
import { api } from '../api';
import { typing } from '../state/stage';

type Propagated = RegionState['propagated'][number];
export type ReviewStatus = 'accepted' | 'rejected' | 'pending';

const GAP = 8;
const FOOT = 54;

const ReviewTile = memo(function ReviewTile({
  item,
  index,
  size,
  opacity,
  current,
  picked,
  onPoint,
  onReview,
  onEdit,
}: {
  item: Propagated;
  index: number;
  size: number;
  opacity: number;
  /** The keyboard cursor is on it. */
  current: boolean;
  /** In the selection A / R apply to. */
  picked: boolean;
  onPoint(index: number, e: MouseEvent): void;
  onReview(imageId: number, status: ReviewStatus): void;
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
      className={`review-tile status-${item.status}${item.flagged ? ' flagged' : ''}${current ? ' current' : ''}${picked ? ' picked' : ''}`}
      style={{ width: size }}
      onClick={(e) => onPoint(index, e)}
      data-testid="review-tile"
      data-index={index}
      data-current={current}
      data-picked={picked}
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
  onReviewMany,
  onEdit,
}: {
  items: Propagated[];
  onReview(imageId: number, status: ReviewStatus): void;
  /** One verdict for many images (a selection, or every image not flagged). */
  onReviewMany(imageIds: number[], status: ReviewStatus): void;
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

  const sorted = useMemo(() => [...items].sort((a, b) => a.confidence - b.confidence || a.imageId - b.imageId), [items]);
  const cols = Math.max(1, Math.floor((width - GAP) / (tile + GAP)));
  const rows = Math.ceil(sorted.length / cols);
  const rowHeight = tile + FOOT + GAP;
  const virtualizer = useVirtualizer({ count: rows, getScrollElement: () => scrollRef.current, estimateSize: () => rowHeight, overscan: 3 });
  useEffect(() => virtualizer.measure(), [rowHeight, virtualizer]);

  const [cursor, setCursor] = useState(0);
  const [picked, setPicked] = useState<ReadonlySet<number>>(new Set());
  const [anchor, setAnchor] = useState(0);
  const at = Math.min(cursor, sorted.length - 1);
  useEffect(() => {
    if (sorted.length > 0) virtualizer.scrollToIndex(Math.floor(at / cols), { align: 'auto' });
  }, [at, cols, sorted.length, virtualizer]);

  const pickRange = useCallback((from: number, to: number) => {
    const [a, b] = [Math.min(from, to), Math.max(from, to)];
    setPicked(new Set(sorted.slice(a, b + 1).map((i) => i.imageId)));
  }, [sorted]);

  const onPoint = useCallback(
    (index: number, e: MouseEvent) => {
      const id = sorted[index]?.imageId;
      if (id === undefined) return;
      setCursor(index);
      if (e.shiftKey) return pickRange(anchor, index);
      setAnchor(index);
      if (e.ctrlKey || e.metaKey) {
        setPicked((p) => {
          const next = new Set(p);
          if (next.has(id)) next.delete(id);
          else next.add(id);
          return next;
        });
      } else setPicked(new Set());
    },
    [sorted, anchor, pickRange],
  );

  /** The selection when there is one (then cleared), else the image under the cursor and on to the next. */
  const verdict = useCallback(
    (status: ReviewStatus) => {
      const chosen = sorted.filter((i) => picked.has(i.imageId)).map((i) => i.imageId);
      if (chosen.length > 0) {
        onReviewMany(chosen, status);
        setPicked(new Set());
      } else if (sorted[at]) {
        onReview(sorted[at].imageId, status);
        if (status !== 'pending') {
          const next = Math.min(sorted.length - 1, at + 1);
          setCursor(next);
          setAnchor(next);
        }
      }
    },
    [sorted, picked, at, onReview, onReviewMany],
  );

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.altKey || e.metaKey || typing(e.target) || sorted.length === 0) return;
      const key = e.key.toLowerCase();
      if (e.ctrlKey) {
        if (key !== 'a') return;
        setPicked(new Set(sorted.map((i) => i.imageId)));
        e.preventDefault();
        return;
      }
      const moves: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: cols, ArrowUp: -cols };
      if (e.key in moves) {
        const to = Math.max(0, Math.min(sorted.length - 1, at + moves[e.key]));
        setCursor(to);
        if (e.shiftKey) pickRange(anchor, to);
        else setAnchor(to);
      } else if (key === 'a') verdict('accepted');
      else if (key === 'r') verdict('rejected');
      else if (key === 'u') verdict('pending');
      else if (key === 'e') onEdit(sorted[at].imageId);
      else if (e.key === 'Escape' && picked.size > 0) setPicked(new Set());
      else return;
      e.preventDefault();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [sorted, cols, at, anchor, picked, pickRange, verdict, onEdit]);

  const unflaggedPending = sorted.filter((i) => !i.flagged && i.status === 'pending').map((i) => i.imageId);
  const counts = { accepted: 0, rejected: 0, flagged: 0 };
  for (const i of items) {
    if (i.status === 'accepted') counts.accepted++;
    if (i.status === 'rejected') counts.rejected++;
    if (i.flagged) counts.flagged++;
  }

  return (
    <div className="review" data-testid="review-grid" data-total={items.length}>
      <div className="toolbar">
        <span className="small nowrap">
          {items.length} propagated · <span className="warn">{counts.flagged} low confidence</span> · {counts.accepted} accepted · {counts.rejected} rejected
        </span>
        {picked.size > 0 && (
          <span className="review-bulk" data-testid="regions-bulk" data-count={picked.size}>
            <strong>{picked.size} selected</strong>
            <button type="button" className="btn small" onClick={() => verdict('accepted')} data-testid="regions-bulk-accept">
              Accept <kbd>A</kbd>
            </button>
            <button type="button" className="btn small" onClick={() => verdict('rejected')} data-testid="regions-bulk-reject">
              Reject <kbd>R</kbd>
            </button>
          </span>
        )}
        <button
          type="button"
          className="btn small"
          disabled={unflaggedPending.length === 0}
          onClick={() => onReviewMany(unflaggedPending, 'accepted')}
          title="Accept every pending image whose confidence is not flagged as low"
          data-testid="regions-accept-confident"
        >
          Accept {unflaggedPending.length} not flagged
        </button>
        <span className="spacer" />
        <span className="muted small hint">←↑→↓ · <kbd>A</kbd> accept · <kbd>R</kbd> reject · <kbd>U</kbd> pending · <kbd>E</kbd> edit · Shift/Ctrl select</span>
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
              {sorted.slice(row.index * cols, row.index * cols + cols).map((item, k) => {
                const index = row.index * cols + k;
                return (
                  <ReviewTile
                    key={item.imageId}
                    item={item}
                    index={index}
                    size={tile}
                    opacity={opacity}
                    current={index === at}
                    picked={picked.has(item.imageId)}
                    onPoint={onPoint}
                    onReview={onReview}
                    onEdit={onEdit}
                  />
                );
              })}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
