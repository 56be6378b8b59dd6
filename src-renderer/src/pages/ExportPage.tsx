/**
 * Export stage (METHOD.md §6): one click writes a training folder (MVTec AD layout, and on
 * request anomalib Folder, COCO and YOLO-seg) with a provenance manifest. The engine writes to
 * a temporary folder and renames it into place, so a failed or cancelled export leaves nothing.
 */
import { useMemo, useState } from 'react';
import type { RequestArgs } from '../../../src-main/api/contract';
import { DEFAULT_REAL_SHARE, FAINT_CONTRAST_RATIO } from '../../../src-main/api/limits';
import { api, errorMessage } from '../api';
import { PreviewTable } from '../export/PreviewTable';
import { ValueCheckPanel } from '../export/ValueCheckPanel';
import { defaultDestination, useExportPreview } from '../export/usePreview';
import { useValueRecommendation } from '../export/useValueRecommendation';
import { useExportJob, type ExportOutcome } from '../review/exportJob';
import { useAllJobs } from '../state/jobs';
import { useProject } from '../state/project';
import '../review.css';
import { useCategoryChoice } from '../state/category';

type Format = 'mvtec' | 'folder' | 'coco' | 'yolo';
const OPTIONAL_FORMATS: { id: Format; label: string }[] = [
  { id: 'folder', label: 'anomalib Folder' },
  { id: 'coco', label: 'COCO instance segmentation' },
  { id: 'yolo', label: 'YOLO-seg labels' },
];
const SELECTIONS = [
  { id: 'kept', label: 'Kept by the filter, plus what you accepted, minus what you rejected' },
  { id: 'accepted', label: 'Only what you accepted' },
  { id: 'all', label: 'All generated pairs except what you rejected' },
] as const;

