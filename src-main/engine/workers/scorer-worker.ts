/**
 * Worker thread body: trains the ARS scorer (METHOD.md §5) on precomputed patch grids, so the
 * minutes of training never block the engine's own thread (web host, IPC, other jobs).
 * One request per worker: the host starts a worker per training and terminates it to cancel.
 */
import { parentPort } from 'node:worker_threads';
import type { PatchGrid } from '../../core/score/patch-features';
import { trainScorerOnGrids, type EpochProgress, type ScorerSettings } from '../../core/score/train';
import { fitGaussianScorer, withLocationCalibration, type GaussianKind } from '../../core/score/gaussian';
import type { ScoreModel } from '../../core/score/model';

export interface ScorerTrainRequest {
  grids: PatchGrid[];
  extractorId: string;
  settings: Partial<ScorerSettings>;
  /** A Gaussian normal model instead of SimpleNet (absent = SimpleNet). */
  gaussian?: GaussianKind;
  /** With `gaussian`: also fit its per-location calibration (core/score/calibration.ts). */
  calibrate?: boolean;
}

export type ScorerWorkerReply =
  | { type: 'epoch'; progress: EpochProgress }
  | { type: 'done'; scorer: ScoreModel }
  | { type: 'error'; error: string };

parentPort?.once('message', (req: ScorerTrainRequest) => {
  // Structured clone keeps every float64 of the typed arrays bit for bit, so the model that
  // arrives is the one trained here (the weights are kilobytes: no transfer list is needed).
  const reply = (r: ScorerWorkerReply) => parentPort!.postMessage(r);
  try {
    const gaussian = req.gaussian ? fitGaussianScorer(req.grids, req.extractorId, req.gaussian) : null;
    const scorer = gaussian
      ? req.calibrate
        ? withLocationCalibration(gaussian, req.grids)
        : gaussian
      : trainScorerOnGrids(req.grids, req.extractorId, req.settings, (progress) => reply({ type: 'epoch', progress }));
    reply({ type: 'done', scorer });
  } catch (err) {
    reply({ type: 'error', error: err instanceof Error ? err.message : String(err) });
  }
});
