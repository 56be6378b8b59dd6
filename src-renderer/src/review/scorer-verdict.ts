/**
 * How far the Review screen tells the user to trust the ARS filter, read off the scorer's
 * self-check (issue 15: "where a category falls short, the Review screen says so and why").
 *
 * Two self-check figures answer different questions. Image AUROC: does an image's highest score
 * rank held-out real anomalies above held-out normal images? Patch AUROC: inside those anomaly
 * images, does the heat map score the real mask above the rest? A weak image AUROC with a good
 * heat map is not a blind scorer: the defects are seen, but some places of normal images score
 * as high (devdata tire: the tread's highlight holds every normal image's maximum, image AUROC
 * 0.54 at patch AUROC 0.96). The ARS is the mean score inside a pair's own mask (Eq. 7), so there
 * a pair that sits on such a place scores high whatever it shows.
 */
import type { ScorerSelfCheck } from '../../../src-main/api/types';

/** Below this a self-check is flagged: the scorer ranks that type barely better than chance. */
export const WEAK_AUROC = 0.8;
/** At or above this the heat map is taken to find the defects (its patch AUROC). */
export const SEES_DEFECTS_AUROC = 0.85;

export type ScorerVerdict =
  | { kind: 'ok' }
  /** Overall fine, but these defect types rank poorly. */
  | { kind: 'weak-types'; types: string[] }
  /** The heat map finds the defects, yet normal images have places that score as high. */
  | { kind: 'restless'; patchAuroc: number }
  /** No model tried ranks real anomalies well: the descriptor does not see them. */
  | { kind: 'blind' }
  /** The model the user (or a backbone pack) chose ranks them poorly. */
  | { kind: 'weak' };

export function scorerVerdict(check: ScorerSelfCheck | null): ScorerVerdict {
  if (!check) return { kind: 'ok' };
  const perType = check.byDefectType && check.byDefectType.length > 1 ? check.byDefectType : [];
  const weakTypes = perType.filter((t) => t.imageAuroc !== null && t.imageAuroc < WEAK_AUROC).map((t) => t.defectType);
  const weakOverall = check.imageAuroc !== null && check.imageAuroc < WEAK_AUROC;
  if (!weakOverall) return weakTypes.length ? { kind: 'weak-types', types: weakTypes } : { kind: 'ok' };
  if (check.patchAuroc != null && check.patchAuroc >= SEES_DEFECTS_AUROC) return { kind: 'restless', patchAuroc: check.patchAuroc };
  return check.model?.chosenBy === 'auto' ? { kind: 'blind' } : { kind: 'weak' };
}

/** The Review screen's sentence for a verdict; null when there is nothing to warn about. */
export function scorerVerdictText(v: ScorerVerdict): string | null {
  switch (v.kind) {
    case 'ok':
      return null;
    case 'weak-types':
      return `The filter is weak on ${v.types.join(', ')}: review their pairs by hand.`;
    case 'restless':
      return (
        `The heat map finds the real defects (patch AUROC ${v.patchAuroc.toFixed(3)}), but some places score as high on normal images ` +
        '(a highlight, a seam, a part that varies), so an image’s top score barely tells defective from normal. ' +
        'A pair’s ARS is its mask’s mean score, so a pair on such a place can rank high whatever it shows: review the pairs by hand.'
      );
    case 'blind':
      return 'No normal model ranks real anomalies well above normal images here (the built-in patch descriptor cannot see these defects): install a backbone pack, or review the pairs by hand.';
    case 'weak':
      return 'The scorer ranks real anomalies only a little above normal images: train it longer, try another model, or review the pairs by hand.';
  }
}
