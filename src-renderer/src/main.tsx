import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ProjectShell } from './pages/ProjectShell';
import { StartPage } from './pages/StartPage';
import { ProjectProvider, useProject } from './state/project';
import './styles.css';

function App() {
  const { project } = useProject();
  return project ? <ProjectShell key={project.dir} /> : <StartPage />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ProjectProvider>
      <App />
    </ProjectProvider>
  </StrictMode>,
);
