/**
 * A folder or file path, typed (no spell checking: paths are not words) or, with `browse`,
 * chosen: the desktop app's native folder dialog, else (the web host) a folder browser the host
 * serves inside the user's home.
 */
import { useState } from 'react';
import { api } from '../api';
import { FolderBrowser } from './FolderBrowser';

export function PathField({
  label,
  value,
  onChange,
  placeholder,
  testId,
  browse = false,
}: {
  label: string;
  value: string;
  onChange(value: string): void;
  placeholder: string;
  testId: string;
  /** Offer "Browse…" for choosing a folder. */
  browse?: boolean;
}) {
  const [browsing, setBrowsing] = useState(false);
  async function choose() {
    try {
      const picked = await api.invoke('system.pickFolder', { title: label });
      if (picked.path) onChange(picked.path);
    } catch {
      // No native dialog on this host: the host's folder browser.
      setBrowsing(true);
    }
  }
  return (
    <label className="field">
      <span>{label}</span>
      <span className="path-field">
        <input value={value} onChange={(e) => onChange(e.target.value)} placeholder={placeholder} spellCheck={false} data-testid={testId} />
        {browse && (
          <button type="button" className="btn small" onClick={() => void choose()} data-testid={`${testId}-browse`}>
            Browse…
          </button>
        )}
      </span>
      {browsing && (
        <FolderBrowser
          start={value.trim() || null}
          title={label}
          onChoose={(p) => {
            onChange(p);
            setBrowsing(false);
          }}
          onClose={() => setBrowsing(false)}
        />
      )}
    </label>
  );
}
