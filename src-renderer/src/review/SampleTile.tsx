/** One generated pair in the review gallery: image, optional heat map, ARS and the filter / user badges. */
import { memo } from 'react';
import type { SampleInfo } from '../../../src-main/api/contract';
import { api } from '../api';
import { HEAT_FILTER } from './Filters';

export function formatArs(ars: number | null): string {
  return ars === null ? '—' : ars.toFixed(3);
}

export const SampleTile = memo(function SampleTile({
  sample,
  index,
  size,
  selected,
  heat,
  onSelect,
}: {
  sample: SampleInfo;
  index: number;
  size: number;
  selected: boolean;
  heat: boolean;
  onSelect(i: number): void;
}) {
  const cls = ['tile', 'sample-tile', selected ? 'selected' : '', sample.decision ? `decided-${sample.decision}` : ''].join(' ');
  return (
    <div
      className={cls}
      style={{ width: size, height: size + 20 }}
      onClick={() => onSelect(index)}
      title={`#${sample.id} · ${sample.cluster} · ARS ${formatArs(sample.ars)}`}
      data-testid="sample-tile"
      data-index={index}
      data-sample-id={sample.id}
      data-ars={sample.ars ?? ''}
      data-kept={sample.kept}
      data-decision={sample.decision ?? ''}
    >
      <div className="tile-img" style={{ width: size, height: size }}>
        <img src={api.imageUrl({ kind: 'sample', id: sample.id })} alt="" loading="lazy" decoding="async" draggable={false} />
        {heat && sample.hasScoreMap && (
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
