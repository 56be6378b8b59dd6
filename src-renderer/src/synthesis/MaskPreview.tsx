/**
 * A cluster's aligned masks as tiles: the normal image with the mask tinted on it, and the
 * mask's mode, region and inside-fraction. Paged by the engine; re-read when `stamp` moves.
 */
import { useEffect, useState } from 'react';
import type { AlignedMaskInfo, AlignedMaskPage } from '../../../src-main/api/contract';
import { api, errorMessage } from '../api';
import { MaskedImage } from './TintedMask';

const PAGE = 24;

export function MaskPreview({
  categoryId,
  clusterId,
  stamp,
  onOpen,
}: {
  categoryId: number;
  clusterId: number;
  stamp: number;
  /** Opens mask `index` of the shown page in the viewer (on its normal image). */
  onOpen?(masks: AlignedMaskInfo[], index: number): void;
}) {
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<AlignedMaskPage | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.invoke('masks.list', { categoryId, clusterId, offset, limit: PAGE }).then(
      (p) => live && (setPage(p), setError(null)),
      (err) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [categoryId, clusterId, offset, stamp]);

  const total = page?.total ?? 0;
  return (
    <div className="mask-preview" data-testid="mask-preview" data-total={total}>
      <div className="mask-preview-head small">
        <span className="muted">Aligned masks</span>
        <span className="mono" data-testid="mask-count">{page ? total : '…'}</span>
        {total > PAGE && (
          <>
            <span className="spacer" />
            <button type="button" className="btn small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))} data-testid="mask-prev">‹</button>
            <span className="muted mono">{offset + 1}–{Math.min(total, offset + PAGE)}</span>
            <button type="button" className="btn small" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)} data-testid="mask-next">›</button>
          </>
        )}
        {error && <span className="job-error">{error}</span>}
      </div>
      {page && total === 0 && <div className="muted small">None yet: set the rule, then Make masks.</div>}
      <div className="mask-tiles">
        {page?.items.map((m, i) => (
          <figure
            key={m.id}
            className="mask-tile"
            data-testid="mask-tile"
            data-mask-id={m.id}
            data-normal-image-id={m.normalImageId}
            title={`mask ${m.id} on image ${m.normalImageId}, seed ${m.seed}, area ${m.area} px · click to open`}
            onClick={() => onOpen?.(page.items, i)}
          >
            <MaskedImage src={api.imageUrl({ kind: 'thumb', imageId: m.normalImageId })} mask={{ kind: 'alignedMask', id: m.id }} width={m.width} height={m.height} showMask />
            <figcaption className="mono">
              <span data-testid="mask-mode">{m.mode}</span>
              <span className="muted mask-region" data-testid="mask-region">{m.region ?? 'implicit'}</span>
              <span data-testid="mask-inside" title="Fraction of the mask inside its region">{(m.insideFraction * 100).toFixed(0)}%</span>
            </figcaption>
          </figure>
        ))}
      </div>
    </div>
  );
}
