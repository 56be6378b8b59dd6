/**
 * The thumbnail grid. Only rows near the viewport exist in the DOM, and only the pages
 * they touch are fetched, so 20,000 images scroll like 200.
 */
import { memo, useEffect, useRef, type KeyboardEvent } from 'react';
import type { ImageSummary } from '../../../src-main/api/contract';
import { api } from '../api';
import type { ImageList } from '../state/imageList';
import { gridKeyTarget, TILE_CAPTION as CAPTION, TileRows, useTileGrid, useTileSettled } from './tileGrid';

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
  const settled = useTileSettled();
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
        {settled && <img src={api.imageUrl({ kind: 'thumb', imageId: item.id })} alt="" loading="lazy" decoding="async" draggable={false} />}
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
  const total = list.total ?? 0;
  const { scrollRef, cols, size, rowHeight, virtualizer, rows, firstRow, lastRow } = useTileGrid(total, tileSize, 4);
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
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpen(Math.min(cursor, total - 1));
      return;
    }
    const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowHeight) / rowHeight));
    const next = gridKeyTarget(e.key, cursor, total, cols, pageRows);
    if (next === null) return;
    e.preventDefault();
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
      <TileRows
        rows={rows}
        totalSize={virtualizer.getTotalSize()}
        cols={cols}
        count={total}
        rowHeight={rowHeight}
        cell={(i) => <Tile key={i} index={i} item={list.get(i)} size={size} selected={i === cursor} onOpen={onOpen} />}
      />
    </div>
  );
}
