/** Per-item import errors, a page at a time: the file and what is wrong with it. */
import { useEffect, useState } from 'react';
import type { ErrorPage } from '../../../src-main/api/contract';
import { api, errorMessage } from '../api';

const PAGE = 100;

export function ErrorsPanel({ onClose, stamp }: { onClose(): void; stamp: string }) {
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<ErrorPage | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.invoke('dataset.errors', { offset, limit: PAGE }).then(
      (p) => live && (setPage(p), setError(null)),
      (err) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [offset, stamp]);

  const total = page?.total ?? 0;
  return (
    <aside className="errors-panel" data-testid="errors-panel">
      <div className="panel-head">
        <h3>
          Errors <span className="muted" data-testid="errors-total">{total}</span>
        </h3>
        <span className="spacer" />
        <button type="button" className="btn small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))} data-testid="errors-prev">
          ‹
        </button>
        <span className="muted small mono">
          {total === 0 ? '0' : `${offset + 1}–${Math.min(total, offset + PAGE)}`}
        </span>
        <button type="button" className="btn small" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)} data-testid="errors-next">
          ›
        </button>
        <button type="button" className="btn small" onClick={onClose} title="Close">
          ×
        </button>
      </div>
      {error && <div className="alert">{error}</div>}
      {page && page.items.length === 0 && <p className="muted pad">No per-item errors.</p>}
      <ol className="errors-list">
        {page?.items.map((e) => (
          <li key={e.id} data-testid="error-row">
            <div className="mono error-file" title={e.file} data-testid="error-file">
              {e.file}
            </div>
            <div className="error-reason" data-testid="error-reason">
              {e.reason}
            </div>
          </li>
        ))}
      </ol>
    </aside>
  );
}
