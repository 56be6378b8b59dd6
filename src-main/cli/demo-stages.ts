import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ApiClient } from '../api/contract';
import { DEMO_SCORER, demoRuleOf, writeDemoLabels, type DemoTruth } from '../engine/project/demo-recipe';
import { loadMask } from '../io/image-codec';
import { exportAndWait, scoreAndWait, synthAndWait } from './pipeline';
import { masksAndWait, propagateAndWait } from './regions-masks';

export { DEMO_SCORER, type DemoTruth };

/**
 * Regions stage of the demo: label 3 normal images of each category that has regions (as a user
 * would in the editor; here from the truth files, written as `<stem>__<region>.png`), propagate
 * to the rest, and score the propagation against the hidden truth.
 */
export async function demoRegions(api: ApiClient, truthPath: string, outDir: string): Promise<Record<string, unknown>> {
  const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as DemoTruth;
  const truthDir = dirname(truthPath);
  const info = await api.call('project.info', {});
  const report: Record<string, unknown> = {};
  for (const c of info.categories) {
    const regions = truth.categories[c.name]?.regions;
    if (!regions || regions.names.length === 0) continue;
    const labelDir = join(outDir, 'labels', c.name);
    const trainImages = writeDemoLabels(truthPath, c.name, labelDir);
    const imported = await api.call('regions.importFolder', { categoryId: c.id, folder: labelDir });
    const t = Date.now();
    const rep = await propagateAndWait(api, c, 0);
    const seconds = (Date.now() - t) / 1000;
    report[c.name] = {
      labelled: imported.imported.length ? trainImages : [],
      importErrors: imported.errors,
      status: rep.status,
      propagated: rep.propagated,
      flagged: rep.flagged,
      imagesPerSecond: Math.round((rep.propagated / Math.max(seconds, 1e-3)) * 100) / 100,
      meanIoUAgainstHiddenTruth: await propagationIoU(api, c.id, regions, truthDir),
    };
  }
  return report;
}

/** Mean over propagated images and regions of IoU(propagated, true region). */
async function propagationIoU(api: ApiClient, categoryId: number, regions: DemoTruth['categories'][string]['regions'], truthDir: string): Promise<number | null> {
  const state = await api.call('regions.get', { categoryId });
  let sum = 0;
  let n = 0;
  for (const p of state.propagated) {
    const truthFiles = regions.images[p.relPath];
    if (!truthFiles) continue;
    const mine = await api.call('regions.ofImage', { imageId: p.imageId });
    for (const [region, file] of Object.entries(truthFiles)) {
      const t = await readBinary(join(truthDir, file));
      const m = mine.regions.find((r) => r.region === region && r.source === 'propagated');
      const ours = m ? await readBinary(m.file) : null;
      let inter = 0;
      let union = 0;
      for (let i = 0; i < t.length; i++) {
        const a = t[i] > 127;
        const b = ours ? ours[i] > 127 : false;
        if (a && b) inter++;
        if (a || b) union++;
      }
      sum += union ? inter / union : 1;
      n++;
    }
  }
  return n ? Math.round((sum / n) * 1000) / 1000 : null;
}

async function readBinary(file: string): Promise<Uint8Array> {
  return (await loadMask(file)).data;
}

/** Masks stage of the demo: set each cluster's rule, then `perCluster` aligned masks per cluster. */
export async function demoMasks(api: ApiClient, perCluster: number): Promise<Record<string, unknown>> {
  const info = await api.call('project.info', {});
  const report: Record<string, unknown> = {};
  for (const c of info.categories) {
    const state = await api.call('clusters.get', { categoryId: c.id });
    if (state.clusters.length === 0) continue;
    for (const cl of state.clusters) {
      const preset = demoRuleOf(cl.members);
      if (preset) await api.call('clusters.setRule', { clusterId: cl.id, kind: preset.kind, rule: preset.rule });
    }
    const t = Date.now();
    const rep = await masksAndWait(api, c, { clusterId: null, perCluster, seed: 0 });
    const inside = rep.masks.map((m) => m.insideFraction).sort((a, b) => a - b);
    report[c.name] = {
      status: rep.status,
      made: rep.made,
      unsatisfiable: rep.failed.length,
      firstFailures: rep.failed.slice(0, 3),
      byMode: Object.fromEntries([...new Set(rep.masks.map((m) => m.mode))].map((mode) => [mode, rep.masks.filter((m) => m.mode === mode).length])),
      insideFraction: inside.length ? { min: inside[0], median: inside[Math.floor(inside.length / 2)] } : null,
      seconds: (Date.now() - t) / 1000,
    };
  }
  return report;
}

/** Generation, scoring and export stages of the demo; ends with a training folder on disk. */
export async function demoSynthScoreExport(api: ApiClient, outDir: string, perCluster: number, keep: number): Promise<{ synth: Record<string, unknown>; score: Record<string, unknown>; export: unknown }> {
  const info = await api.call('project.info', {});
  const synth: Record<string, unknown> = {};
  const score: Record<string, unknown> = {};
  for (const c of info.categories) {
    const masks = await api.call('masks.list', { categoryId: c.id, limit: 1 });
    if (masks.total === 0) continue;
    const s = await synthAndWait(api, c, { clusterId: null, perCluster, seed: 0 });
    synth[c.name] = { status: s.status, made: s.made, failed: s.failed.length, pairsPerSecond: s.pairsPerSecond, seconds: s.seconds };
    const sc = await scoreAndWait(api, c, { ...DEMO_SCORER, keep });
    score[c.name] = { status: sc.status, scored: sc.scored, kept: sc.kept, selfCheck: sc.selfCheck, ars: sc.ars, seconds: sc.seconds };
  }
  const ex = await exportAndWait(api, { outDir: join(outDir, 'export'), formats: ['mvtec', 'folder', 'coco', 'yolo'], selection: 'kept', name: null });
  return { synth, score, export: ex };
}
