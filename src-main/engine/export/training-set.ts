/**
 * What an export of a category contains (issue 11, "default export = the best training set"),
 * decided in one place so the export and the value check ("Will this help?") see the same set:
 * the selected synthetic pairs that keep the alignment rule and show their defect, and the real few-shot pairs,
 * repeated with flips and a half turn up to a share of the whole so the few real defects are not
 * drowned by the synthetic ones.
 */
import type { ExportLeftOut } from '../../api/types';
import { showsItsDefect } from '../../api/limits';
import { fewShotPairsToExport, samplesToExport, unscoredLeftOut, type ExportSampleRow, type ExportSelection } from '../../store/exports';
import { stalePairIds } from '../masks/provenance';
import type { Db } from '../../store/db';

/** Flip / half-turn applied to a real pair's copy: 0 none, 1 mirror, 2 upside down, 3 half turn. */
export type Augmentation = 0 | 1 | 2 | 3;
export const AUGMENTATION_NAMES = ['none', 'mirror', 'flip', 'half-turn'] as const;

export type RealPair = ReturnType<typeof fewShotPairsToExport>[number];

export interface TrainingSet {
  synthetic: ExportSampleRow[];
  /** Every pair left out and why: the alignment rule, an invisible defect, stale, unscored. */
  leftOut: ExportLeftOut;
  /** Each real pair once as it is, then flipped copies in turn until the share is reached. */
  real: { pair: RealPair; augmentation: Augmentation }[];
  realPairs: number;
}

/** Most copies of one real pair (four orientations, then repeats): 29 pairs reach half of 928 synthetic ones. */
export const MAX_COPIES_PER_REAL_PAIR = 32;

/** Copies of R real pairs that make them `share` of S synthetic + copies: at least R, at most 32 R. */
export function realCopies(synthetic: number, realPairs: number, share: number): number {
  if (realPairs === 0) return 0;
  const wanted = share >= 1 ? Infinity : Math.round((share / (1 - share)) * synthetic);
  return Math.min(MAX_COPIES_PER_REAL_PAIR * realPairs, Math.max(realPairs, wanted));
}

export function trainingSet(
  db: Db,
  opts: { categoryId: number | null; selection: ExportSelection; includeReal: boolean; realShare: number; minContrast?: number },
): TrainingSet {
  const chosen = samplesToExport(db, opts.selection, opts.categoryId);
  // A pair made on a stale mask shows a defect its cluster no longer describes: left out, and said so.
  const staleIds = stalePairIds(db, opts.categoryId);
  const selected = chosen.filter((s) => !staleIds.has(s.id));
  const aligned = selected.filter((s) => (s.outside_over ?? 0) === 0);
  const byCluster = new Map<string, ExportLeftOut['byCluster'][number]>();
  const entry = (category: string, cluster: string) => {
    const key = `${category}\u0000${cluster}`;
    let e = byCluster.get(key);
    if (!e) byCluster.set(key, (e = { category, cluster, stale: 0, unscored: 0, invisible: 0 }));
    return e;
  };
  for (const s of chosen) if (staleIds.has(s.id)) entry(s.category, s.cluster_name).stale++;
  // A label must show its defect: a pair whose mask barely changed is left out, and counted per
  // cluster (usually one with faint exemplars).
  const synthetic: ExportSampleRow[] = [];
  for (const s of aligned) {
    if (showsItsDefect(s.inside_visible, s.contrast_ratio, opts.minContrast ?? 0)) synthetic.push(s);
    else entry(s.category, s.cluster_name).invisible++;
  }
  for (const u of unscoredLeftOut(db, opts.selection, opts.categoryId)) entry(u.category, u.cluster).unscored += u.n;
  const rows = [...byCluster.values()];
  const leftOut: ExportLeftOut = {
    breaksAlignment: selected.length - aligned.length,
    invisible: aligned.length - synthetic.length,
    stale: chosen.length - selected.length,
    unscored: rows.reduce((n, r) => n + r.unscored, 0),
    byCluster: rows,
  };
  const pairs = opts.includeReal ? fewShotPairsToExport(db, opts.categoryId) : [];
  const real: TrainingSet['real'] = [];
  // The share holds per category: each category's real pairs against its own synthetic ones.
  for (const category of [...new Set(pairs.map((p) => p.category))]) {
    const own = pairs.filter((p) => p.category === category);
    const n = realCopies(synthetic.filter((s) => s.category === category).length, own.length, opts.realShare);
    for (let k = 0; k < n; k++) real.push({ pair: own[k % own.length], augmentation: (Math.floor(k / own.length) % 4) as Augmentation });
  }
  return { synthetic, leftOut, real, realPairs: pairs.length };
}
