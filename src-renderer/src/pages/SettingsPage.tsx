/**
 * Settings: the ONNX Runtime execution provider (preference, threads, what a real session
 * actually got and why not CUDA) and the installed model packs (ARCHITECTURE.md "Models").
 * Packs install from a typed path: the web host has no native file dialog, and the Electron
 * app picks folders only from its menu, so one text field serves both.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { PackListInfo, ProviderPreference } from '../../../src-main/api/contract';
import { formatBytes } from '../../../src-main/api/format';
import { api, errorMessage } from '../api';
import { PathField } from '../components/PathField';
import { useBusyAction } from '../state/busyAction';
import { useRuntime } from '../state/runtime';
import '../settings.css';

const PREFERENCES: { value: ProviderPreference; label: string }[] = [
  { value: 'auto', label: 'Automatic (CUDA if it loads, else CPU)' },
  { value: 'cuda', label: 'CUDA (GPU)' },
  { value: 'cpu', label: 'CPU' },
];

const baseName = (dir: string): string => dir.split(/[\\/]/).filter(Boolean).pop() ?? dir;

function RuntimeSection() {
  const { runtime, runtimeError, setRuntime } = useRuntime();
  const [threads, setThreads] = useState('');
  const { busy, error, setError, run } = useBusyAction();

  useEffect(() => {
    setThreads(runtime?.intraOpThreads == null ? '' : String(runtime.intraOpThreads));
  }, [runtime?.intraOpThreads]);

  const change = (work: () => Promise<void>) => run('Applying the runtime settings…', work);

  function submitThreads(e: FormEvent) {
    e.preventDefault();
    const text = threads.trim();
    const value = text === '' ? null : Number(text);
    if (value !== null && (!Number.isInteger(value) || value < 1 || value > 256)) {
      setError('Threads must be a whole number from 1 to 256, or empty for one per core.');
      return;
    }
    void change(() => setRuntime({ intraOpThreads: value }));
  }

  return (
    <section className="card settings-section" data-testid="settings-runtime">
      <h2>Neural network runtime</h2>
      {runtimeError && <div className="alert">Cannot read the runtime: {runtimeError}</div>}
      {error && (
        <div className="alert" data-testid="runtime-error">
          {error}
        </div>
      )}
      {!runtime && !runtimeError && (
        <p className="muted">
          <span className="spinner" aria-hidden /> Opening a probe session…
        </p>
      )}
      {runtime && (
        <>
          {runtime.settingsWarning && (
            <div className="alert" data-testid="settings-warning">
              {runtime.settingsWarning}
            </div>
          )}
          <div className="runtime-grid">
            <label className="field">
              <span>Execution provider</span>
              <select
                value={runtime.preference}
                disabled={!!busy}
                onChange={(e) => void change(() => setRuntime({ executionProvider: e.target.value as ProviderPreference }))}
                data-testid="runtime-preference"
              >
                {PREFERENCES.map((p) => (
                  <option key={p.value} value={p.value}>
                    {p.label}
                  </option>
                ))}
              </select>
            </label>
            <form className="field" onSubmit={submitThreads}>
              <span>Threads per model (empty: one per core)</span>
              <span className="inline">
                <input
                  value={threads}
                  onChange={(e) => setThreads(e.target.value)}
                  inputMode="numeric"
                  placeholder="default"
                  size={8}
                  data-testid="runtime-threads"
                />
                <button type="submit" className="btn small" disabled={!!busy} data-testid="runtime-threads-save">
                  Save
                </button>
              </span>
            </form>
          </div>
          <dl className="runtime-facts">
            <dt>In use</dt>
            <dd data-testid="runtime-in-use">
              {busy ? <span className="spinner" aria-hidden /> : runtime.inUse === 'cuda' ? 'CUDA (GPU)' : 'CPU'}
            </dd>
            {runtime.fallbackReason && (
              <>
                <dt>Why not CUDA</dt>
                <dd className="warn wrap" data-testid="runtime-fallback">
                  {runtime.fallbackReason}
                </dd>
              </>
            )}
            <dt>Available here</dt>
            <dd data-testid="runtime-available">{runtime.available.map((p) => p.toUpperCase()).join(', ')}</dd>
            <dt>ONNX Runtime</dt>
            <dd className="mono">
              {runtime.onnxruntimeVersion} · built with {runtime.backends.map((b) => `${b.name}${b.bundled ? '' : ' (provider files not installed with the package)'}`).join(', ')}
            </dd>
            <dt>Settings file</dt>
            <dd className="mono wrap">{runtime.settingsFile}</dd>
          </dl>
          <p className="muted small">
            The provider shown is what a real session opened with these settings got. For CUDA, see the README section
            “Model packs and GPU”.
          </p>
        </>
      )}
    </section>
  );
}

function PacksSection() {
  const [listing, setListing] = useState<PackListInfo | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [source, setSource] = useState('');
  const [replace, setReplace] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [installError, setInstallError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      setListing(await api.invoke('packs.list', {}));
      setLoadError(null);
    } catch (err) {
      setLoadError(errorMessage(err));
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  function install(e: FormEvent) {
    e.preventDefault();
    const path = source.trim();
    if (!path) return;
    setBusy(`Validating and installing ${path}…`);
    setInstallError(null);
    setNotice(null);
    api.invoke('packs.install', { source: path, replace }).then(
      (pack) => {
        setNotice(`Installed ${pack.name} (${pack.kind} ${pack.version}).`);
        setSource('');
        setBusy(null);
        void reload();
      },
      (err) => {
        setInstallError(errorMessage(err));
        setBusy(null);
      },
    );
  }

  function remove(name: string) {
    setConfirming(null);
    setBusy(`Removing ${name}…`);
    setInstallError(null);
    setNotice(null);
    api.invoke('packs.remove', { name }).then(
      (next) => {
        setListing(next);
        setNotice(`Removed ${name}.`);
        setBusy(null);
      },
      (err) => {
        setLoadError(errorMessage(err));
        setBusy(null);
      },
    );
  }

  function removeButton(name: string) {
    if (confirming !== name) {
      return (
        <button type="button" className="btn small" disabled={!!busy} onClick={() => setConfirming(name)} data-testid="pack-remove">
          Remove…
        </button>
      );
    }
    return (
      <span className="inline">
        <button type="button" className="btn small danger" onClick={() => remove(name)} data-testid="pack-remove-confirm">
          Remove {name}
        </button>
        <button type="button" className="btn small" onClick={() => setConfirming(null)} data-testid="pack-remove-cancel">
          Keep
        </button>
      </span>
    );
  }

  return (
    <section className="card settings-section" data-testid="settings-packs">
      <h2>Model packs</h2>
      <p className="muted">
        Installed for every project on this machine{listing ? ` in ${listing.packsDir}` : ''}. Without packs every stage uses its
        built-in method.
      </p>
      {loadError && <div className="alert">{loadError}</div>}
      {listing && listing.packs.length === 0 && (
        <p className="muted" data-testid="packs-empty">
          No packs installed.
        </p>
      )}
      {listing && listing.packs.length > 0 && (
        <table className="packs-table" data-testid="packs-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Kind</th>
              <th>Version</th>
              <th>Licence</th>
              <th className="num">Size</th>
              <th className="num">Files</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {listing.packs.map((p) => (
              <tr key={p.name} data-testid="pack-row" data-name={p.name} title={p.description ?? p.dir}>
                <td data-testid="pack-name">{p.name}</td>
                <td data-testid="pack-kind">{p.kind}</td>
                <td>{p.version}</td>
                <td>{p.licence}</td>
                <td className="num mono" data-testid="pack-size">
                  {formatBytes(p.sizeBytes)}
                </td>
                <td className="num mono" title={p.files.map((f) => `${f.path} (${f.bytes === null ? 'missing' : formatBytes(f.bytes)})`).join('\n')}>
                  {p.files.length}
                </td>
                <td className="actions">
                  {removeButton(p.name)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {listing && listing.broken.length > 0 && (
        <div className="broken-packs" data-testid="packs-broken">
          <h3>Folders that are not usable packs</h3>
          <ul>
            {listing.broken.map((b) => (
              <li key={b.dir} data-testid="pack-broken">
                <span className="mono wrap">{b.dir}</span>
                <span className="warn reason">{b.reason}</span>
                {removeButton(baseName(b.dir))}
              </li>
            ))}
          </ul>
        </div>
      )}
      <form className="pack-install" onSubmit={install}>
        <h3>Install pack…</h3>
        <PathField
          label="Pack folder or .zip (absolute path)"
          value={source}
          onChange={setSource}
          placeholder="/media/usb/sd15-onnx.zip"
          testId="pack-source"
        />
        <label className="check">
          <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} data-testid="pack-replace" />
          Replace an installed pack of the same name
        </label>
        <button type="submit" className="btn primary" disabled={!!busy || !source.trim()} data-testid="pack-install">
          Install
        </button>
      </form>
      {busy && (
        <p className="muted" data-testid="packs-busy">
          <span className="spinner" aria-hidden /> {busy}
        </p>
      )}
      {notice && (
        <p className="notice" data-testid="packs-notice">
          {notice}
        </p>
      )}
      {installError && (
        <div className="alert pre" role="alert" data-testid="pack-install-error">
          {installError}
        </div>
      )}
    </section>
  );
}

export function SettingsPage() {
  const { closeSettings } = useRuntime();
  return (
    <div className="settings-overlay" role="dialog" aria-modal="true" aria-label="Settings" data-testid="settings-page">
      <div className="settings-inner">
        <header className="settings-head">
          <h1>Settings</h1>
          <span className="spacer" />
          <button type="button" className="btn" onClick={closeSettings} title="Esc" data-testid="settings-close">
            Close
          </button>
        </header>
        <RuntimeSection />
        <PacksSection />
      </div>
    </div>
  );
}
