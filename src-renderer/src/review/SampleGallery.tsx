/**
 * The review gallery: rows are virtualised (only those near the viewport exist), tiles stretch
 * to fill a row. Keys are handled by the page; the gallery reports its column count and
 * scrolls the selection into view.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { SampleInfo } from '../../../src-main/api/contract';
import { SampleTile } from './SampleTile';

const GAP = 6;
const CAPTION = 20;

export function SampleGallery({
  items,
  tileSize,
  cursor,
  heat,
  onSelect,
  onColumns,
}: {
  items: readonly SampleInfo[];
  tileSize: number;
  cursor: number;
  heat: boolean;
  onSelect(i: number): void;
  onColumns(cols: number): void;
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

  const cols = Math.max(1, Math.floor((width - GAP) / (tileSize + GAP)));
  const size = Math.max(tileSize, Math.floor((width - GAP) / cols - GAP));
  const rows = Math.ceil(items.length / cols);
  const rowHeight = size + CAPTION + GAP;
  useEffect(() => onColumns(cols), [cols, onColumns]);

  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 3,
  });
  useEffect(() => virtualizer.measure(), [rowHeight, virtualizer]);
  useEffect(() => {
    if (items.length > 0 && cursor >= 0) virtualizer.scrollToIndex(Math.floor(Math.min(cursor, items.length - 1) / cols), { align: 'auto' });
  }, [cursor, cols, items.length, virtualizer]);

  return (
    <div className="grid-scroll" ref={scrollRef} tabIndex={0} data-testid="review-gallery" data-total={items.length} aria-label="Generated pairs by ARS; arrows move, A accept, R reject, U clear">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }}>
        {virtualizer.getVirtualItems().map((row) => {
          const cells = [];
          for (let i = row.index * cols; i < Math.min(items.length, (row.index + 1) * cols); i++) {
            cells.push(<SampleTile key={items[i].id} sample={items[i]} index={i} size={size} selected={i === cursor} heat={heat} onSelect={onSelect} />);
          }
          return (
            <div key={row.key} className="grid-row" style={{ transform: `translateY(${row.start}px)`, height: rowHeight, gap: GAP, paddingLeft: GAP }}>
              {cells}
            </div>
          );
        })}
      </div>
    </div>
  );
}
