import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { api } from './api';
import { ErrorBoundary } from './components/ErrorBoundary';
import { MaskFilters } from './components/MaskFilters';
import { ProjectShell } from './pages/ProjectShell';
import { SettingsPage } from './pages/SettingsPage';
import { StartPage } from './pages/StartPage';
import { useJobScope } from './state/jobs';
import { ProjectProvider, useProject } from './state/project';
import { RuntimeProvider, useRuntime } from './state/runtime';
import './styles.css';

function App() {
  const { project, setProject, reloadApp } = useProject();
  const { settingsOpen, closeSettings } = useRuntime();
  useJobScope(project?.dir ?? null);
  const toStart = () =>
    void api
      .invoke('project.close', {})
      .catch(() => undefined)
      .finally(() => {
        setProject(null);
        void reloadApp();
      });
  const reload = () => window.location.reload();
  // Settings lies over the current screen so closing it returns to the same stage and state.
  return (
    <>
      <MaskFilters />
      <div className="app-screen" inert={settingsOpen}>
        <ErrorBoundary
          what={project ? 'The project window' : 'The start screen'}
          back={project ? { label: 'Close the project', go: toStart } : { label: 'Reload', go: reload }}
          resetKey={project?.dir ?? null}
        >
          {project ? <ProjectShell key={project.dir} /> : <StartPage />}
        </ErrorBoundary>
      </div>
      {settingsOpen && (
        <ErrorBoundary what="Settings" back={{ label: 'Close settings', go: closeSettings }} resetKey={settingsOpen}>
          <SettingsPage />
        </ErrorBoundary>
      )}
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ProjectProvider>
      <RuntimeProvider>
        <App />
      </RuntimeProvider>
    </ProjectProvider>
  </StrictMode>,
);
