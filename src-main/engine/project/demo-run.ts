/**
 * "Open demo project" (issue 12, item 9): the demo opens fully run, as a user would leave it
 * after every stage — clusters with their rules, regions drawn on a few images and propagated,
 * aligned masks, generated pairs, ARS scores and the filter's choice — with one progress bar over
 * the stages. Each stage is the app's own job; a stage already done (a reopened or an
 * interrupted demo) is not run again.
 */
import { join } from 'node:path';
import type { ApiClient } from '../../api/contract';
import type { DemoRunStatus, JobFinished } from '../../api/types';
import { DEMO_KEEP_PER_CLUSTER, DEMO_MASKS_PER_CLUSTER, demoRuleOf, writeDemoLabels, type DEMO_SCORER } from './demo-recipe';

interface Stage {
  label: string;
  /** Starts the stage's job (null: nothing left to do), or does it in place. */
  run(): Promise<number | null>;
}

export class DemoRun {
  private status: DemoRunStatus;

  constructor(
    private readonly api: ApiClient,
    private readonly demo: { root: string; truthPath: string; outDir: string; scorer: typeof DEMO_SCORER },
    /** Done / total of a job, for the bar within a stage. */
    private readonly jobProgress: (jobId: number) => { done: number; total: number } | null,
  ) {
    this.status = { state: 'running', stage: 'Importing the demo dataset', index: 0, total: 1, jobId: null, done: 0, stageTotal: 0, error: null };
  }

  snapshot(): DemoRunStatus {
    if (this.status.state === 'running' && this.status.jobId !== null) {
      const p = this.jobProgress(this.status.jobId);
      if (p) return { ...this.status, done: p.done, stageTotal: p.total };
    }
    return { ...this.status };
  }

  /** Runs every stage after the import (`importJobId`, or none when the dataset was imported before). */
  async run(importJobId: number | null): Promise<void> {
    try {
      if (importJobId !== null) {
        this.status = { ...this.status, jobId: importJobId };
        await this.finished(importJobId, 'the import');
      }
      const stages = await this.stages();
      this.status = { ...this.status, total: stages.length + 1 };
      for (let i = 0; i < stages.length; i++) {
        this.status = { ...this.status, stage: stages[i].label, index: i + 1, jobId: null, done: 0, stageTotal: 0 };
        const jobId = await stages[i].run();
        if (jobId === null) continue;
        this.status = { ...this.status, jobId };
        await this.finished(jobId, stages[i].label.toLowerCase());
      }
      this.status = { ...this.status, state: 'done', stage: 'Done', index: this.status.total, jobId: null };
    } catch (err) {
      this.status = { ...this.status, state: 'failed', error: err instanceof Error ? err.message : String(err) };
    }
  }

  private async finished(jobId: number, what: string): Promise<void> {
    const f: JobFinished = await this.api.call('jobs.wait', { jobId });
    if (f.status !== 'done') throw new Error(`${what} ${f.status}${f.error ? `: ${f.error}` : ''}`);
  }

  /** The stages of every category with few-shot anomalies, in the order a user goes through the screens. */
  private async stages(): Promise<Stage[]> {
    const api = this.api;
    const info = await api.call('project.info', {});
    const out: Stage[] = [];
    for (const c of info.categories) {
      if (c.counts.fewShot === 0) continue;
      const categoryId = c.id;
      out.push({
        label: `Clustering ${c.name}`,
        run: async () => ((await api.call('clusters.get', { categoryId })).clusters.length > 0 ? null : (await api.call('clusters.run', { categoryId })).jobId),
      });
      out.push({
        label: `Regions of ${c.name}`,
        run: async () => {
          const state = await api.call('regions.get', { categoryId });
          if (state.labelled.length > 0) return state.propagated.length > 0 ? null : (await api.call('regions.propagate', { categoryId })).jobId;
          const labelled = writeDemoLabels(this.demo.truthPath, c.name, join(this.demo.outDir, 'labels', c.name));
          if (labelled.length === 0) return null;
          await api.call('regions.importFolder', { categoryId, folder: join(this.demo.outDir, 'labels', c.name) });
          return (await api.call('regions.propagate', { categoryId })).jobId;
        },
      });
      out.push({
        label: `Aligned masks of ${c.name}`,
        run: async () => {
          // The demo's rules, on clusters that have no masks yet (a user's own rule is kept).
          for (const cl of (await api.call('clusters.get', { categoryId })).clusters) {
            const preset = demoRuleOf(cl.members);
            const made = (await api.call('masks.list', { categoryId, clusterId: cl.id, limit: 1 })).total;
            if (preset && made === 0) await api.call('clusters.setRule', { clusterId: cl.id, kind: preset.kind, rule: preset.rule });
          }
          const plan = await api.call('masks.plan', { categoryId, count: DEMO_MASKS_PER_CLUSTER });
          return plan.toMake === 0 ? null : (await api.call('masks.generate', { categoryId, count: DEMO_MASKS_PER_CLUSTER, seed: 0 })).jobId;
        },
      });
      out.push({
        label: `Generating pairs of ${c.name}`,
        run: async () => {
          const plan = await api.call('synth.plan', { categoryId, perCluster: DEMO_MASKS_PER_CLUSTER, seed: 0 });
          return plan.toMake === 0 ? null : (await api.call('synth.run', { categoryId, perCluster: DEMO_MASKS_PER_CLUSTER, seed: 0 })).jobId;
        },
      });
      out.push({
        label: `Scoring pairs of ${c.name}`,
        run: async () => {
          const stale = await api.call('masks.stale', { categoryId });
          if (stale.unscoredPairs === 0) return null;
          return (await api.call('score.run', { categoryId, ...this.demo.scorer, keep: DEMO_KEEP_PER_CLUSTER })).jobId;
        },
      });
    }
    return out;
  }
}
