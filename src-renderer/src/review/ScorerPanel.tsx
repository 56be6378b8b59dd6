/**
 * What the current scorer is and how far to trust it: its settings and its self-check on real
 * held-out anomalies (image AUROC, overall and per defect type). A weak type means the ARS
 * filter cannot judge that kind of anomaly, so the user should review those pairs by hand.
 */
import { useEffect, useState } from 'react';
import type { ScorerInfo } from '../../../src-main/api/types';
import { api, errorMessage } from '../api';
import { scorerVerdict, scorerVerdictText, WEAK_AUROC } from './scorer-verdict';

function auroc(v: number | null): string {
  return v === null ? 'n/a' : v.toFixed(3);
}

export function ScorerPanel({ categoryId, refresh }: { categoryId: number; refresh: number }) {
  const [info, setInfo] = useState<ScorerInfo | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api
      .invoke('score.info', { categoryId })
      .then((i) => live && (setInfo(i), setError(null)))
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [categoryId, refresh]);

  if (error) return <p className="warn small" data-testid="scorer-error">{error}</p>;
  if (info === undefined) return null;
  if (info === null) {
    return (
      <section className="side-section" data-testid="scorer-panel">
        <h3>Scorer</h3>
        <p className="muted small">No scorer yet: Score trains one on this category’s normal images.</p>
      </section>
    );
  }
  const check = info.selfCheck;
  const MODEL_NAMES = { simplenet: 'SimpleNet discriminator', gaussian: 'Gaussian normal model', padim: 'per-location Gaussian (PaDiM)' } as const;
  const perType = check?.byDefectType && check.byDefectType.length > 1 ? check.byDefectType : null;
  const verdict = scorerVerdict(check);
  const warning = scorerVerdictText(verdict);
  const features = info.extractor.startsWith('handcrafted') ? 'built-in patches' : info.extractor.replace(/^onnx-backbone-v1:/, '').split(':')[0];
  return (
    <section className="side-section" data-testid="scorer-panel">
      <h3>Scorer</h3>
      <p className="muted small">
        {features} · {info.epochs} epochs × {info.batchImages} image{info.batchImages === 1 ? '' : 's'}
        {info.patchFraction < 1 ? ` × ${Math.round(info.patchFraction * 100)}% patches` : ''} · ≤ {info.maxTrainImages} normal images
        {info.finalLoss !== null ? ` · loss ${info.finalLoss.toFixed(3)}` : ''}
      </p>
      <p className="small">
        Scores with the <strong data-testid="scorer-model">{MODEL_NAMES[info.model]}</strong>
        {check?.model?.calibrated && (
          <span data-testid="scorer-calibrated" title="Each place's score is compared with what that place scores on normal images the model was not fitted on, so places that vary a lot in normal images (a highlight, a seam) do not look anomalous">
            , calibrated per location
          </span>
        )}
      </p>
      {check?.model && (
        <p className="muted small" data-testid="scorer-model-reason">
          {check.model.chosenBy === 'auto' ? 'Chosen by the self-check: ' : ''}
          {check.model.reason}
        </p>
      )}
      {check ? (
        <>
          <p className="small" title="Max anomaly score of real held-out anomalies against held-out normal images; 1 = perfect ranking, 0.5 = chance">
            Self-check: image AUROC <strong data-testid="scorer-auroc">{auroc(check.imageAuroc)}</strong> on {check.anomalies} real anomalies vs {check.normals} normal
            images
            {check.patchAuroc != null && (
              <span title="How well the heat map finds the defect: its patch scores against the real masks of those anomalies" data-testid="scorer-patch-auroc">
                {' '}
                · heat map (patch AUROC) {auroc(check.patchAuroc)}
              </span>
            )}
          </p>
          {perType && (
            <dl className="counts-grid" data-testid="scorer-by-type">
              {perType.map((t) => (
                <div key={t.defectType} className="contents">
                  <dt>{t.defectType}</dt>
                  <dd className={t.imageAuroc !== null && t.imageAuroc < WEAK_AUROC ? 'warn' : undefined} title={`${t.anomalies} anomalies`}>
                    {auroc(t.imageAuroc)}
                  </dd>
                </div>
              ))}
            </dl>
          )}
          {warning && (
            <p className="warn small" data-testid="scorer-weak" data-verdict={verdict.kind}>
              {warning}
            </p>
          )}
        </>
      ) : (
        <p className="muted small">No self-check: the category has no held-out real anomalies or normal test images.</p>
      )}
    </section>
  );
}
