/**
 * The thumbnail grid. Only rows near the viewport exist in the DOM, and only the pages
 * they touch are fetched, so 20,000 images scroll like 200.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ImageSummary } from '../../../src-main/api/contract';
import { api } from '../api';
import type { ImageList } from '../state/imageList';

const GAP = 6;
const CAPTION = 20;

const Tile = memo(function Tile({
  item,
  index,
  size,
  selected,
  onOpen,
}: {
  item: ImageSummary | undefined;
  index: number;
  size: number;
  selected: boolean;
  onOpen(i: number): void;
}) {
  if (!item) {
    return <div className="tile tile-loading" style={{ width: size, height: size + CAPTION }} data-testid="tile-loading" />;
  }
  const fewShot = item.split === 'fewshot';
  return (
    <div
      className={selected ? 'tile selected' : 'tile'}
      style={{ width: size, height: size + CAPTION }}
      onClick={() => onOpen(index)}
      title={item.relPath}
      data-testid="tile"
      data-index={index}
      data-image-id={item.id}
      data-kind={item.kind}
      data-type={item.defectType}
      data-split={item.split}
    >
      <div className="tile-img" style={{ width: size, height: size }}>
        <img src={api.imageUrl({ kind: 'thumb', imageId: item.id })} alt="" loading="lazy" decoding="async" draggable={false} />
        <div className="badges">
          {item.kind === 'anomaly' && (
            <span className="badge anomaly" data-testid="badge-type">
              {item.defectType}
            </span>
          )}
          {fewShot && (
            <span className="badge fewshot" data-testid="badge-fewshot" title="In the few-shot training set">
              FS
            </span>
          )}
          {item.hasError && (
            <span className="badge error" data-testid="badge-error" title="This item has import errors">
              !
            </span>
          )}
        </div>
      </div>
      <div className="tile-caption mono">{item.relPath.split('/').slice(-2).join('/')}</div>
    </div>
  );
});

export function ThumbGrid({
  list,
  tileSize,
  cursor,
  onCursor,
  onOpen,
  suspended,
  emptyText,
}: {
  list: ImageList;
  tileSize: number;
  cursor: number;
  onCursor(i: number): void;
  onOpen(i: number): void;
  /** True while the viewer is up: the grid must not take its keys. */
  suspended: boolean;
  emptyText: string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, []);

  const total = list.total ?? 0;
  const cols = Math.max(1, Math.floor((width - GAP) / (tileSize + GAP)));
  // Tiles stretch to fill the row, so the slider sets a minimum size rather than leaving a gutter.
  const size = Math.max(tileSize, Math.floor((width - GAP) / cols - GAP));
  const rows = Math.ceil(total / cols);
  const rowHeight = size + CAPTION + GAP;

  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 4,
  });
  useEffect(() => virtualizer.measure(), [rowHeight, virtualizer]);

  const items = virtualizer.getVirtualItems();
  const firstRow = items.length ? items[0].index : 0;
  const lastRow = items.length ? items[items.length - 1].index : 0;
  useEffect(() => {
    list.ensureRange(firstRow * cols, (lastRow + 1) * cols - 1);
  }, [list, firstRow, lastRow, cols, list.total]);

  // Returning from the viewer lands on the image last shown; only that moment scrolls, not
  // every cursor move (keyboard moves scroll themselves), hence the ref for the other values.
  const latest = useRef({ cursor, total, cols });
  latest.current = { cursor, total, cols };
  useEffect(() => {
    const { cursor: c, total: t, cols: n } = latest.current;
    if (!suspended && t > 0) virtualizer.scrollToIndex(Math.floor(Math.min(c, t - 1) / n), { align: 'auto' });
  }, [suspended, virtualizer]);

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (suspended || total === 0) return;
    const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowHeight) / rowHeight));
    const moves: Record<string, number> = {
      ArrowRight: 1,
      ArrowLeft: -1,
      ArrowDown: cols,
      ArrowUp: -cols,
      PageDown: cols * pageRows,
      PageUp: -cols * pageRows,
    };
    let next: number | null = null;
    if (e.key in moves) next = cursor + moves[e.key];
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = total - 1;
    else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpen(Math.min(cursor, total - 1));
      return;
    }
    if (next === null) return;
    e.preventDefault();
    next = Math.max(0, Math.min(total - 1, next));
    onCursor(next);
    virtualizer.scrollToIndex(Math.floor(next / cols), { align: 'auto' });
  }

  return (
    <div
      className="grid-scroll"
      ref={scrollRef}
      tabIndex={0}
      onKeyDown={onKeyDown}
      data-testid="thumb-grid"
      data-total={total}
      aria-label="Images; arrows move, Enter opens"
    >
      {list.total === 0 && <div className="empty muted" data-testid="grid-empty">{emptyText}</div>}
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }}>
        {items.map((row) => {
          const start = row.index * cols;
          const end = Math.min(total, start + cols);
          const cells = [];
          for (let i = start; i < end; i++) {
            cells.push(<Tile key={i} index={i} item={list.get(i)} size={size} selected={i === cursor} onOpen={onOpen} />);
          }
          return (
            <div
              key={row.key}
              className="grid-row"
              style={{ transform: `translateY(${row.start}px)`, height: rowHeight, gap: GAP, paddingLeft: GAP }}
            >
              {cells}
            </div>
          );
        })}
      </div>
    </div>
  );
}
