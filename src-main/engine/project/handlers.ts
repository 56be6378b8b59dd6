/** project.*: create, open, close the project; the built-in demo project. */
import { join } from 'node:path';
import { generateDemoDataset } from '../../io/demo-writer';
import { ApiError } from '../../api/contract';
import { listJobs } from '../../store/jobs';
import { compactProject } from './compact';
import type { EngineContext, NamespaceHandlers } from '../context';
import { checkDatasetFolder, startImport } from '../dataset/handlers';

export function projectHandlers(ctx: EngineContext, demoDir: string): NamespaceHandlers<'project'> {
  return {
    'project.create': (a) => {
      // Checked before the folder is made: a mistyped dataset path must not leave an empty project behind.
      if (a.source !== undefined) checkDatasetFolder(a.source);
      return ctx.openProject(a.dir, { create: true, name: a.name });
    },
    'project.open': (a) => ctx.openProject(a.dir, { create: false, readOnly: a.readOnly }),
    /** Generates the demo dataset if absent, opens the demo project and imports the dataset once. */
    'project.openDemo': async () => {
      const summary = await generateDemoDataset(join(demoDir, 'dataset'));
      const info = await ctx.openProject(join(demoDir, 'project'), { create: true, name: 'GAA demo' });
      if (!listJobs(ctx.session().db).some((j) => j.kind === 'import')) startImport(ctx, { source: summary.root, layout: 'mvtec' });
      return info;
    },
    'project.close': () => ({ closed: ctx.closeProject() }),
    'project.info': () => ctx.info(),
    'project.compact': (a) => {
      const s = ctx.session();
      if (s.readOnly) throw new ApiError('conflict', 'the project is open read-only: open it for writing to compact it');
      if (ctx.runner().busy()) throw new ApiError('conflict', 'a job is running: compact the project once it has ended');
      return compactProject(s, a.dryRun);
    },
  };
}
