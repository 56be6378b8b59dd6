/** One generated pair in the review gallery: image, optional heat map, ARS and the filter / user badges. */
import { memo } from 'react';
import type { SampleInfo } from '../../../src-main/api/contract';
import { api } from '../api';
import { useTileSettled } from '../components/tileGrid';
import { HEAT_FILTER } from './Filters';

/** A click alone moves the cursor; Ctrl adds or removes one pair, Shift a range, to the selection. */
export type SelectHow = 'one' | 'toggle' | 'range';

export function formatArs(ars: number | null): string {
  return ars === null ? '—' : ars.toFixed(3);
}

export const SampleTile = memo(function SampleTile({
  sample,
  index,
  size,
  selected,
  picked,
  heat,
  onSelect,
}: {
  sample: SampleInfo;
  index: number;
  size: number;
  /** The cursor is on it. */
  selected: boolean;
  /** In the multi-selection that A / R apply to. */
  picked: boolean;
  heat: boolean;
  onSelect(i: number, how: SelectHow): void;
}) {
  const settled = useTileSettled();
  const cls = ['tile', 'sample-tile', selected ? 'selected' : '', picked ? 'picked' : '', sample.decision ? `decided-${sample.decision}` : ''].join(' ');
  return (
    <div
      className={cls}
      style={{ width: size, height: size + 20 }}
      onClick={(e) => onSelect(index, e.shiftKey ? 'range' : e.ctrlKey || e.metaKey ? 'toggle' : 'one')}
      title={`#${sample.id} · ${sample.cluster} · ARS ${formatArs(sample.ars)}`}
      data-testid="sample-tile"
      data-index={index}
      data-sample-id={sample.id}
      data-ars={sample.ars ?? ''}
      data-kept={sample.kept}
      data-decision={sample.decision ?? ''}
      data-picked={picked}
    >
      <div className="tile-img" style={{ width: size, height: size }}>
        {settled && <img src={api.imageUrl({ kind: 'sample', id: sample.id })} alt="" loading="lazy" decoding="async" draggable={false} />}
        {settled && heat && sample.hasScoreMap && (
          <img
            className="heat-layer"
            src={api.imageUrl({ kind: 'scoreMap', id: sample.id })}
            alt=""
            loading="lazy"
            decoding="async"
            draggable={false}
            style={{ filter: `url(#${HEAT_FILTER})` }}
            data-testid="heat-layer"
          />
        )}
        <div className="badges">
          {sample.kept && (
            <span className="badge kept" data-testid="badge-kept" title="Among the best of its cluster (the filter keeps it)">
              kept
            </span>
          )}
          {sample.decision === 'accepted' && (
            <span className="badge accepted" data-testid="badge-accepted" title="You accepted it">
              ✓
            </span>
          )}
          {sample.decision === 'rejected' && (
            <span className="badge rejected" data-testid="badge-rejected" title="You rejected it">
              ✕
            </span>
          )}
        </div>
      </div>
      <div className="tile-caption mono">
        <span className="ars" data-testid="tile-ars">
          {formatArs(sample.ars)}
        </span>{' '}
        <span className="muted">{sample.cluster}</span>
      </div>
    </div>
  );
});
