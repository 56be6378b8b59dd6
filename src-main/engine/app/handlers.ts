/** app.*: what the fronts show before (and besides) a project: version, host, recent projects, the demo's folder. */
import type { AppInfo } from '../../api/types';
import type { EngineContext, NamespaceHandlers } from '../context';
import type { RecentProjects } from './recent';

export const ENGINE_VERSION = '0.1.0';

export function appHandlers(ctx: EngineContext, app: { host: AppInfo['host']; recent: RecentProjects; demoDir: string }): NamespaceHandlers<'app'> {
  return {
    'app.info': () => {
      const recent = app.recent.load();
      return {
        version: ENGINE_VERSION,
        host: app.host,
        project: ctx.hasProject() ? ctx.info() : null,
        recentProjects: recent.projects,
        recentWarning: recent.warning,
        demoDir: app.demoDir,
      };
    },
  };
}
