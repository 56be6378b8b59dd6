/**
 * A folder browser for the web host, which has no native dialog (issue 12, item 9): the host
 * lists folders inside the user's home (system.folders); click into one, go up, choose it.
 */
import { useEffect, useState } from 'react';
import type { FolderListing } from '../../../src-main/api/contract';
import { api, errorMessage } from '../api';

export function FolderBrowser({ start, title, onChoose, onClose }: { start: string | null; title: string; onChoose(path: string): void; onClose(): void }) {
  const [listing, setListing] = useState<FolderListing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const open = async (dir: string | null): Promise<void> => {
    try {
      setListing(await api.invoke('system.folders', { dir }));
      setError(null);
    } catch (err) {
      // A typed path outside home (or gone) starts the browser at home instead.
      if (dir !== null && listing === null) await open(null);
      else setError(errorMessage(err));
    }
  };
  useEffect(() => {
    void open(start);
  }, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="folder-browser-backdrop" onClick={onClose}>
      <div className="folder-browser card" role="dialog" aria-label={title} onClick={(e) => e.stopPropagation()} data-testid="folder-browser" data-dir={listing?.dir ?? ''}>
        <h2>{title}</h2>
        <div className="folder-browser-path mono small" data-testid="folder-path">{listing?.dir ?? '…'}</div>
        {error && <div className="alert small" data-testid="folder-error">{error}</div>}
        <ul className="folder-list">
          {listing?.parent && (
            <li>
              <button type="button" className="link" onClick={() => void open(listing.parent)} data-testid="folder-up">
                ⬑ ..
              </button>
            </li>
          )}
          {listing?.folders.map((f) => (
            <li key={f.path}>
              <button type="button" className="link" onClick={() => void open(f.path)} data-testid="folder-entry" data-name={f.name}>
                📁 {f.name}
              </button>
            </li>
          ))}
          {listing && listing.folders.length === 0 && <li className="muted small">No folders here.</li>}
        </ul>
        <p className="muted small">Only folders inside your home folder ({listing?.home ?? '…'}) can be browsed here; type any other path.</p>
        <div className="row-actions">
          <button type="button" className="btn primary" disabled={!listing} onClick={() => listing && onChoose(listing.dir)} data-testid="folder-choose">
            Choose this folder
          </button>
          <button type="button" className="btn" onClick={onClose} data-testid="folder-cancel">
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
