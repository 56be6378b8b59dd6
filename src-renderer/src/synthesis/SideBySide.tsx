/**
 * One generated pair next to what it came from: the normal image | the generated image |
 * the aligned mask. ←/→ step through the gallery's list, M toggles the mask tint on the
 * generated image, Esc closes.
 */
import { useEffect } from 'react';
import type { SampleInfo } from '../../../src-main/api/contract';
import { api } from '../api';
import { usePagedListVersion, type PagedList } from '../state/pagedList';
import { MaskedImage } from './TintedMask';

export function SideBySide({ list, index, showMask, onIndex, onToggleMask, onClose }: { list: PagedList<SampleInfo>; index: number; showMask: boolean; onIndex(i: number): void; onToggleMask(): void; onClose(): void }) {
  usePagedListVersion(list);
  const s = list.get(index);
  const total = list.total ?? 0;

  useEffect(() => {
    if (!s) void list.at(index);
  }, [list, index, s]);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === 'Escape') onClose();
      else if (e.key === 'ArrowRight' && index < total - 1) onIndex(index + 1);
      else if (e.key === 'ArrowLeft' && index > 0) onIndex(index - 1);
      else if (e.key === 'm' || e.key === 'M') onToggleMask();
      else return;
      e.preventDefault();
      e.stopPropagation();
    }
    // Capture: the grid under this view must not also move its cursor.
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [index, total, onIndex, onClose, onToggleMask]);

  return (
    <div className="sbs" data-testid="sbs" data-index={index} data-sample-id={s?.id ?? ''} role="dialog" aria-label="Generated pair">
      <div className="viewer-bar">
        <strong>{s ? `${s.cluster} · sample #${s.id}` : '…'}</strong>
        <span className="muted mono" data-testid="sbs-position">{index + 1}/{total}</span>
        {s && (
          <span className="muted small">
            {s.generator} · blend {s.blendMode} · seed {s.seed}
            {s.ars !== null && ` · ARS ${s.ars.toFixed(3)}`}
          </span>
        )}
        <span className="spacer" />
        <span className="hint muted small">←/→ step · M mask · Esc close</span>
        <button type="button" className={showMask ? 'btn small active' : 'btn small'} onClick={onToggleMask} data-testid="sbs-mask-toggle" data-on={showMask}>Mask</button>
        <button type="button" className="btn small" disabled={index === 0} onClick={() => onIndex(index - 1)} data-testid="sbs-prev">←</button>
        <button type="button" className="btn small" disabled={index >= total - 1} onClick={() => onIndex(index + 1)} data-testid="sbs-next">→</button>
        <button type="button" className="btn small" onClick={onClose} data-testid="sbs-close">Close</button>
      </div>
      {s ? (
        <div className="sbs-panes">
          <figure className="sbs-pane">
            <figcaption>Normal image</figcaption>
            <div className="sbs-frame">
              <MaskedImage src={api.imageUrl({ kind: 'image', imageId: s.normalImageId })} maskId={s.alignedMaskId} width={s.width} height={s.height} showMask={false} testId="sbs-normal" />
            </div>
          </figure>
          <figure className="sbs-pane">
            <figcaption>Generated</figcaption>
            <div className="sbs-frame">
              <MaskedImage src={api.imageUrl({ kind: 'sample', id: s.id })} maskId={s.alignedMaskId} width={s.width} height={s.height} showMask={showMask} opacity={0.45} testId="sbs-sample" />
            </div>
          </figure>
          <figure className="sbs-pane">
            <figcaption>Aligned mask</figcaption>
            <div className="sbs-frame">
              <div className="masked-image" style={{ aspectRatio: `${s.width} / ${s.height}` }}>
                <img src={api.imageUrl({ kind: 'alignedMask', id: s.alignedMaskId })} alt="" draggable={false} data-testid="sbs-mask" />
              </div>
            </div>
          </figure>
        </div>
      ) : (
        <div className="empty muted">Loading…</div>
      )}
    </div>
  );
}
