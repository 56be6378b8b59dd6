/**
 * The generated pairs as a virtualised grid: only rows near the viewport exist, and only the
 * pages they touch are fetched. Arrows move, Enter opens the side-by-side view.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { SampleInfo } from '../../../src-main/api/contract';
import { api } from '../api';
import type { PagedList } from './pagedList';
import { usePagedListVersion } from './pagedList';
import { MaskedImage } from './TintedMask';

const GAP = 6;
const CAPTION = 20;

const SampleTile = memo(function SampleTile({ item, index, size, selected, showMask, onOpen }: { item: SampleInfo | undefined; index: number; size: number; selected: boolean; showMask: boolean; onOpen(i: number): void }) {
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
        <MaskedImage src={api.imageUrl({ kind: 'sample', id: item.id })} maskId={item.alignedMaskId} width={item.width} height={item.height} showMask={showMask} opacity={0.45} />
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
  const size = Math.max(tileSize, Math.floor((width - GAP) / cols - GAP));
  const rows = Math.ceil(total / cols);
  const rowHeight = size + CAPTION + GAP;

  const virtualizer = useVirtualizer({ count: rows, getScrollElement: () => scrollRef.current, estimateSize: () => rowHeight, overscan: 3 });
  useEffect(() => virtualizer.measure(), [rowHeight, virtualizer]);

  const items = virtualizer.getVirtualItems();
  const firstRow = items.length ? items[0].index : 0;
  const lastRow = items.length ? items[items.length - 1].index : 0;
  useEffect(() => {
    list.ensureRange(firstRow * cols, (lastRow + 1) * cols - 1);
  }, [list, firstRow, lastRow, cols, list.total]);

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (suspended || total === 0) return;
    const moves: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: cols, ArrowUp: -cols };
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpen(Math.min(cursor, total - 1));
      return;
    }
    let next: number | null = null;
    if (e.key in moves) next = cursor + moves[e.key];
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = total - 1;
    if (next === null) return;
    e.preventDefault();
    next = Math.max(0, Math.min(total - 1, next));
    onCursor(next);
    virtualizer.scrollToIndex(Math.floor(next / cols), { align: 'auto' });
  }

  return (
    <div className="grid-scroll" ref={scrollRef} tabIndex={0} onKeyDown={onKeyDown} data-testid="sample-grid" data-total={total} aria-label="Generated samples; arrows move, Enter opens, M toggles masks">
      {list.total === 0 && <div className="empty muted" data-testid="sample-grid-empty">{emptyText}</div>}
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }}>
        {items.map((row) => {
          const start = row.index * cols;
          const end = Math.min(total, start + cols);
          const cells = [];
          for (let i = start; i < end; i++) cells.push(<SampleTile key={i} index={i} item={list.get(i)} size={size} selected={i === cursor} showMask={showMask} onOpen={onOpen} />);
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
