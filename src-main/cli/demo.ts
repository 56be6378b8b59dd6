import { join } from 'node:path';
import type { ApiClient } from '../api/contract';
import type { CliIo } from './main';
import { readFileSync } from 'node:fs';
import { generateDemoDataset } from '../io/demo-writer';
import { adjustedRandIndex } from '../core/cluster';
import { clusterAndWait, importAndWait, type ClusterReport } from './commands';
import { demoMasks, demoRegions, demoSynthScoreExport, type DemoTruth } from './demo-stages';
import { refusePseudoFilesystem } from '../io/folders';
import { DEMO_KEEP_PER_CLUSTER, DEMO_MASKS_PER_CLUSTER } from '../engine/project/demo-recipe';

function ariAgainstTruth(rep: ClusterReport, anomalies: Record<string, { subtype: string }>): number | null {
  const predicted: number[] = [];
  const actual: string[] = [];
  rep.clusters.forEach((c, ci) =>
    c.members.forEach((m) => {
      const key = Object.keys(anomalies).find((k) => m.path.endsWith(k));
      if (!key) return;
      predicted.push(ci);
      actual.push(anomalies[key].subtype);
    }),
  );
  if (predicted.length < 2) return null;
  const names = [...new Set(actual)];
  return Math.round(adjustedRandIndex(predicted, actual.map((a) => names.indexOf(a))) * 1000) / 1000;
}

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
export async function runDemo(api: ApiClient, outDir: string, io: CliIo): Promise<DemoReport> {
  const t0 = Date.now();
  await refusePseudoFilesystem(outDir);
  io.err(`Generating the demo dataset in ${join(outDir, 'dataset')} …\n`);
  const demo = await generateDemoDataset(join(outDir, 'dataset'));
  const tGen = Date.now();
  const projectDir = join(outDir, 'project');
  await api.call('project.create', { dir: projectDir, name: 'GAA demo' });
  const already = (await api.call('project.info', {})).totals;
  let importStage: Record<string, unknown>;
  let ok = true;
  if (already.normal + already.anomaly > 0) {
    importStage = { skipped: 'already imported', normal: already.normal, anomaly: already.anomaly, masks: already.masks };
  } else {
    const rep = await importAndWait(api, demo.root, 'mvtec');
    ok = rep.status === 'done';
    importStage = {
      status: rep.status,
      imported: rep.imported,
      failed: rep.failed,
      seconds: (Date.now() - tGen) / 1000,
    };
  }
  const info = await api.call('project.info', {});
  const truth = JSON.parse(readFileSync(demo.truthPath, 'utf8')) as DemoTruth;
  const clusterStage: Record<string, unknown> = {};
  for (const c of info.categories) {
    if (c.counts.fewShot === 0) continue;
    const t = Date.now();
    const rep = await clusterAndWait(api, c, { perType: false, rounds: 3, seed: 0 });
    ok &&= rep.status === 'done';
    clusterStage[c.name] = {
      status: rep.status,
      k: rep.k,
      rounds: rep.rounds,
      sizes: rep.clusters.map((x) => x.size),
      // Scored against the demo's hidden truth, which the pipeline itself never reads.
      ariAgainstHiddenSubtypes: ariAgainstTruth(rep, truth.categories[c.name]?.anomalies ?? {}),
      seconds: (Date.now() - t) / 1000,
    };
  }
  const regionStage = await demoRegions(api, demo.truthPath, outDir);
  const masksStage = await demoMasks(api, DEMO_MASKS_PER_CLUSTER);
  const later = await demoSynthScoreExport(api, outDir, DEMO_MASKS_PER_CLUSTER, DEMO_KEEP_PER_CLUSTER);
  ok &&= [...Object.values(regionStage), ...Object.values(masksStage), ...Object.values(later.synth), ...Object.values(later.score), later.export].every(
    (r) => (r as { status?: string }).status === 'done',
  );
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
      cluster: clusterStage,
      regions: regionStage,
      masks: masksStage,
      synth: later.synth,
      score: later.score,
      export: later.export,
    },
  };
}
