/**
 * The open project as every screen sees it: one copy, refreshed from `project.changed`
 * pushes so counts follow imports and split changes without polling.
 */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { AppInfo, ProjectInfo } from '../../../src-main/api/contract';
import { api, errorMessage } from '../api';

interface ProjectState {
  app: AppInfo | null;
  project: ProjectInfo | null;
  loadError: string | null;
  setProject(p: ProjectInfo | null): void;
  reloadApp(): Promise<void>;
}

const ProjectContext = createContext<ProjectState | null>(null);

export function ProjectProvider({ children }: { children: ReactNode }) {
  const [app, setApp] = useState<AppInfo | null>(null);
  const [project, setProject] = useState<ProjectInfo | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const reloadApp = useCallback(async () => {
    try {
      const info = await api.invoke('app.info', {});
      setApp(info);
      setProject(info.project);
      setLoadError(null);
    } catch (err) {
      setLoadError(errorMessage(err));
    }
  }, []);

  useEffect(() => {
    void reloadApp();
    return api.on('project.changed', (p) => setProject(p));
  }, [reloadApp]);

  return (
    <ProjectContext.Provider value={{ app, project, loadError, setProject, reloadApp }}>{children}</ProjectContext.Provider>
  );
}

export function useProject(): ProjectState {
  const ctx = useContext(ProjectContext);
  if (!ctx) throw new Error('useProject outside ProjectProvider');
  return ctx;
}
