/**
 * The diffusion generator's hand-over with an external trainer (METHOD.md §2): write the
 * category's concept-training bundle (few-shot pairs per cluster + bundle.json) to a folder,
 * and import the gaa-concepts pack trained from it, which the engine checks against the
 * category's clusters and binds. Paths are typed: the web host has no native file dialog.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { ConceptBundleInfo, ConceptImportReport, ConceptStatus } from '../../../src-main/api/contract';
import { api, errorMessage } from '../api';

export function ConceptsPanel({ categoryId, status, onImported }: { categoryId: number; status: ConceptStatus | null; onImported(report: ConceptImportReport): void }) {
  const [outDir, setOutDir] = useState('');
  const [source, setSource] = useState('');
  const [replace, setReplace] = useState(false);
  const [busy, setBusy] = useState<'export' | 'import' | null>(null);
  const [bundle, setBundle] = useState<ConceptBundleInfo | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const [report, setReport] = useState<ConceptImportReport | null>(null);
  const [importError, setImportError] = useState<string | null>(null);

  useEffect(() => {
    setBundle(null);
    setExportError(null);
    setReport(null);
    setImportError(null);
  }, [categoryId]);

  function exportBundle(e: FormEvent) {
    e.preventDefault();
    const dir = outDir.trim();
    if (!dir) return;
    setBusy('export');
    setBundle(null);
    setExportError(null);
    api.invoke('concepts.exportBundle', { categoryId, outDir: dir }).then(
      (info) => {
        setBundle(info);
        setBusy(null);
      },
      (err) => {
        setExportError(errorMessage(err));
        setBusy(null);
      },
    );
  }

  function importPack(e: FormEvent) {
    e.preventDefault();
    const path = source.trim();
    if (!path) return;
    setBusy('import');
    setReport(null);
    setImportError(null);
    api.invoke('concepts.import', { categoryId, source: path, replace }).then(
      (r) => {
        setReport(r);
        setBusy(null);
        onImported(r);
      },
      (err) => {
        setImportError(errorMessage(err));
        setBusy(null);
      },
    );
  }

  const accepted = report ? report.clusters.filter((c) => c.concept) : [];

  return (
    <div data-testid="concepts-panel">
      <section className="side-section">
        <h3>Concept bundle</h3>
        <p className="muted small">The few-shot pairs of every cluster and bundle.json, for training each cluster's diffusion concept outside the app.</p>
        <form onSubmit={exportBundle}>
          <label className="field">
            <span>Bundle output folder</span>
            <input value={outDir} onChange={(e) => setOutDir(e.target.value)} placeholder="/data/bundles" spellCheck={false} data-testid="concepts-export-dir" />
          </label>
          <button type="submit" className="btn small" disabled={busy !== null || !outDir.trim()} data-testid="concepts-export">
            Export concept-training bundle…
          </button>
        </form>
        {busy === 'export' && (
          <p className="muted small">
            <span className="spinner" aria-hidden /> Writing the bundle…
          </p>
        )}
        {bundle && (
          <p className="notice small" data-testid="concepts-export-result" data-root={bundle.root}>
            Wrote {bundle.files} files for {bundle.clusters.length} cluster{bundle.clusters.length === 1 ? '' : 's'} to <span className="mono wrap">{bundle.root}</span>
          </p>
        )}
        {exportError && (
          <div className="alert pre wrap" role="alert" data-testid="concepts-export-error">
            {exportError}
          </div>
        )}
      </section>
      <section className="side-section">
        <h3>Concept pack</h3>
        <p className="muted small" data-testid="concepts-bound">
          {status === null ? (
            '…'
          ) : status.pack ? (
            <>
              Bound pack: <span className="mono">{status.pack.name}</span> {status.pack.version}
            </>
          ) : (
            'No concept pack bound to this category.'
          )}
        </p>
        {status?.problem && (
          <p className="warn small" data-testid="concepts-problem">
            {status.problem}
          </p>
        )}

        <form onSubmit={importPack}>
          <label className="field">
            <span>Concept pack folder or .zip (absolute path)</span>
            <input value={source} onChange={(e) => setSource(e.target.value)} placeholder="/data/board-concepts.zip" spellCheck={false} data-testid="concepts-import-source" />
          </label>
          <label className="check small">
            <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} data-testid="concepts-import-replace" />
            Replace an installed pack of the same name
          </label>
          <button type="submit" className="btn small" disabled={busy !== null || !source.trim()} data-testid="concepts-import">
            Import concept pack…
          </button>
        </form>
        {busy === 'import' && (
          <p className="muted small">
            <span className="spinner" aria-hidden /> Checking the pack against this category's clusters…
          </p>
        )}
        {report && (
          <div className="small" data-testid="concepts-import-report">
            <p className="notice">
              {report.alreadyInstalled ? 'Already installed; bound' : 'Installed and bound'} <span className="mono">{report.pack.name}</span> {report.pack.version}.
            </p>
            <p>
              <span className="muted">With a concept: </span>
              <span data-testid="concepts-accepted">{accepted.length ? accepted.map((c) => c.name).join(', ') : 'none'}</span>
            </p>
            <p>
              <span className="muted">Without a concept (exemplar only): </span>
              <span className={report.withoutConcept.length ? 'warn' : undefined} data-testid="concepts-without">
                {report.withoutConcept.length ? report.withoutConcept.map((c) => c.name).join(', ') : 'none'}
              </span>
            </p>
          </div>
        )}
        {importError && (
          <div className="alert pre wrap" role="alert" data-testid="concepts-import-error">
            {importError}
          </div>
        )}
      </section>
    </div>
  );
}