function Outcome({ outcome }: { outcome: ExportOutcome }) {
  const [note, setNote] = useState<{ text: string; error: boolean } | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(outcome.root);
      setNote({ text: 'Copied', error: false });
    } catch {
      setNote({ text: 'Copy failed: select the path and copy it by hand', error: true });
    }
  }
  async function openFolder() {
    try {
      await api.invoke('export.openFolder', { root: outcome.root });
      setNote({ text: 'Opened in the file manager', error: false });
    } catch (err) {
      setNote({ text: errorMessage(err), error: true });
    }
  }
  const rows = Object.entries(outcome.counts).flatMap(([category, byCluster]) => Object.entries(byCluster).map(([cluster, n]) => ({ category, cluster, n })));
  return (
    <div data-testid="export-outcome">
      <h2 className="export-done">Export finished</h2>
      <div className="export-root">
        <input readOnly value={outcome.root} onFocus={(e) => e.currentTarget.select()} data-testid="export-root" aria-label="Export folder" />
        <button type="button" className="btn small primary" onClick={() => void openFolder()} data-testid="export-open-folder">
          Open folder
        </button>
        <button type="button" className="btn small" onClick={() => void copy()} data-testid="export-copy">
          Copy
        </button>
      </div>
      {(outcome.warnings ?? []).map((w) => (
        <p className="small warn" key={w} data-testid="export-warning">
          {w}
        </p>
      ))}
      {note && (
        <p className={note.error ? 'small job-error' : 'small muted'} data-testid="export-note">
          {note.text}
        </p>
      )}
      <p className="muted">
        <span data-testid="export-pairs">{outcome.pairs}</span> pairs, <span data-testid="export-normals">{outcome.normals}</span> normal images
        {outcome.heldOutNormals !== undefined && (
          <>
            {' '}
            and <span data-testid="export-heldout">{outcome.heldOutNormals}</span> held-out ones (test/good)
          </>
        )}
        , <span data-testid="export-files">{outcome.files}</span> files. Provenance: <span className="mono wrap">{outcome.manifestPath}</span>
      </p>
      <table className="types" data-testid="export-counts">
        <thead>
          <tr>
            <th>Category</th>
            <th>Folder</th>
            <th>Images</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.category}/${r.cluster}`} data-testid="export-count-row" data-category={r.category} data-cluster={r.cluster}>
              <td>{r.category}</td>
              <td>{r.cluster === 'good' ? 'good (normal images)' : r.cluster === 'test/good' ? 'test/good (held-out normal images)' : r.cluster}</td>
              <td>{r.n}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ExportPage() {
  const { categoryId, setCategoryId } = useCategoryChoice();
  const { project } = useProject();
  const { state, start, cancel } = useExportJob();
  const jobs = useAllJobs();
  // The folder the user typed; until then the last export's, else <project>/exports.
  const [typedDir, setTypedDir] = useState<string | null>(null);
  const proposedDir = useMemo(() => defaultDestination(project?.dir ?? '', jobs.filter((j) => j.kind === 'export')), [project?.dir, jobs]);
  const outDir = typedDir ?? proposedDir;
  const [name, setName] = useState('');
  const [formats, setFormats] = useState<Set<Format>>(new Set(['mvtec']));
  // Until the user picks one, the selection is what the category's newest value check chose, else `kept`.
  const [pickedSelection, setPickedSelection] = useState<RequestArgs<'export.run'>['selection'] | null>(null);
  const [includeReal, setIncludeReal] = useState(true);
  // Share of the exported pairs that are real few-shot pairs (flipped copies): the default export
  // keeps the few real defects from being drowned by the synthetic ones (issue 11).
  const [realShare, setRealShare] = useState(DEFAULT_REAL_SHARE);
  // Optional contrast floor: leave out pairs whose defect came out faint against its cluster's exemplars.
  const [leaveOutFaint, setLeaveOutFaint] = useState(false);
  const minContrast = leaveOutFaint ? FAINT_CONTRAST_RATIO : 0;
  const [includeNormals, setIncludeNormals] = useState(true);
  const [includeHeldOutNormals, setIncludeHeldOutNormals] = useState(true);
  // Real pairs keep the defect type they were imported as; the manifest names the cluster either way.
  const [layout, setLayout] = useState<'defect-type' | 'cluster'>('defect-type');
  const scope = project?.categories.some((c) => c.id === categoryId) ? categoryId! : null;
  const recommendation = useValueRecommendation(scope);
  const selection = pickedSelection ?? recommendation?.selection ?? 'kept';

  const running = state.phase === 'running';
  const toggleFormat = (f: Format) =>
    setFormats((s) => {
      const next = new Set(s);
      if (next.has(f)) next.delete(f);
      else next.add(f);
      return next;
    });

  const choices = {
    formats: ['mvtec' as const, ...OPTIONAL_FORMATS.map((f) => f.id).filter((f) => formats.has(f))],
    selection,
    includeReal,
    realShare,
    minContrast,
    includeNormals,
    includeHeldOutNormals,
    categoryId: scope,
    layout,
  };
  const { preview, error: previewError } = useExportPreview(choices);

  function run() {
    void start({ outDir: outDir.trim(), name: name.trim() === '' ? null : name.trim(), ...choices });
  }

  const pct = state.phase === 'running' && state.total > 0 ? Math.min(100, (state.done / state.total) * 100) : 0;
  return (
    <div className="export" data-testid="export-page">
      <form
        className="export-form"
        onSubmit={(e) => {
          e.preventDefault();
          run();
        }}
      >
        <h2>Export a training folder</h2>
        <label className="field">
          <span>Destination folder (the export is created inside it; proposed: the last one used, else the project’s exports folder)</span>
          <input value={outDir} onChange={(e) => setTypedDir(e.target.value)} placeholder="/path/to/datasets" spellCheck={false} data-testid="export-dest" />
        </label>
        <label className="field">
          <span>Folder name (optional; default: project name and time)</span>
          <input value={name} onChange={(e) => setName(e.target.value)} spellCheck={false} data-testid="export-name" />
        </label>
        <fieldset>
          <legend>Formats</legend>
          <label className="check">
            <input type="checkbox" checked disabled data-testid="export-format-mvtec" /> MVTec AD layout (always)
          </label>
          {OPTIONAL_FORMATS.map((f) => (
            <label className="check" key={f.id}>
              <input type="checkbox" checked={formats.has(f.id)} onChange={() => toggleFormat(f.id)} data-testid={`export-format-${f.id}`} /> {f.label}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Generated pairs</legend>
          {SELECTIONS.map((s) => (
            <label className="check" key={s.id}>
              <input
                type="radio"
                name="selection"
                checked={selection === s.id}
                onChange={() => setPickedSelection(s.id)}
                data-testid={`export-selection-${s.id}`}
              />{' '}
              {s.label}
            </label>
          ))}
          {recommendation && (
            <p className="muted small" data-testid="export-selection-default">
              The value check (job {recommendation.jobId}) chose <b>{recommendation.selection === 'all' ? 'all pairs' : 'the filter’s pairs'}</b>: {recommendation.why}.
              {selection !== recommendation.selection && ' You picked another.'}
            </p>
          )}
        </fieldset>
        <fieldset>
          <legend>Also include</legend>
          <label className="check">
            <input type="checkbox" checked={includeReal} onChange={(e) => setIncludeReal(e.target.checked)} data-testid="export-include-real" /> the real few-shot pairs
          </label>
          {includeReal && (
            <label className="check indent" title="Each real pair once, then mirrored and flipped copies until they are this share of the pairs">
              as{' '}
              <input
                type="number"
                min={0}
                max={90}
                step={5}
                value={Math.round(realShare * 100)}
                onChange={(e) => setRealShare(Math.min(0.9, Math.max(0, Number(e.target.value) / 100)))}
                style={{ width: '4em' }}
                data-testid="export-real-share"
              />{' '}
              % of the pairs (flipped copies)
            </label>
          )}
          <label className="check" title="Leave out generated pairs whose defect's contrast to the surface is under half their cluster's median exemplar's: faint labels can teach a segmenter to flag plain texture">
            <input type="checkbox" checked={leaveOutFaint} onChange={(e) => setLeaveOutFaint(e.target.checked)} data-testid="export-leave-out-faint" /> leave out faint pairs (under{' '}
            {Math.round(FAINT_CONTRAST_RATIO * 100)} % of their cluster&apos;s contrast)
          </label>
          <label className="check">
            <input type="checkbox" checked={includeNormals} onChange={(e) => setIncludeNormals(e.target.checked)} data-testid="export-include-normals" /> the normal training images
          </label>
          <label className="check">
            <input type="checkbox" checked={includeHeldOutNormals} onChange={(e) => setIncludeHeldOutNormals(e.target.checked)} data-testid="export-include-heldout" /> the held-out normal images as test/good (for a trainer to evaluate on)
          </label>
        </fieldset>
        <label className="field">
          <span>Folders of the pairs (test/&lt;folder&gt;; the manifest names both)</span>
          <select value={layout} onChange={(e) => setLayout(e.target.value as 'defect-type' | 'cluster')} data-testid="export-layout">
            <option value="defect-type">by the defect type they were imported as</option>
            <option value="cluster">by cluster</option>
          </select>
        </label>
        <label className="field">
          <span>Categories</span>
          <select value={scope ?? ''} onChange={(e) => setCategoryId(e.target.value ? Number(e.target.value) : undefined)} data-testid="export-scope">
            <option value="">All categories</option>
            {project?.categories.map((c) => (
              <option key={c.id} value={c.id}>
                Only {c.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn primary" disabled={running || outDir.trim() === '' || (preview !== null && preview.pairs + preview.normals + preview.heldOutNormals === 0)} data-testid="export-run">
          {preview ? `Export ${preview.pairs} pairs and ${preview.normals + preview.heldOutNormals} normal images` : 'Export'}
        </button>
      </form>
      <section className="export-result" data-testid="export-status" data-phase={state.phase}>
        {previewError && (
          <div className="alert" role="alert" data-testid="export-preview-error">
            {previewError}
          </div>
        )}
        {state.phase === 'running' && (
          <div className="export-progress">
            <span className="spinner" />
            <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={state.total} aria-valuenow={state.done} data-testid="export-progress">
              <div className="progress-fill" style={{ width: `${pct}%` }} />
            </div>
            <span className="mono">
              {state.done}/{state.total}
            </span>
            <button type="button" className="btn small" onClick={() => void cancel()} disabled={state.jobId === null} data-testid="export-cancel">
              Cancel
            </button>
          </div>
        )}
        {state.phase === 'running' && state.message && <p className="muted small">{state.message}</p>}
        {state.phase === 'done' && <Outcome outcome={state.outcome} />}
        {state.phase === 'failed' && (
          <div className="alert" role="alert" data-testid="export-error">
            Export failed: {state.message}
          </div>
        )}
        {state.phase !== 'running' && preview && <PreviewTable preview={preview} title={state.phase === 'done' ? 'What another export with these choices would write' : 'What will be written'} />}
        {scope !== null ? (
          <ValueCheckPanel categoryId={scope} selection={selection} realShare={includeReal ? realShare : 0} minContrast={minContrast} />
        ) : (
          <p className="muted small">Choose one category to check, before exporting, whether this export would help a detector.</p>
        )}
        {state.phase === 'cancelled' && (
          <p className="muted" data-testid="export-cancelled">
            Export cancelled; nothing was left in the destination.
          </p>
        )}
      </section>
    </div>
  );
}
