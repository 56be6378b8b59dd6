/**
 * First screen: recent projects, the demo, opening a project folder, and a new project
 * from a dataset folder. Paths are typed or chosen (Browse…: the native dialog in the desktop
 * app, the host's folder browser on the web host).
 */
import { useState, type FormEvent } from 'react';
import type { DatasetLayout } from '../../../src-main/api/contract';
import { api } from '../api';
import { JobBar } from '../components/JobBar';
import { PathField } from '../components/PathField';
import { ProviderBadge } from '../components/ProviderBadge';
import { useBusyAction } from '../state/busyAction';
import { reloadJobs } from '../state/jobs';
import { useProject } from '../state/project';
import { useRuntime } from '../state/runtime';

const LAYOUTS: { value: DatasetLayout; label: string }[] = [
  { value: 'auto', label: 'Detect automatically' },
  { value: 'mvtec', label: 'MVTec AD' },
  { value: 'loco', label: 'MVTec LOCO' },
  { value: 'folder', label: 'Plain folders (good/ + one folder per type)' },
];

export function StartPage() {
  const { app, setProject, reloadApp, loadError } = useProject();
  const { openSettings } = useRuntime();
  const { busy, error, run } = useBusyAction();
  const [openDir, setOpenDir] = useState('');
  const [source, setSource] = useState('');
  const [projectDir, setProjectDir] = useState('');
  const [layout, setLayout] = useState<DatasetLayout>('auto');

  /** `all`: the demo opens and runs every stage with a progress bar; `import`: only its images, to walk through the stages. */
  const openDemo = (what: 'all' | 'import') =>
    run('Generating the demo dataset…', async () => {
      setProject(await api.invoke('project.openDemo', { run: what }));
      void reloadApp();
    });

  const openProject = (dir: string) =>
    run(`Opening ${dir}…`, async () => {
      setProject(await api.invoke('project.open', { dir }));
      void reloadApp();
    });

  function submitOpen(e: FormEvent) {
    e.preventDefault();
    if (openDir.trim()) void openProject(openDir.trim());
  }

  function submitImport(e: FormEvent) {
    e.preventDefault();
    if (!source.trim() || !projectDir.trim()) return;
    void run('Creating the project…', async () => {
      // The folder is checked before the project is made: a typo leaves no empty project and is reported here.
      const created = await api.invoke('project.create', { dir: projectDir.trim(), source: source.trim() });
      await api.invoke('dataset.import', { source: source.trim(), layout });
      void reloadJobs();
      setProject(await api.invoke('project.info', {}).catch(() => created));
    });
  }

  return (
    <div className="start" data-testid="start-screen">
      <div className="start-inner">
        <header className="start-head">
          <h1>GAA Workbench</h1>
          <span className="muted mono">
            {app ? `v${app.version} · ${app.host}` : loadError ? '' : 'connecting…'}
          </span>
          <span className="spacer" />
          <ProviderBadge />
          <button type="button" className="btn small" onClick={openSettings} title="Ctrl+," data-testid="open-settings">
            Settings
          </button>
        </header>
        {loadError && (
          <div className="alert" data-testid="start-error">
            Cannot reach the engine: {loadError}
          </div>
        )}
        {app?.recentWarning && (
          <div className="alert" data-testid="recent-warning">
            {app.recentWarning}
          </div>
        )}
        {error && (
          <div className="alert" data-testid="start-error">
            {error}
          </div>
        )}
        {busy && (
          <div className="busy" data-testid="start-busy">
            <span className="spinner" aria-hidden /> {busy}
            <JobBar activeOnly />
          </div>
        )}

        <section className="start-grid">
          <div className="card">
            <h2>Demo</h2>
            <p className="muted">
              A small synthetic inspection dataset with normal images, anomalies and their masks, in its own project
              {app ? ` (${app.demoDir})` : ''}, with every stage run: clusters, regions, aligned masks, generated pairs and their
              scores. A bar shows the stages as they run.
            </p>
            <div className="row-actions">
              <button type="button" className="btn primary" disabled={!!busy} onClick={() => openDemo('all')} data-testid="open-demo">
                Open demo project
              </button>
              <button
                type="button"
                className="btn"
                disabled={!!busy}
                onClick={() => openDemo('import')}
                title="Only the demo's images, imported: run each stage yourself"
                data-testid="open-demo-import"
              >
                Demo images only
              </button>
            </div>
          </div>

          <form className="card" onSubmit={submitOpen}>
            <h2>Open project…</h2>
            <PathField label="Project folder" value={openDir} onChange={setOpenDir} placeholder="/path/to/project" testId="open-path" browse />
            <button type="submit" className="btn" disabled={!!busy || !openDir.trim()} data-testid="open-project">
              Open
            </button>
          </form>

          <form className="card" onSubmit={submitImport}>
            <h2>New project from dataset…</h2>
            <PathField label="Dataset folder" value={source} onChange={setSource} placeholder="/data/mvtec_ad/bottle" testId="import-source" browse />
            <label className="field">
              <span>Layout</span>
              <select value={layout} onChange={(e) => setLayout(e.target.value as DatasetLayout)} data-testid="import-layout">
                {LAYOUTS.map((l) => (
                  <option key={l.value} value={l.value}>
                    {l.label}
                  </option>
                ))}
              </select>
            </label>
            <PathField
              label="New project folder"
              value={projectDir}
              onChange={setProjectDir}
              placeholder="/path/to/new-project"
              testId="import-project-dir"
              browse
            />
            <button
              type="submit"
              className="btn"
              disabled={!!busy || !source.trim() || !projectDir.trim()}
              data-testid="import-start"
            >
              Import
            </button>
          </form>
        </section>

        <section className="card recent">
          <h2>Recent projects</h2>
          {app && app.recentProjects.length === 0 && <p className="muted">None yet.</p>}
          <ul data-testid="recent-projects">
            {app?.recentProjects.map((r) => (
              <li key={r.dir}>
                <button type="button" className="link" disabled={!!busy} onClick={() => openProject(r.dir)} data-testid="recent-project">
                  <span className="recent-name">{r.name}</span>
                  <span className="muted mono recent-dir">{r.dir}</span>
                  <span className="muted recent-when">{new Date(r.openedAt).toLocaleString()}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}
