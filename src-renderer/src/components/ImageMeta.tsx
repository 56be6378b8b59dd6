/** The viewer's side panel: what the engine recorded about one image, its masks and errors. */
import { useState, type ReactNode } from 'react';
import type { ImageDetail, ImageSummary } from '../../../src-main/api/contract';

const SPLIT_LABEL: Record<string, string> = {
  train: 'Train (normal, may be learned from)',
  test: 'Test (normal, evaluation only)',
  fewshot: 'Few-shot training set',
  heldout: 'Held out for evaluation',
};

function Row({ label, children, testid }: { label: string; children: ReactNode; testid?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testid}>{children}</dd>
    </>
  );
}

export function ImageMeta({
  summary,
  detail,
  overlayMaskId,
  onSetFewShot,
}: {
  summary: ImageSummary | undefined;
  detail: ImageDetail | null;
  overlayMaskId: number | undefined;
  onSetFewShot(fewShot: boolean): Promise<void>;
}) {
  const [busy, setBusy] = useState(false);
  const d = detail;
  const s = d ?? summary;

  async function move(fewShot: boolean) {
    setBusy(true);
    try {
      await onSetFewShot(fewShot);
    } finally {
      setBusy(false);
    }
  }

  return (
    <aside className="viewer-side" data-testid="viewer-meta">
      {!s && <p className="muted pad">Loading…</p>}
      {s && (
        <>
          <section>
            <h3>Image</h3>
            <dl className="meta">
              <Row label="File">
                <span className="mono wrap" title={d?.sourcePath}>
                  {s.relPath}
                </span>
              </Row>
              <Row label="Category">{s.category}</Row>
              <Row label="Kind" testid="meta-kind">
                {s.kind}
              </Row>
              <Row label="Type" testid="meta-type">
                {s.defectType}
              </Row>
              <Row label="Size" testid="meta-size">
                <span className="mono">
                  {s.width} × {s.height}
                </span>
              </Row>
              <Row label="Channels" testid="meta-channels">
                {d ? d.channels : '…'}
              </Row>
              <Row label="Bit depth" testid="meta-bitdepth">
                {d ? d.bitDepth : '…'}
              </Row>
              <Row label="Hash">
                <span className="mono" title={d?.hash} data-testid="meta-hash">
                  {d ? d.hash.slice(0, 16) : '…'}
                </span>
              </Row>
            </dl>
          </section>

          <section>
            <h3>Split</h3>
            <p className="small" data-testid="meta-split" data-split={s.split}>
              {SPLIT_LABEL[s.split] ?? s.split}
            </p>
            {s.kind === 'anomaly' && (
              <div className="segmented" role="group" aria-label="Few-shot split">
                <button
                  type="button"
                  className={s.split === 'fewshot' ? 'btn small active' : 'btn small'}
                  disabled={busy || !d || s.split === 'fewshot'}
                  onClick={() => move(true)}
                  data-testid="split-fewshot"
                >
                  Few-shot
                </button>
                <button
                  type="button"
                  className={s.split === 'heldout' ? 'btn small active' : 'btn small'}
                  disabled={busy || !d || s.split === 'heldout'}
                  onClick={() => move(false)}
                  data-testid="split-heldout"
                >
                  Held-out
                </button>
              </div>
            )}
          </section>

          <section>
            <h3>
              Masks <span className="muted">{d ? d.masks.length : s.maskCount}</span>
            </h3>
            {d && d.masks.length === 0 && <p className="muted small">None.</p>}
            <ul className="mask-list" data-testid="meta-masks">
              {d?.masks.map((m) => (
                <li key={m.id} className={m.id === overlayMaskId ? 'active' : undefined} data-testid="meta-mask">
                  <span className="badge">{m.role}{m.regionIndex !== null ? ` ${m.regionIndex}` : ''}</span>
                  <span className="mono small">
                    {m.width}×{m.height}
                  </span>
                  <span className="mono small" title="On-pixels after binarisation">
                    {m.area.toLocaleString('en-US')} px
                  </span>
                  {m.sourcePath && (
                    <div className="mono small muted wrap" title={m.sourcePath}>
                      {m.sourcePath.split(/[\\/]/).slice(-2).join('/')}
                    </div>
                  )}
                </li>
              ))}
            </ul>
          </section>

          {d && d.errors.length > 0 && (
            <section>
              <h3 className="warn">Errors {d.errors.length}</h3>
              <ul className="errors-list" data-testid="meta-errors">
                {d.errors.map((e) => (
                  <li key={e.id}>
                    <div className="mono small wrap">{e.file}</div>
                    <div className="small">{e.reason}</div>
                  </li>
                ))}
              </ul>
            </section>
          )}

          {d && d.defectConfig != null && (
            <section>
              <h3>Defect config</h3>
              <pre className="mono small config">{JSON.stringify(d.defectConfig, null, 2)}</pre>
            </section>
          )}
        </>
      )}
    </aside>
  );
}
