/**
 * One cluster's anomaly kind and placement rule (METHOD.md §3), edited as a draft and sent
 * with Apply. The kind limits the mode exactly as the engine does: structural → inside, edge
 * or centreline; logical → logical; combined → combined.
 */
import { useEffect, useState } from 'react';
import type { AnomalyKindChoice, MaskSizeReference, PlacementMode, PlacementRule } from '../../../src-main/api/contract';
import { DEFAULT_MASK_SIZE_REFERENCE } from '../../../src-main/api/limits';

export const MODES_OF_KIND: Record<AnomalyKindChoice, PlacementMode[]> = {
  structural: ['learned', 'inside', 'edge', 'centreline'],
  logical: ['logical'],
  combined: ['combined'],
};

/** METHOD.md §3 defaults: α of Eq. (6), σ factor of the vertex perturbation, IoU limit of combined masks. */
export const RULE_DEFAULTS = { alpha: 0.5, perturbation: 0.05, rotation: [-180, 180] as [number, number], overlapLimit: 0.1 };

interface Draft {
  kind: AnomalyKindChoice;
  mode: PlacementMode;
  region: string | null;
  alpha: number;
  perturbation: number;
  rotMin: number;
  rotMax: number;
  overlapLimit: number;
  size: MaskSizeReference;
}

function draftOf(kind: AnomalyKindChoice, rule: PlacementRule): Draft {
  return {
    kind,
    mode: MODES_OF_KIND[kind].includes(rule.mode) ? rule.mode : MODES_OF_KIND[kind][0],
    region: rule.region,
    alpha: rule.alpha ?? RULE_DEFAULTS.alpha,
    perturbation: rule.perturbation ?? RULE_DEFAULTS.perturbation,
    rotMin: rule.rotation?.[0] ?? RULE_DEFAULTS.rotation[0],
    rotMax: rule.rotation?.[1] ?? RULE_DEFAULTS.rotation[1],
    overlapLimit: rule.overlapLimit ?? RULE_DEFAULTS.overlapLimit,
    size: rule.size ?? DEFAULT_MASK_SIZE_REFERENCE,
  };
}

function ruleOf(d: Draft): PlacementRule {
  const rule: PlacementRule = { mode: d.mode, region: d.region, alpha: d.alpha, perturbation: d.perturbation };
  // Rotation is structural only (METHOD.md §3); overlap only matters when masks are combined.
  if (d.kind === 'structural') rule.rotation = [Math.min(d.rotMin, d.rotMax), Math.max(d.rotMin, d.rotMax)];
  if (d.kind === 'combined') rule.overlapLimit = d.overlapLimit;
  // Logical masks take the region's own shape: nothing is scaled.
  if (d.kind !== 'logical') rule.size = d.size;
  return rule;
}

const clamp = (v: number, lo: number, hi: number) => (Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : lo);

function NumberField({ label, value, min, max, step, onChange, testId, title }: { label: string; value: number; min: number; max: number; step: number; onChange(v: number): void; testId: string; title: string }) {
  return (
    <label className="rule-field" title={title}>
      <span>{label}</span>
      <input type="number" value={value} min={min} max={max} step={step} onChange={(e) => onChange(clamp(Number(e.target.value), min, max))} data-testid={testId} />
    </label>
  );
}

export function RuleEditor({
  kind,
  rule,
  regions,
  busy,
  onApply,
}: {
  kind: AnomalyKindChoice;
  rule: PlacementRule;
  regions: string[];
  busy: boolean;
  onApply(kind: AnomalyKindChoice, rule: PlacementRule): void;
}) {
  const saved = draftOf(kind, rule);
  const [draft, setDraft] = useState<Draft>(saved);
  const savedKey = JSON.stringify(saved);
  useEffect(() => setDraft(JSON.parse(savedKey) as Draft), [savedKey]);
  const dirty = JSON.stringify(draft) !== savedKey;
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  // A region the rule names but the category no longer has stays selectable, so it is visible.
  const regionNames = draft.region !== null && !regions.includes(draft.region) ? [...regions, draft.region] : regions;

  return (
    <div className="rule-editor" data-testid="rule-editor" data-dirty={dirty}>
      <label className="rule-field">
        <span>Kind</span>
        <select value={draft.kind} onChange={(e) => { const k = e.target.value as AnomalyKindChoice; set({ kind: k, mode: MODES_OF_KIND[k][0] }); }} data-testid="rule-kind">
          <option value="structural">structural</option>
          <option value="logical">logical</option>
          <option value="combined">combined</option>
        </select>
      </label>
      <label className="rule-field">
        <span>Mode</span>
        <select value={draft.mode} onChange={(e) => set({ mode: e.target.value as PlacementMode })} disabled={MODES_OF_KIND[draft.kind].length === 1} data-testid="rule-mode">
          {MODES_OF_KIND[draft.kind].map((m) => (
            <option key={m} value={m}>{m}</option>
          ))}
        </select>
      </label>
      <label className="rule-field">
        <span>Region</span>
        <select value={draft.region ?? ''} onChange={(e) => set({ region: e.target.value === '' ? null : e.target.value })} data-testid="rule-region">
          <option value="">implicit (whole product)</option>
          {regionNames.map((r) => (
            <option key={r} value={r}>{r}</option>
          ))}
        </select>
      </label>
      <NumberField label="α" value={draft.alpha} min={0} max={1} step={0.05} onChange={(alpha) => set({ alpha })} testId="rule-alpha" title="Eq. (6): weight of the square-root term of the area-adaptive scale" />
      <NumberField label="Perturb." value={draft.perturbation} min={0} max={1} step={0.01} onChange={(perturbation) => set({ perturbation })} testId="rule-perturbation" title="Vertex perturbation σ as a fraction of √area (Eq. 5)" />
      {draft.kind === 'structural' && (
        <>
          <NumberField label="Rot. min °" value={draft.rotMin} min={-180} max={180} step={5} onChange={(rotMin) => set({ rotMin })} testId="rule-rot-min" title="Lowest random rotation, degrees" />
          <NumberField label="Rot. max °" value={draft.rotMax} min={-180} max={180} step={5} onChange={(rotMax) => set({ rotMax })} testId="rule-rot-max" title="Highest random rotation, degrees" />
        </>
      )}
      {draft.kind !== 'logical' && (
        <label className="rule-field" title="A_avg of Eq. (6), the area each mask is scaled toward: the cluster's mean, so every mask comes out near one size (the paper, the default), or a drawn exemplar's, so sizes spread as the real defects' do">
          <span>Size</span>
          <select value={draft.size} onChange={(e) => set({ size: e.target.value as MaskSizeReference })} data-testid="rule-size">
            <option value="mean">cluster mean (Eq. 6)</option>
            <option value="exemplars">spread like the exemplars</option>
          </select>
        </label>
      )}
      {draft.kind === 'combined' && (
        <NumberField label="Max IoU" value={draft.overlapLimit} min={0} max={1} step={0.05} onChange={(overlapLimit) => set({ overlapLimit })} testId="rule-overlap" title="Largest pairwise IoU between the combined masks" />
      )}
      <div className="rule-actions">
        <button type="button" className="btn small primary" disabled={!dirty || busy} onClick={() => onApply(draft.kind, ruleOf(draft))} data-testid="rule-apply">
          Apply rule
        </button>
        {dirty && (
          <button type="button" className="btn small" onClick={() => setDraft(saved)} data-testid="rule-revert">
            Revert
          </button>
        )}
      </div>
    </div>
  );
}
