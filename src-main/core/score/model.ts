/**
 * The scorer's normal models (issue 15): the SimpleNet discriminator of §3.4, a global Gaussian
 * and a per-location Gaussian (PaDiM). Each maps a patch grid to per-patch anomaly scores; the
 * score job fits them all and keeps the one whose self-check (held-out real anomalies against
 * held-out normal images) ranks best, recording why.
 */
import { fitGaussianScorer, scoreGaussianPatches, withLocationCalibration, type GaussianKind, type GaussianScorer } from './gaussian';
import type { PatchGrid } from './patch-features';
import type { TrainedScorer } from './train';

export type ScoreModelKind = 'simplenet' | GaussianKind;
export const SCORE_MODEL_KINDS: readonly ScoreModelKind[] = ['gaussian', 'padim', 'simplenet'];

export type ScoreModel = TrainedScorer | GaussianScorer;

export function scoreModelKind(model: ScoreModel): ScoreModelKind {
  return 'kind' in model ? model.kind : 'simplenet';
}

export function isGaussianScorer(model: ScoreModel): model is GaussianScorer {
  return 'kind' in model;
}

export { fitGaussianScorer, scoreGaussianPatches, withLocationCalibration };

/** One candidate's self-check figure, as the choice records it. */
export interface CandidateCheck {
  kind: ScoreModelKind;
  /** A Gaussian model whose scores are calibrated per location (calibration.ts). */
  calibrated?: boolean;
  imageAuroc: number | null;
  /** AUROC of its patch scores against the real masks of the held-out anomalies; null when unknown. */
  patchAuroc?: number | null;
}

/**
 * A calibrated model is left out of the choice where its patch AUROC falls more than this below
 * its raw twin's: calibration that ranks images better by blurring where the defect is would make
 * every ARS and heat map worse (devdata tire: image AUROC 0.54 → 0.75 but patch AUROC 0.95 → 0.53).
 */
export const MAX_CALIBRATION_PATCH_LOSS = 0.05;

/** How the choice names a candidate: its kind, and whether it is calibrated. */
export function candidateLabel(c: { kind: ScoreModelKind; calibrated?: boolean }): string {
  return c.calibrated ? `${c.kind} (calibrated)` : c.kind;
}

/** Simpler first: by kind in `SCORE_MODEL_KINDS` order, a raw model before its calibrated twin. */
function simplicity(c: { kind: ScoreModelKind; calibrated?: boolean }): number {
  return 2 * SCORE_MODEL_KINDS.indexOf(c.kind) + (c.calibrated ? 1 : 0);
}

/**
 * The candidate with the best self-check image AUROC. Within 0.01 of the best, the simpler one
 * wins (kind in `SCORE_MODEL_KINDS` order, uncalibrated first: fewer parameters, and a difference
 * of one or two of 24 images is noise). Candidates without a figure (no held-out anomalies) lose
 * to any with one; with no figure at all the first candidate is kept.
 */
export function chooseScoreModel(candidates: readonly CandidateCheck[]): { kind: ScoreModelKind; calibrated: boolean; reason: string } {
  if (candidates.length === 0) throw new RangeError('scorer: no candidate models');
  const twin = (c: CandidateCheck) => candidates.find((o) => o.kind === c.kind && !o.calibrated);
  const blurs = (c: CandidateCheck) => {
    const raw = c.calibrated ? twin(c) : undefined;
    return raw?.patchAuroc != null && c.patchAuroc != null && c.patchAuroc < raw.patchAuroc - MAX_CALIBRATION_PATCH_LOSS;
  };
  const blurred = candidates.filter(blurs);
  const rated = candidates.filter((c) => c.imageAuroc !== null && !blurs(c)) as (CandidateCheck & { imageAuroc: number })[];
  const note = blurred.length
    ? `; left out, as calibration blurs where the defects are: ${blurred.map((c) => `${candidateLabel(c)} (patch AUROC ${c.patchAuroc!.toFixed(3)} against ${twin(c)!.patchAuroc!.toFixed(3)})`).join(', ')}`
    : '';
  if (rated.length === 0) {
    return { kind: candidates[0].kind, calibrated: candidates[0].calibrated ?? false, reason: 'no held-out anomalies to compare the models on: the first candidate is kept' };
  }
  const best = Math.max(...rated.map((c) => c.imageAuroc));
  const near = rated.filter((c) => c.imageAuroc >= best - 0.01).sort((a, b) => simplicity(a) - simplicity(b));
  const chosen = near[0];
  const others = rated.filter((c) => c !== chosen).map((c) => `${candidateLabel(c)} ${c.imageAuroc.toFixed(3)}`).join(', ');
  const why =
    chosen.imageAuroc === best
      ? `best self-check image AUROC (${chosen.imageAuroc.toFixed(3)})`
      : `self-check image AUROC ${chosen.imageAuroc.toFixed(3)}, within 0.01 of the best (${best.toFixed(3)}) and simpler`;
  return { kind: chosen.kind, calibrated: chosen.calibrated ?? false, reason: (others ? `${why}; ${others}` : why) + note };
}
