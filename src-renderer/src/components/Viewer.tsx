/**
 * Full-image viewer over a list of images (the grid's filtered list, a cluster's members, a
 * page of aligned masks): ←/→ step through it, Esc closes, M toggles the mask overlay, O draws
 * it as an outline; zoom and pan live in ZoomStage, metadata in ImageMeta.
 */
import { useEffect, useState } from 'react';
import type { ImageDetail, ImageRef, ImageSummary, MaskInfo } from '../../../src-main/api/contract';
import { api, errorMessage } from '../api';
import { toggleMaskStyle, useMaskStyle } from '../state/maskStyle';
import { usePagedListVersion, type PagedList } from '../state/pagedList';
import { ImageMeta } from './ImageMeta';
import { MaskOverlay } from './MaskOverlay';
import { MaskStyleToggle } from './MaskStyleToggle';
import { ZoomStage } from './ZoomStage';

/** The image's whole ground truth when it has one, else its first region mask. */
function overlayMask(masks: MaskInfo[]): MaskInfo | undefined {
  return masks.find((m) => m.role === 'union') ?? masks[0];
}

export function Viewer({
  list,
  index,
  onIndex,
  onClose,
  onSplitChanged,
  overlayFor,
  title,
}: {
  list: PagedList<ImageSummary>;
  index: number;
  onIndex(i: number): void;
  onClose(): void;
  onSplitChanged(): void;
  /** The mask to lay over item `index` instead of the image's own (an aligned mask on its normal image). */
  overlayFor?(index: number): { ref: ImageRef; label: string } | null;
  /** What the list is, shown in the bar ("defect A · members"). */
  title?: string;
}) {
  usePagedListVersion(list);
  const maskStyle = useMaskStyle();
  const summary = list.get(index);
  const total = list.total ?? 0;
  const [detail, setDetail] = useState<ImageDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [showMask, setShowMask] = useState(true);
  const [opacity, setOpacity] = useState(0.5);

  useEffect(() => {
    if (!summary) void list.at(index);
  }, [list, index, summary]);

  const imageId = summary?.id;
  useEffect(() => {
    if (imageId === undefined) return;
    let live = true;
    api.invoke('dataset.image', { imageId }).then(
      (d) => live && (setDetail(d), setError(null)),
      (err) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [imageId]);

  // Warm the neighbours so stepping through a list does not wait on decode.
  useEffect(() => {
    for (const i of [index - 1, index + 1]) {
      const s = list.get(i);
      if (s) new Image().src = api.imageUrl({ kind: 'image', imageId: s.id });
      else if (i >= 0 && i < total) void list.at(i);
    }
  }, [list, index, total]);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.target instanceof HTMLInputElement && e.target.type !== 'range') return;
      if (e.key === 'Escape') onClose();
      else if (e.key === 'ArrowRight') onIndex(Math.min(total - 1, index + 1));
      else if (e.key === 'ArrowLeft') onIndex(Math.max(0, index - 1));
      else if (e.key === 'm' || e.key === 'M') setShowMask((v) => !v);
      else if (e.key === 'o' || e.key === 'O') toggleMaskStyle();
      else return;
      e.preventDefault();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [index, total, onIndex, onClose]);

  const current = detail && detail.id === imageId ? detail : null;
  const given = overlayFor ? overlayFor(index) : null;
  const own = current && !given ? overlayMask(current.masks) : undefined;
  const mask: { id: number; ref: ImageRef } | undefined = given ? { id: -1, ref: given.ref } : own ? { id: own.id, ref: { kind: 'mask', maskId: own.id } } : undefined;
  const width = summary?.width ?? current?.width ?? 0;
  const height = summary?.height ?? current?.height ?? 0;

  async function setFewShot(fewShot: boolean) {
    if (!current) return;
    try {
      setDetail(await api.invoke('dataset.setFewShot', { imageId: current.id, fewShot }));
      onSplitChanged();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <div className="viewer" role="dialog" aria-modal="true" data-testid="viewer" data-index={index} data-image-id={imageId ?? ''}>
      <div className="viewer-main">
        <div className="viewer-bar">
          <button type="button" className="btn small" onClick={() => onIndex(Math.max(0, index - 1))} disabled={index <= 0} title="Previous (←)" data-testid="viewer-prev">
            ←
          </button>
          <span className="mono nowrap" data-testid="viewer-position">
            {index + 1} / {total}
          </span>
          <button type="button" className="btn small" onClick={() => onIndex(Math.min(total - 1, index + 1))} disabled={index >= total - 1} title="Next (→)" data-testid="viewer-next">
            →
          </button>
          {title && <span className="muted small nowrap">{title}</span>}
          <span className="viewer-title mono" title={summary?.relPath}>
            {summary?.relPath ?? '…'}
          </span>
          {given && <span className="muted small" data-testid="viewer-overlay-label">{given.label}</span>}
          <span className="spacer" />
          {mask && (
            <>
              <button
                type="button"
                className={showMask ? 'btn small active' : 'btn small'}
                onClick={() => setShowMask((v) => !v)}
                title="Mask overlay (M)"
                data-testid="mask-toggle"
                aria-pressed={showMask}
              >
                Mask <kbd>M</kbd>
              </button>
              <label className="slider small muted">
                Opacity
                <input
                  type="range"
                  min={0}
                  max={1}
                  step={0.05}
                  value={opacity}
                  onChange={(e) => setOpacity(Number(e.target.value))}
                  disabled={!showMask || maskStyle === 'outline'}
                  data-testid="mask-opacity"
                />
                <span className="mono">{Math.round(opacity * 100)}%</span>
              </label>
              <MaskStyleToggle disabled={!showMask} />
            </>
          )}
          <span className="muted small hint">wheel/+/− zoom · 0 fit · drag pan · Esc close</span>
          <button type="button" className="btn small" onClick={onClose} title="Close (Esc)" data-testid="viewer-close">
            ×
          </button>
        </div>
        {summary && width > 0 && (
          <ZoomStage width={width} height={height}>
            <img
              key={summary.id}
              className="viewer-image"
              src={api.imageUrl({ kind: 'image', imageId: summary.id })}
              width={width}
              height={height}
              alt={summary.relPath}
              draggable={false}
              data-testid="viewer-image"
            />
            {mask && showMask && (
              <MaskOverlay url={api.imageUrl(mask.ref)} width={width} height={height} opacity={opacity} style={maskStyle} />
            )}
          </ZoomStage>
        )}
        {error && <div className="alert viewer-error">{error}</div>}
      </div>
      <ImageMeta summary={summary} detail={current} overlayMaskId={own?.id} onSetFewShot={setFewShot} />
    </div>
  );
}
