import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PatchGrid } from '../../core/score/patch-features';
import type { EpochProgress, ScorerSettings, TrainedScorer } from '../../core/score/train';
import type { GaussianKind, GaussianScorer } from '../../core/score/gaussian';
import type { ScoreModel } from '../../core/score/model';
import { JobCancelled } from '../jobs/runner';
import type { ScorerTrainRequest, ScorerWorkerReply } from './scorer-worker';

/** The bundled worker (Electron build) or the source-tree shim (tsx: CLI, web host, tests). */
function workerFile(): string {
  const bundled = join(__dirname, 'scorer-worker.js');
  return existsSync(bundled) ? bundled : join(__dirname, 'scorer-worker.cjs');
}

export interface WorkerTrainingOptions {
  /** Aborting terminates the worker at once (mid-epoch) and rejects with JobCancelled. */
  signal?: AbortSignal;
  onEpoch?: (p: EpochProgress) => void;
}

/**
 * `trainScorerOnGrids` on a worker thread of its own: the same function on the same inputs, so
 * the same seed gives the same model bit for bit, while the engine thread stays free.
 */
export function trainScorerInWorker(
  grids: readonly PatchGrid[],
  extractorId: string,
  settings: Partial<ScorerSettings>,
  opts: WorkerTrainingOptions = {},
): Promise<TrainedScorer> {
  return inWorker({ grids: [...grids], extractorId, settings }, opts) as Promise<TrainedScorer>;
}

/**
 * `fitGaussianScorer` on a worker thread (a PaDiM fit on 64 photographs takes tens of seconds);
 * with `calibrate`, the model carries its per-location calibration (`withLocationCalibration`).
 */
export function fitGaussianInWorker(
  grids: readonly PatchGrid[],
  extractorId: string,
  kind: GaussianKind,
  opts: WorkerTrainingOptions & { calibrate?: boolean } = {},
): Promise<GaussianScorer> {
  return inWorker({ grids: [...grids], extractorId, settings: {}, gaussian: kind, calibrate: opts.calibrate ?? false }, opts) as Promise<GaussianScorer>;
}

function inWorker(request: ScorerTrainRequest, opts: WorkerTrainingOptions): Promise<ScoreModel> {
  if (opts.signal?.aborted) return Promise.reject(new JobCancelled());
  return new Promise<ScoreModel>((resolve, reject) => {
    const worker = new Worker(workerFile());
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      outcome();
      // The worker exits by itself after replying; terminate also covers cancel and errors.
      void worker.terminate();
    };
    const onAbort = () => finish(() => reject(new JobCancelled()));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (r: ScorerWorkerReply) => {
      if (settled) return;
      if (r.type === 'epoch') {
        try {
          opts.onEpoch?.(r.progress);
        } catch (err) {
          // As in-thread training: a throwing progress callback stops the training.
          finish(() => reject(err));
        }
      } else if (r.type === 'done') finish(() => resolve(r.scorer));
      else finish(() => reject(new Error(r.error)));
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) => finish(() => reject(new Error(`the scorer training thread stopped (exit code ${code})`))));
    worker.postMessage(request);
  });
}
