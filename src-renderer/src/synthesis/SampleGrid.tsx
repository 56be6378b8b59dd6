/**
 * The generated pairs as a virtualised grid: only rows near the viewport exist, and only the
 * pages they touch are fetched. Arrows move, Enter opens the side-by-side view.
 */
import { memo, useEffect, type KeyboardEvent } from 'react';
import type { SampleInfo } from '../../../src-main/api/contract';
import { api } from '../api';
import type { PagedList } from '../state/pagedList';
import { usePagedListVersion } from '../state/pagedList';
import { MaskedImage } from './TintedMask';
import { gridKeyTarget, TILE_CAPTION as CAPTION, TileRows, useTileGrid, useTileSettled } from '../components/tileGrid';

const SampleTile = memo(function SampleTile({ item, index, size, selected, showMask, onOpen }: { item: SampleInfo | undefined; index: number; size: number; selected: boolean; showMask: boolean; onOpen(i: number): void }) {
  const settled = useTileSettled();
  if (!item) return <div className="tile tile-loading" style={{ width: size, height: size + CAPTION }} data-testid="sample-loading" />;
  return (
    <div
      className={selected ? 'tile selected' : 'tile'}
      style={{ width: size, height: size + CAPTION }}
      onClick={() => onOpen(index)}
      title={`sample ${item.id}: ${item.cluster}, ${item.generator}, ${item.blendMode}, seed ${item.seed}`}
      data-testid="sample-tile"
      data-index={index}
      data-sample-id={item.id}
      data-cluster-id={item.clusterId ?? ''}
    >
      <div className="tile-img sample-img" style={{ width: size, height: size }}>
        {settled && <MaskedImage src={api.imageUrl({ kind: 'sample', id: item.id })} mask={{ kind: 'sampleMask', id: item.id }} width={item.width} height={item.height} showMask={showMask} opacity={0.45} />}
        <div className="badges">
          <span className="badge">{item.blendMode}</span>
        </div>
      </div>
      <div className="tile-caption mono">{item.cluster} · #{item.id}</div>
    </div>
  );
});

export function SampleGrid({ list, tileSize, cursor, showMask, suspended, onCursor, onOpen, emptyText }: { list: PagedList<SampleInfo>; tileSize: number; cursor: number; showMask: boolean; suspended: boolean; onCursor(i: number): void; onOpen(i: number): void; emptyText: string }) {
  usePagedListVersion(list);
  const total = list.total ?? 0;
  const { scrollRef, cols, size, rowHeight, virtualizer, rows, firstRow, lastRow } = useTileGrid(total, tileSize, 3);
  useEffect(() => {
    list.ensureRange(firstRow * cols, (lastRow + 1) * cols - 1);
  }, [list, firstRow, lastRow, cols, list.total]);

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (suspended || total === 0) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpen(Math.min(cursor, total - 1));
      return;
    }
    const next = gridKeyTarget(e.key, cursor, total, cols);
    if (next === null) return;
    e.preventDefault();
    onCursor(next);
    virtualizer.scrollToIndex(Math.floor(next / cols), { align: 'auto' });
  }

  return (
    <div className="grid-scroll" ref={scrollRef} tabIndex={0} onKeyDown={onKeyDown} data-testid="sample-grid" data-total={total} aria-label="Generated samples; arrows move, Enter opens, M toggles masks">
      {list.total === 0 && <div className="empty muted" data-testid="sample-grid-empty">{emptyText}</div>}
      <TileRows
        rows={rows}
        totalSize={virtualizer.getTotalSize()}
        cols={cols}
        count={total}
        rowHeight={rowHeight}
        cell={(i) => <SampleTile key={i} index={i} item={list.get(i)} size={size} selected={i === cursor} showMask={showMask} onOpen={onOpen} />}
      />
    </div>
  );
}
