import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ProjectShell } from './pages/ProjectShell';
import { SettingsPage } from './pages/SettingsPage';
import { StartPage } from './pages/StartPage';
import { useJobScope } from './state/jobs';
import { ProjectProvider, useProject } from './state/project';
import { RuntimeProvider, useRuntime } from './state/runtime';
import './styles.css';

function App() {
  const { project } = useProject();
  const { settingsOpen } = useRuntime();
  useJobScope(project?.dir ?? null);
  // Settings lies over the current screen so closing it returns to the same stage and state.
  return (
    <>
      <div className="app-screen" inert={settingsOpen}>
        {project ? <ProjectShell key={project.dir} /> : <StartPage />}
      </div>
      {settingsOpen && <SettingsPage />}
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
