/** The open project: header (name, category), stage navigation, running jobs, the stage screen. */
import { useEffect, useMemo, useState } from 'react';
import { api, errorMessage } from '../api';
import { DemoProgress } from '../components/DemoProgress';
import { JobBar } from '../components/JobBar';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { CategoryProvider } from '../state/category';
import { ProviderBadge } from '../components/ProviderBadge';
import { useJobEvents, useJobSelector } from '../state/jobs';
import { endedCount } from '../state/jobStore';
import { useProject } from '../state/project';
import { useRuntime } from '../state/runtime';
import { throttle } from '../state/stage';
import { stages } from './stages';

export function ProjectShell() {
  const { project, setProject, reloadApp } = useProject();
  const { openSettings } = useRuntime();
  const [stageId, setStageId] = useState(stages[0].id);
  const [categoryId, setCategoryId] = useState<number | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const s = stages.find((st) => st.key === e.key);
      if (s) {
        e.preventDefault();
        setStageId(s.id);
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // A finished job changes counts; the engine also pushes project.changed, this covers hosts that do not.
  const finishedCount = useJobSelector(endedCount);
  useEffect(() => {
    if (finishedCount === 0) return;
    api.invoke('project.info', {}).then(setProject, () => undefined);
  }, [finishedCount, setProject]);

  // An import commits items as it goes: show them while it runs, at most every 2 s.
  const projectRefresher = useMemo(() => throttle(() => void api.invoke('project.info', {}).then(setProject, () => undefined), 2000), [setProject]);
  useEffect(() => () => projectRefresher.cancel(), [projectRefresher]);
  useJobEvents((e) => {
    if (e.type === 'progress') projectRefresher.call();
  });

  if (!project) return null;
  const stage = stages.find((s) => s.id === stageId) ?? stages[0];
  const Screen = stage.screen;
  const validCategory = project.categories.some((c) => c.id === categoryId) ? categoryId : undefined;

  async function close() {
    try {
      await api.invoke('project.close', {});
      setProject(null);
      void reloadApp();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <CategoryProvider categoryId={validCategory} setCategoryId={setCategoryId}>
      <div className="shell" data-testid="project-shell">
        <header className="shell-head">
          <span className="brand">GAA</span>
          <span className="project-name" data-testid="project-name" title={project.dir}>
            {project.name}
          </span>
          <label className="category-picker">
            <span className="muted">Category</span>
            <select
              value={validCategory ?? ''}
              onChange={(e) => setCategoryId(e.target.value ? Number(e.target.value) : undefined)}
              data-testid="category-picker"
            >
              <option value="">All categories ({project.categories.length})</option>
              {project.categories.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <span className="spacer" />
          {error && <span className="job-error">{error}</span>}
          <span className="muted mono small" title={project.dir}>
            {project.dir}
          </span>
          <ProviderBadge project={project.name} />
          <button type="button" className="btn small" onClick={openSettings} title="Ctrl+," data-testid="open-settings">
            Settings
          </button>
          <button type="button" className="btn small" onClick={close} data-testid="close-project">
            Close project
          </button>
        </header>
        <DemoProgress />
        <JobBar onStage={setStageId} />
        <div className="shell-body">
          <nav className="nav" data-testid="stage-nav">
            {stages.map((s) => (
              <button
                type="button"
                key={s.id}
                className={s.id === stage.id ? 'nav-item active' : 'nav-item'}
                onClick={() => setStageId(s.id)}
                title={`Alt+${s.key}`}
                data-testid={`nav-${s.id}`}
              >
                {s.label}
                <kbd>Alt+{s.key}</kbd>
              </button>
            ))}
          </nav>
          <main className="stage">
            <ErrorBoundary
              what={`The ${stage.label} screen`}
              back={stage.id === stages[0].id ? { label: 'Close the project', go: () => void close() } : { label: `Back to ${stages[0].label}`, go: () => setStageId(stages[0].id) }}
              resetKey={stage.id}
            >
              <Screen />
            </ErrorBoundary>
          </main>
        </div>
      </div>
    </CategoryProvider>
  );
}
