import { describe, expect, it } from 'vitest';
import type { ScorerSelfCheck } from '../../../src-main/api/types';
import { scorerVerdict, scorerVerdictText } from '../../../src-renderer/src/review/scorer-verdict';

const check = (imageAuroc: number | null, patchAuroc: number | null, chosenBy: 'auto' | 'user' | 'backbone' = 'auto', byDefectType?: ScorerSelfCheck['byDefectType']): ScorerSelfCheck => ({
  imageAuroc,
  patchAuroc,
  normals: 24,
  anomalies: 24,
  byDefectType,
  model: { kind: 'padim', chosenBy, reason: 'r', candidates: [] },
});

describe('what the Review screen says about the scorer', () => {
  it('tells a restless place from a blind scorer: devdata tire (image 0.543, heat map 0.956) sees its defects', () => {
    const v = scorerVerdict(check(0.543, 0.956));
    expect(v).toEqual({ kind: 'restless', patchAuroc: 0.956 });
    expect(scorerVerdictText(v)).toContain('patch AUROC 0.956');
    expect(scorerVerdictText(v)).toContain('review the pairs by hand');
    // The same image AUROC with a heat map that misses the defects: nothing sees them.
    expect(scorerVerdict(check(0.543, 0.6))).toEqual({ kind: 'blind' });
    // An older scorer with no patch AUROC cannot claim the defects are seen.
    expect(scorerVerdict(check(0.543, null))).toEqual({ kind: 'blind' });
  });

  it('blames the model only when the user or a pack chose it', () => {
    expect(scorerVerdict(check(0.7, 0.5, 'user'))).toEqual({ kind: 'weak' });
    expect(scorerVerdict(check(0.7, 0.5, 'backbone'))).toEqual({ kind: 'weak' });
    expect(scorerVerdictText({ kind: 'weak' })).toContain('train it longer');
  });

  it('names the weak defect types when the whole is fine, and says nothing when all are', () => {
    const types = [
      { defectType: 'cut', imageAuroc: 0.95, anomalies: 6 },
      { defectType: 'hole', imageAuroc: 0.79, anomalies: 5 },
      { defectType: 'contamination', imageAuroc: null, anomalies: 0 },
    ];
    const v = scorerVerdict(check(0.86, 0.9, 'auto', types));
    expect(v).toEqual({ kind: 'weak-types', types: ['hole'] });
    expect(scorerVerdictText(v)).toBe('The filter is weak on hole: review their pairs by hand.');
    // 0.8 itself is not weak (the threshold is "below 0.8").
    expect(scorerVerdict(check(0.8, 0.5, 'auto', [{ defectType: 'cut', imageAuroc: 0.8, anomalies: 3 }, { defectType: 'hole', imageAuroc: 0.9, anomalies: 3 }]))).toEqual({ kind: 'ok' });
    expect(scorerVerdictText({ kind: 'ok' })).toBeNull();
    expect(scorerVerdict(null)).toEqual({ kind: 'ok' });
  });
});
