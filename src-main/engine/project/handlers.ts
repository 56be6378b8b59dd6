/** project.*: create, open, close the project; the built-in demo project. */
import { join } from 'node:path';
import { generateDemoDataset } from '../../io/demo-writer';
import { ApiError, type ApiClient } from '../../api/contract';
import { getJob, listJobs } from '../../store/jobs';
import { compactProject } from './compact';
import { DemoRun } from './demo-run';
import type { DEMO_SCORER } from './demo-recipe';
import type { EngineContext, NamespaceHandlers } from '../context';
import { checkDatasetFolder, startImport } from '../dataset/handlers';

export function projectHandlers(ctx: EngineContext, demoDir: string, api: ApiClient, scorer: typeof DEMO_SCORER): NamespaceHandlers<'project'> {
  let demoRun: DemoRun | null = null;
  return {
    'project.create': (a) => {
      // Checked before the folder is made: a mistyped dataset path must not leave an empty project behind.
      if (a.source !== undefined) checkDatasetFolder(a.source);
      return ctx.openProject(a.dir, { create: true, name: a.name });
    },
    'project.open': (a) => ctx.openProject(a.dir, { create: false, readOnly: a.readOnly }),
    /** Generates the demo dataset if absent, opens the demo project and imports the dataset once; `all` runs every stage after it. */
    'project.openDemo': async (a) => {
      const summary = await generateDemoDataset(join(demoDir, 'dataset'));
      const info = await ctx.openProject(join(demoDir, 'project'), { create: true, name: 'GAA demo' });
      const imported = listJobs(ctx.session().db).find((j) => j.kind === 'import');
      const importJobId = imported ? (imported.status === 'done' ? null : imported.id) : startImport(ctx, { source: summary.root, layout: 'mvtec' }).jobId;
      if (a.run === 'all' && demoRun?.snapshot().state !== 'running') {
        const run = new DemoRun(api, { root: summary.root, truthPath: summary.truthPath, outDir: demoDir, scorer }, (jobId) => {
          const j = getJob(ctx.session().db, jobId);
          return j ? { done: j.done, total: j.total } : null;
        });
        demoRun = run;
        void run.run(importJobId);
      }
      return info;
    },
    'project.demoStatus': () => demoRun?.snapshot() ?? null,
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
