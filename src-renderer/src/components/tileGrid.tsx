/**
 * What every tile grid shares (thumbnails, generated samples, the review gallery): rows
 * virtualised so only those near the viewport exist, tiles stretched to fill a row, and the
 * cursor keys of a grid.
 */
import { useVirtualizer, type VirtualItem } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

export const TILE_GAP = 6;
export const TILE_CAPTION = 20;

/**
 * A tile asks for its image only once it has stayed mounted this long. Dragging the scrollbar
 * through 20,000 images mounts ~80 tiles a frame that are gone a frame or two later; loading
 * their images anyway kept the page busy and held frames over 50 ms (`npm run bench -- grid`).
 */
export const TILE_IMAGE_DELAY_MS = 80;

/** False until the calling tile has been mounted for `TILE_IMAGE_DELAY_MS`. */
export function useTileSettled(): boolean {
  const [settled, setSettled] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => setSettled(true), TILE_IMAGE_DELAY_MS);
    return () => clearTimeout(t);
  }, []);
  return settled;
}

/** Column count, stretched tile size and the row virtualiser for `count` tiles of at least `tileSize` px. */
export function useTileGrid(count: number, tileSize: number, overscan: number) {
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

  const cols = Math.max(1, Math.floor((width - TILE_GAP) / (tileSize + TILE_GAP)));
  // Tiles stretch to fill the row, so the size setting is a minimum rather than leaving a gutter.
  const size = Math.max(tileSize, Math.floor((width - TILE_GAP) / cols - TILE_GAP));
  const rowHeight = size + TILE_CAPTION + TILE_GAP;
  const virtualizer = useVirtualizer({
    count: Math.ceil(count / cols),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan,
    useFlushSync: false,
  });
  useEffect(() => virtualizer.measure(), [rowHeight, virtualizer]);
  const rows = virtualizer.getVirtualItems();
  return {
    scrollRef,
    cols,
    size,
    rowHeight,
    virtualizer,
    rows,
    firstRow: rows.length ? rows[0].index : 0,
    lastRow: rows.length ? rows[rows.length - 1].index : 0,
  };
}

/** The virtual rows, each holding the cells of its tiles (`cell(i)` for tile i < count). */
export function TileRows({
  rows,
  totalSize,
  cols,
  count,
  rowHeight,
  cell,
}: {
  rows: VirtualItem[];
  totalSize: number;
  cols: number;
  count: number;
  rowHeight: number;
  cell(index: number): ReactNode;
}) {
  return (
    <div style={{ height: totalSize, position: 'relative', width: '100%' }}>
      {rows.map((row) => {
        const cells = [];
        for (let i = row.index * cols; i < Math.min(count, (row.index + 1) * cols); i++) cells.push(cell(i));
        return (
          <div key={row.key} className="grid-row" style={{ transform: `translateY(${row.start}px)`, height: rowHeight, gap: TILE_GAP, paddingLeft: TILE_GAP }}>
            {cells}
          </div>
        );
      })}
    </div>
  );
}

/**
 * The tile a grid key moves the cursor to (arrows by one tile or row, Home, End, and with
 * `pageRows` PageUp/PageDown by that many rows), clamped to the list; null for other keys.
 */
export function gridKeyTarget(key: string, cursor: number, total: number, cols: number, pageRows?: number): number | null {
  const moves: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: cols, ArrowUp: -cols };
  if (pageRows !== undefined) {
    moves.PageDown = cols * pageRows;
    moves.PageUp = -cols * pageRows;
  }
  let next: number | null = null;
  if (key in moves) next = cursor + moves[key];
  else if (key === 'Home') next = 0;
  else if (key === 'End') next = total - 1;
  return next === null ? null : Math.max(0, Math.min(total - 1, next));
}
