/**
 * The review gallery: rows are virtualised (only those near the viewport exist), tiles stretch
 * to fill a row. Keys are handled by the page; the gallery reports its column count and
 * scrolls the selection into view.
 */
import { useEffect } from 'react';
import type { SampleInfo } from '../../../src-main/api/contract';
import { TileRows, useTileGrid } from '../components/tileGrid';
import { SampleTile, type SelectHow } from './SampleTile';

export function SampleGallery({
  items,
  tileSize,
  cursor,
  picked,
  heat,
  onSelect,
  onColumns,
}: {
  items: readonly SampleInfo[];
  tileSize: number;
  cursor: number;
  picked: ReadonlySet<number>;
  heat: boolean;
  onSelect(i: number, how: SelectHow): void;
  onColumns(cols: number): void;
}) {
  const { scrollRef, cols, size, rowHeight, virtualizer, rows } = useTileGrid(items.length, tileSize, 3);
  useEffect(() => onColumns(cols), [cols, onColumns]);
  useEffect(() => {
    if (items.length > 0 && cursor >= 0) virtualizer.scrollToIndex(Math.floor(Math.min(cursor, items.length - 1) / cols), { align: 'auto' });
  }, [cursor, cols, items.length, virtualizer]);

  return (
    <div className="grid-scroll" ref={scrollRef} tabIndex={0} data-testid="review-gallery" data-total={items.length} aria-label="Generated pairs by ARS; arrows move, Shift+arrows select, A accept, R reject, U clear">
      <TileRows
        rows={rows}
        totalSize={virtualizer.getTotalSize()}
        cols={cols}
        count={items.length}
        rowHeight={rowHeight}
        cell={(i) => <SampleTile key={items[i].id} sample={items[i]} index={i} size={size} selected={i === cursor} picked={picked.has(items[i].id)} heat={heat} onSelect={onSelect} />}
      />
    </div>
  );
}
