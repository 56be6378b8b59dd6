import { parseArgs } from 'node:util';
import { adjustedRandIndex, amfc, leafLabels, leaves } from '../../src-main/core/cluster';
import { rasterToLab } from '../../src-main/core/image/colour';
import { assembleFeatureMatrix, computeFeatures } from '../../src-main/core/features';
import { colourBlock } from '../../src-main/core/features/colour-block';
import { lbpHistograms } from '../../src-main/core/features/lbp';
import { cropMask, growRect, maskBoundingBox, ringAround, ringRadiusFor } from '../../src-main/core/features/roi';
import { shapeBlock } from '../../src-main/core/features/shape';
import { benchClusterDevdata } from './cluster-devdata';
import { DEVDATA_DIR } from './score-devdata';
import { SYNTHETIC_KINDS, syntheticAnomalies } from '../unit/core/cluster/synthetic-anomalies';

/**
 * Feature extraction (with a per-block breakdown) and AMFC clustering time for generated
 * anomalies of three kinds: `npm run bench -- cluster [--sizes 50,200,1000] [--side 256]`.
 */
export async function benchCluster(argv: string[]): Promise<unknown> {
  const { values } = parseArgs({
    args: argv,
    options: { sizes: { type: 'string', default: '50,200,1000' }, side: { type: 'string', default: '256' }, devdata: { type: 'string' }, category: { type: 'string' } },
    allowPositionals: true,
  });
  // `--devdata ''` (= ../shared/devdata) or `--devdata DIR`: AMFC on real defects instead.
  if (values.devdata !== undefined) return benchClusterDevdata(values.devdata === '' ? DEVDATA_DIR : values.devdata, values.category ? values.category.split(',') : null);
  const side = Number(values.side);
  const out = [];
  for (const n of values.sizes.split(',').map(Number)) {
    const anomalies = syntheticAnomalies(n, side, 99);
    const truth = anomalies.map((a) => SYNTHETIC_KINDS.indexOf(a.kind));
    const ms = { lab: 0, colour: 0, texture: 0, shape: 0 };
    for (const a of anomalies) {
      // The same steps as computeFeatures, timed one block at a time.
      const radius = ringRadiusFor(side, side);
      const roi = growRect(maskBoundingBox(a.mask)!, Math.max(radius, 2), side, side);
      const w = roi.x1 - roi.x0;
      const h = roi.y1 - roi.y0;
      const inside = cropMask(a.mask, roi);
      const ring = ringAround(inside, w, h, radius);
      let t = performance.now();
      const lab = rasterToLab(a.image, roi);
      ms.lab += performance.now() - t;
      t = performance.now();
      colourBlock(lab, inside, ring);
      ms.colour += performance.now() - t;
      t = performance.now();
      lbpHistograms(lab.l, inside, w, h);
      ms.texture += performance.now() - t;
      t = performance.now();
      shapeBlock(inside, w, h, { offsetX: roi.x0, offsetY: roi.y0, imageWidth: side, imageHeight: side });
      ms.shape += performance.now() - t;
    }
    let t = performance.now();
    const features = anomalies.map((a) => computeFeatures(a.image, a.mask));
    const featureMs = performance.now() - t;
    const { matrix } = assembleFeatureMatrix(features);
    t = performance.now();
    const tree = amfc(matrix, { seed: 1, minMeanClusterSize: 4 });
    const amfcMs = performance.now() - t;
    t = performance.now();
    const single = amfc(matrix, { seed: 1, maxRounds: 1, minMeanClusterSize: 4 });
    const singleMs = performance.now() - t;
    out.push({
      anomalies: n,
      side,
      featureSeconds: round(featureMs / 1000),
      featureMsPerAnomaly: round(featureMs / n),
      blockMs: { lab: round(ms.lab), colour: round(ms.colour), texture: round(ms.texture), shape: round(ms.shape) },
      amfcSeconds: round(amfcMs / 1000),
      singleRoundSeconds: round(singleMs / 1000),
      clusters: leaves(tree).length,
      ari: round(adjustedRandIndex(truth, leafLabels(tree, n))),
      ariSingleRound: round(adjustedRandIndex(truth, leafLabels(single, n))),
    });
  }
  return out;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
