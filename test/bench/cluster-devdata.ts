import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { adjustedRandIndex, amfc, leafLabels, leaves } from '../../src-main/core/cluster';
import { chooseBlockWeights } from './block-weights';
import { homogeneity } from '../../src-main/core/cluster/homogeneity';
import { assembleFeatureMatrix, computeFeatures, type AnomalyFeatures } from '../../src-main/core/features';
import { loadMask, loadRaster, MAX_INPUT_PIXELS } from '../../src-main/io/image-codec';

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Features of every test defect of an MVTec-layout category, and its type (folder) index as the hidden truth. */
export async function defectFeatures(dir: string): Promise<{ types: string[]; features: AnomalyFeatures[]; truth: number[] }> {
  const types = readdirSync(join(dir, 'ground_truth')).sort();
  const features: AnomalyFeatures[] = [];
  const truth: number[] = [];
  for (const [ti, type] of types.entries()) {
    for (const f of readdirSync(join(dir, 'test', type)).filter((x) => x.endsWith('.png')).sort()) {
      const image = await loadRaster(join(dir, 'test', type, f), MAX_INPUT_PIXELS);
      const mask = await loadMask(join(dir, 'ground_truth', type, f.replace(/\.png$/, '_mask.png')));
      features.push(computeFeatures(image, mask));
      truth.push(ti);
    }
  }
  return { types, features, truth };
}

/**
 * AMFC pooled over each devdata category's defect types (the folder name is the hidden truth, as
 * the demo's truth is used): every test defect's features (colour, texture, shape), then AMFC with
 * and without the dense re-split guard (the app's AMFC is `paperRule`), a single round, and with
 * block weights chosen by stability (`stableWeights`, ./block-weights.ts). Images with several
 * masks do not exist there; `combined` types are kept as a type of their own.
 */
export async function benchClusterDevdata(root: string, categories: string[] | null): Promise<unknown> {
  if (!existsSync(root)) return { skipped: `no devdata folder at ${root}` };
  const cats = categories ?? readdirSync(root).filter((d) => existsSync(join(root, d, 'ground_truth'))).sort();
  const out = [];
  for (const category of cats) {
    const dir = join(root, category);
    let t = performance.now();
    const { types, features, truth } = await defectFeatures(dir);
    const featureMs = performance.now() - t;
    const { matrix } = assembleFeatureMatrix(features);
    const runs: Record<string, unknown> = {};
    t = performance.now();
    const choice = chooseBlockWeights(features, { seed: 1, amfc: { minMeanClusterSize: 4 } });
    const chosen = leafLabels(amfc(assembleFeatureMatrix(features, choice.weights).matrix, { seed: 1, minMeanClusterSize: 4 }), matrix.length);
    runs.stableWeights = {
      seconds: round((performance.now() - t) / 1000),
      weights: choice.weights,
      stability: round(choice.stability),
      clusters: new Set(chosen).size,
      ari: round(adjustedRandIndex(truth, chosen)),
      homogeneity: round(homogeneity(truth, chosen)),
      candidates: choice.candidates.map((c) => `${c.weights.colour}/${c.weights.texture}/${c.weights.shape}: ${round(c.stability)} (${c.clusters})`),
    };
    for (const [name, opts] of [
      ['guarded', { guardResplit: true }],
      ['paperRule', { guardResplit: false }],
      ['singleRound', { maxRounds: 1 }],
    ] as const) {
      t = performance.now();
      const tree = amfc(matrix, { seed: 1, minMeanClusterSize: 4, ...opts });
      const labels = leafLabels(tree, matrix.length);
      runs[name] = {
        seconds: round((performance.now() - t) / 1000),
        clusters: leaves(tree).length,
        ari: round(adjustedRandIndex(truth, labels)),
        homogeneity: round(homogeneity(truth, labels)),
      };
    }
    out.push({ category, types, anomalies: truth.length, featureMsPerAnomaly: round(featureMs / truth.length), ...runs });
  }
  return { devdata: root, results: out };
}
