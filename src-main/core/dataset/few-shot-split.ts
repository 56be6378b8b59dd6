/**
 * The few-shot protocol (AnomalyDiffusion's, used by the GAA paper; METHOD.md §0): per coarse
 * defect type, one third of the anomaly images (seeded, at least one) may be learned from; the
 * rest are held out for evaluation.
 */
import { createRng, deriveSeed } from '../random';

export interface SplitCandidate {
  id: number;
  /** Stable identity independent of import order (the path relative to the dataset root). */
  key: string;
}

export function fewShotCount(n: number): number {
  if (n <= 0) return 0;
  return Math.max(1, Math.round(n / 3));
}

/** Returns the ids chosen for the few-shot training set of one defect type. */
export function chooseFewShot(candidates: SplitCandidate[], seed: number, defectType: string): Set<number> {
  const sorted = [...candidates].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id - b.id));
  // Shuffling a key-sorted list, each defect type on its own stream: the same files get the
  // same split on every machine.
  createRng(deriveSeed(seed, 'few-shot', defectType)).shuffle(sorted);
  return new Set(sorted.slice(0, fewShotCount(sorted.length)).map((c) => c.id));
}
