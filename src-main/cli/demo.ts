import { join } from 'node:path';
import type { Engine } from '../engine/engine';
import type { CliIo } from './main';
import { importAndWait } from './commands';

export interface DemoReport {
  ok: boolean;
  project: string;
  dataset: string;
  truth: string;
  stages: Record<string, unknown>;
}

/**
 * `gaa demo` / `npm run demo`: the built-in dataset through every stage that exists so far.
 * Stages are added here as they are built; nothing is faked for stages that are not.
 */
export async function runDemo(engine: Engine, outDir: string, io: CliIo): Promise<DemoReport> {
  const t0 = Date.now();
  io.err(`Generating the demo dataset in ${join(outDir, 'dataset')} …\n`);
  const { generateDemoDataset } = await import('../core/demo');
  const demo = await generateDemoDataset(join(outDir, 'dataset'));
  const tGen = Date.now();
  const projectDir = join(outDir, 'project');
  await engine.call('project.create', { dir: projectDir, name: 'GAA demo' });
  const already = (await engine.call('project.info', {})).totals;
  let importStage: Record<string, unknown>;
  let ok = true;
  if (already.normal + already.anomaly > 0) {
    importStage = { skipped: 'already imported', normal: already.normal, anomaly: already.anomaly, masks: already.masks };
  } else {
    const rep = await importAndWait(engine, demo.root, 'mvtec');
    ok = rep.status === 'done';
    importStage = {
      status: rep.status,
      imported: rep.imported,
      failed: rep.failed,
      seconds: (Date.now() - tGen) / 1000,
    };
  }
  const info = await engine.call('project.info', {});
  return {
    ok,
    project: projectDir,
    dataset: demo.root,
    truth: demo.truthPath,
    stages: {
      dataset: { generated: demo.generated, seconds: (tGen - t0) / 1000, categories: demo.categories },
      import: {
        ...importStage,
        categories: info.categories.map((c) => ({
          name: c.name,
          normal: c.counts.normal,
          anomaly: c.counts.anomaly,
          masks: c.counts.masks,
          fewShot: c.counts.fewShot,
          heldOut: c.counts.heldOut,
          defectTypes: c.defectTypes,
        })),
      },
    },
  };
}
