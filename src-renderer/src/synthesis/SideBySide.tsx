/**
 * One generated pair next to what it came from, over the whole window: the normal image | the
 * generated image | its label (the aligned mask, or the part of it the exemplar's own mask
 * covers). The three panes zoom and pan together (wheel, +/−, drag; 0 fits), so one spot is
 * compared across them. ←/→ step through the gallery's list, M toggles the mask on the
 * generated image, O draws it as an outline, Esc closes.
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { SampleInfo } from '../../../src-main/api/contract';
import { api } from '../api';
import { MaskStyleToggle } from '../components/MaskStyleToggle';
import { FIT_VIEW, ZoomStage, type View } from '../components/ZoomStage';
import { toggleMaskStyle } from '../state/maskStyle';
import { usePagedListVersion, type PagedList } from '../state/pagedList';
import { TintedMask } from './TintedMask';

export function SideBySide({ list, index, showMask, onIndex, onToggleMask, onClose }: { list: PagedList<SampleInfo>; index: number; showMask: boolean; onIndex(i: number): void; onToggleMask(): void; onClose(): void }) {
  usePagedListVersion(list);
  const s = list.get(index);
  const total = list.total ?? 0;
  // One view for the three panes (they are the same size): zoom and pan move all of them.
  const [view, setView] = useState<View>(FIT_VIEW);

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
      else if (e.key === 'o' || e.key === 'O') toggleMaskStyle();
      else return;
      e.preventDefault();
      e.stopPropagation();
    }
    // Capture: the grid under this view must not also move its cursor.
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [index, total, onIndex, onClose, onToggleMask]);

  const pane = (caption: string, testId: string, content: ReactNode, first = false) =>
    s && (
      <figure className="sbs-pane">
        <figcaption>{caption}</figcaption>
        <ZoomStage width={s.width} height={s.height} view={view} onView={setView} keyboard={first} testId={`${testId}-stage`}>
          {content}
        </ZoomStage>
      </figure>
    );

  return (
    <div className="sbs" data-testid="sbs" data-index={index} data-sample-id={s?.id ?? ''} data-scale={view.scale.toFixed(4)} role="dialog" aria-label="Generated pair">
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
        <span className="hint muted small">←/→ step · wheel/+/− zoom all · drag pan · 0 fit · M mask · O outline · Esc close</span>
        <button type="button" className={showMask ? 'btn small active' : 'btn small'} onClick={onToggleMask} data-testid="sbs-mask-toggle" data-on={showMask}>Mask</button>
        <MaskStyleToggle disabled={!showMask} />
        <button type="button" className="btn small" disabled={index === 0} onClick={() => onIndex(index - 1)} data-testid="sbs-prev">←</button>
        <button type="button" className="btn small" disabled={index >= total - 1} onClick={() => onIndex(index + 1)} data-testid="sbs-next">→</button>
        <button type="button" className="btn small" onClick={onClose} data-testid="sbs-close">Close</button>
      </div>
      {s ? (
        <div className="sbs-panes">
          {pane(
            'Normal image',
            'sbs-normal',
            <img className="viewer-image" src={api.imageUrl({ kind: 'image', imageId: s.normalImageId })} width={s.width} height={s.height} alt="" draggable={false} data-testid="sbs-normal" />,
            true,
          )}
          {pane(
            'Generated',
            'sbs-sample',
            <div className="sbs-layered" style={{ width: s.width, height: s.height }}>
              <img className="viewer-image" src={api.imageUrl({ kind: 'sample', id: s.id })} width={s.width} height={s.height} alt="" draggable={false} data-testid="sbs-sample" />
              {showMask && <TintedMask mask={{ kind: 'sampleMask', id: s.id }} opacity={0.45} />}
            </div>,
          )}
          {pane(
            'Label',
            'sbs-mask',
            <img className="viewer-image" src={api.imageUrl({ kind: 'sampleMask', id: s.id })} width={s.width} height={s.height} alt="" draggable={false} data-testid="sbs-mask" />,
          )}
        </div>
      ) : (
        <div className="empty muted">Loading…</div>
      )}
    </div>
  );
}
