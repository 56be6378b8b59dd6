/**
 * The few-shot protocol (AnomalyDiffusion's, used by the GAA paper; METHOD.md §0): per coarse
 * defect type, one third of the anomaly images (seeded, at least one) may be learned from; the
 * rest are held out for evaluation.
 */
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
  const rand = mulberry32(hashSeed(seed, defectType));
  // Fisher-Yates on a key-sorted list: the same files get the same split on every machine.
  for (let i = sorted.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [sorted[i], sorted[j]] = [sorted[j], sorted[i]];
  }
  return new Set(sorted.slice(0, fewShotCount(sorted.length)).map((c) => c.id));
}

function hashSeed(seed: number, text: string): number {
  // FNV-1a over the type name, mixed with the seed: each type gets its own stream.
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function mulberry32(a: number): () => number {
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
