import { describe, expect, it } from 'vitest';
import type { Raster } from '../../../src-main/core/image/raster';
import { createHandcraftedExtractor } from '../../../src-main/core/score/patch-features';
import { serialiseScorer } from '../../../src-main/core/score/serialise';
import { trainScorerOnGrids, type EpochProgress } from '../../../src-main/core/score/train';
import { JobCancelled } from '../../../src-main/engine/jobs/runner';
import { trainScorerInWorker } from '../../../src-main/engine/workers/scorer-thread';

const SIDE = 48;

/** A seeded striped texture with grain, so every image differs. */
function texture(seed: number): Raster {
  let a = seed >>> 0;
  const next = () => ((a = (Math.imul(a, 1664525) + 1013904223) >>> 0) / 4294967296);
  const data = new Uint8Array(SIDE * SIDE * 3);
  const phase = next() * 6.28;
  for (let p = 0; p < SIDE * SIDE; p++) {
    const x = p % SIDE;
    for (let c = 0; c < 3; c++) data[p * 3 + c] = Math.round([140, 120, 90][c] + 25 * Math.sin(0.6 * x + phase) + 30 * (next() - 0.5));
  }
  return { width: SIDE, height: SIDE, channels: 3, data };
}

const extractor = createHandcraftedExtractor();
const grids = Array.from({ length: 5 }, (_, i) => extractor.extract(texture(10 + i)));

describe('scorer training on a worker thread', () => {
  it('gives bit-identical weights and loss history to in-thread training for the same seed', async () => {
    const settings = { epochs: 4, batchImages: 2, seed: 7 };
    const here = trainScorerOnGrids(grids, extractor.id, settings);
    const epochs: EpochProgress[] = [];
    const training = trainScorerInWorker(grids, extractor.id, settings, { onEpoch: (p) => epochs.push(p) });
    // This thread stays free while the worker trains: a callback queued after the start runs
    // before the result arrives (in-thread training would finish first, synchronously).
    let turnedWhileTraining = false;
    setImmediate(() => (turnedWhileTraining = epochs.length < settings.epochs));
    const there = await training;
    expect(turnedWhileTraining).toBe(true);
    expect(there.lossHistory).toEqual(here.lossHistory);
    // Every float64 the same bits (toEqual on the serialised form compares each number with Object.is).
    expect(serialiseScorer(there)).toEqual(serialiseScorer(here));
    expect(there.params.adaptorWeight).toBeInstanceOf(Float64Array);
    expect(epochs.map((e) => [e.epoch, e.epochs, e.loss])).toEqual(here.lossHistory.map((l, i) => [i + 1, 4, l]));
    // A different seed gives a different model, so the equality above is not vacuous.
    const other = await trainScorerInWorker(grids, extractor.id, { ...settings, seed: 8 });
    expect(other.lossHistory).not.toEqual(here.lossHistory);
  });

  it('stops the worker when the signal aborts mid-training and rejects with JobCancelled', async () => {
    const controller = new AbortController();
    let seen = 0;
    const run = trainScorerInWorker(grids, extractor.id, { epochs: 100000, batchImages: 2, seed: 1 }, {
      signal: controller.signal,
      onEpoch: () => {
        // Aborted from the progress of the second epoch: training was demonstrably under way.
        if (++seen === 2) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(JobCancelled);
    expect(seen).toBe(2);
  });

  it('passes a training error back with its message', async () => {
    await expect(trainScorerInWorker([], extractor.id, { epochs: 1 })).rejects.toThrow(/no normal images to train on/);
  });
});
