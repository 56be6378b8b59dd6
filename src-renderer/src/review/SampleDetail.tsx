/** The selected pair large: image, its label as a tint, the heat map, and the user's word. */
import type { SampleInfo } from '../../../src-main/api/contract';
import { showsItsDefect } from '../../../src-main/api/limits';
import { api } from '../api';
import { MASK_OUTLINE_FILTER } from '../components/MaskFilters';
import { MaskStyleToggle } from '../components/MaskStyleToggle';
import { useMaskStyle } from '../state/maskStyle';
import { HEAT_FILTER, HeatLegend, MASK_FILTER } from './Filters';
import { formatArs } from './SampleTile';
import type { Decision } from './useSamples';

export function SampleDetail({
  sample,
  heat,
  showMask,
  onToggleMask,
  onDecide,
}: {
  sample: SampleInfo | undefined;
  heat: boolean;
  showMask: boolean;
  onToggleMask(): void;
  onDecide(d: Decision): void;
}) {
  const maskStyle = useMaskStyle();
  if (!sample) return <div className="muted pad">Select a pair to see it large.</div>;
  const faint = !showsItsDefect(sample.insideVisible, sample.contrastRatio);
  return (
    <div className="sample-detail" data-testid="sample-detail" data-sample-id={sample.id}>
      <div className="detail-stage" style={{ aspectRatio: `${sample.width} / ${sample.height}` }}>
        <img src={api.imageUrl({ kind: 'sample', id: sample.id })} alt={`Generated pair ${sample.id}`} draggable={false} />
        {heat && sample.hasScoreMap && (
          <img className="heat-layer" src={api.imageUrl({ kind: 'scoreMap', id: sample.id })} alt="" draggable={false} style={{ filter: `url(#${HEAT_FILTER})` }} data-testid="detail-heat" />
        )}
        {showMask && (
          <img
            className={maskStyle === 'outline' ? 'mask-tint outline' : 'mask-tint'}
            src={api.imageUrl({ kind: 'sampleMask', id: sample.id })}
            alt=""
            draggable={false}
            style={{ filter: `url(#${maskStyle === 'outline' ? MASK_OUTLINE_FILTER : MASK_FILTER})` }}
            data-testid="detail-mask"
            data-style={maskStyle}
          />
        )}
      </div>
      {heat && <HeatLegend />}
      <dl className="detail-facts">
        <dt>ARS</dt>
        <dd className="mono" data-testid="detail-ars">{formatArs(sample.ars)}</dd>
        <dt>Cluster</dt>
        <dd>{sample.cluster}</dd>
        <dt>Filter</dt>
        <dd>{sample.ars === null ? 'not scored' : sample.kept ? 'kept' : 'dropped'}</dd>
        <dt>Your word</dt>
        <dd data-testid="detail-decision">{sample.decision ?? '—'}</dd>
        <dt>Sample</dt>
        <dd className="mono">#{sample.id} · seed {sample.seed} · {sample.generator}</dd>
        <dt>Blend</dt>
        <dd data-testid="detail-blend">
          {sample.blendMode}
          {typeof sample.draws?.contrastGain === 'number' && ` · contrast ×${sample.draws.contrastGain.toFixed(2)}`}
          {typeof sample.draws?.fallback === 'string' && <span className="warn"> · inpainted: {sample.draws.fallback}</span>}
        </dd>
        <dt title="Largest change outside the mask grown by its band; over 8 grey levels anywhere there, the pair is never exported as synthetic">Outside mask</dt>
        <dd data-testid="detail-outside" className={sample.outsideChange && sample.outsideChange.overTolerance > 0 ? 'warn' : undefined}>
          {sample.outsideChange === null
            ? 'not measured (made before it was recorded)'
            : sample.outsideChange.overTolerance > 0
              ? `${sample.outsideChange.overTolerance} px changed by more than 8 levels (max ${sample.outsideChange.max}): left out of exports`
              : `aligned: at most ${sample.outsideChange.max} levels`}
        </dd>
        <dt title="Share of the mask's pixels changed by more than 8 grey levels; under 10 % the label shows no defect and the pair is never exported as synthetic">
          Inside mask
        </dt>
        <dd data-testid="detail-inside" className={faint ? 'warn' : undefined}>
          {sample.insideVisible === null ? 'not measured (made before it was recorded)' : `${(100 * sample.insideVisible).toFixed(0)} % visibly changed`}
          {sample.contrastRatio !== null && ` · contrast ×${sample.contrastRatio.toFixed(2)} of its cluster's exemplars`}
          {faint && ': too faint to show its defect, left out of exports'}
        </dd>
      </dl>
      <div className="detail-actions">
        <button type="button" className={sample.decision === 'accepted' ? 'btn small active' : 'btn small'} onClick={() => onDecide('accepted')} data-testid="detail-accept">
          Accept <kbd>A</kbd>
        </button>
        <button type="button" className={sample.decision === 'rejected' ? 'btn small active' : 'btn small'} onClick={() => onDecide('rejected')} data-testid="detail-reject">
          Reject <kbd>R</kbd>
        </button>
        <button type="button" className="btn small" disabled={sample.decision === null} onClick={() => onDecide(null)} data-testid="detail-clear">
          Clear <kbd>U</kbd>
        </button>
        <label className="check small">
          <input type="checkbox" checked={showMask} onChange={onToggleMask} data-testid="toggle-mask" /> mask <kbd>M</kbd>
        </label>
        <MaskStyleToggle disabled={!showMask} />
      </div>
    </div>
  );
}
