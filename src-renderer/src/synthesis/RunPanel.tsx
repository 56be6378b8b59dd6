/**
 * Synthesis settings (METHOD.md §2b): which clusters, n_gen per cluster, generator, blend
 * mode, seed. The engine uses the first n_gen aligned masks of each cluster, so the panel
 * shows how many each cluster has and offers to make more first. The diffusion generator
 * (METHOD.md §2) needs an installed sd15-onnx pack and a concept pack bound to the category,
 * and makes pairs only for the clusters that pack has a concept for.
 */
import type { ReactNode } from 'react';
import type { ClusterSummary, ConceptStatus, PackInfo, StaleSummary, SynthPlan } from '../../../src-main/api/contract';
import { packsOfKind } from './usePacks';

export type BlendChoice = 'auto' | 'opaque' | 'mixed';
export type GeneratorChoice = 'exemplar' | 'diffusion';

export interface RunSettings {
  selected: Set<number>;
  perCluster: number;
  blendMode: BlendChoice;
  seed: number;
  generator: GeneratorChoice;
  /** The sd15-onnx pack for diffusion; null until one is installed and chosen. */
  sd15Pack: string | null;
  steps: number;
  guidance: number;
}

/** The defaults of `synth.run` in src-main/api/contract.ts (the renderer takes only types from it). */
export const DIFFUSION_DEFAULTS = { steps: 50, guidance: 7.5 } as const;

export interface DiffusionAvailability {
  available: boolean;
  /** Why not, one short instruction each; empty while packs and concepts are still being read. */
  reasons: string[];
  sd15Packs: PackInfo[];
}

export function diffusionAvailability(packs: PackInfo[] | null, concepts: ConceptStatus | null): DiffusionAvailability {
  const sd15Packs = packsOfKind(packs, 'sd15-onnx');
  const reasons: string[] = [];
  if (packs !== null && sd15Packs.length === 0) reasons.push('install an sd15-onnx model pack in Settings');
  if (concepts !== null) {
    if (concepts.problem) reasons.push(concepts.problem);
    else if (!concepts.pack) reasons.push('import a concept pack for this category');
  }
  const available = packs !== null && concepts !== null && reasons.length === 0;
  return { available, reasons, sd15Packs };
}

/** Clusters the run will generate for: selected, and with diffusion only those with a concept. */
export function runnableClusters(clusters: ClusterSummary[], settings: RunSettings, concepts: ConceptStatus | null): ClusterSummary[] {
  const withConcept = new Set((concepts?.clusters ?? []).filter((c) => c.concept).map((c) => c.id));
  return clusters.filter((c) => settings.selected.has(c.id) && (settings.generator !== 'diffusion' || withConcept.has(c.id)));
}

export function RunPanel({
  clusters,
  maskCounts,
  plan,
  stale,
  settings,
  diffusion,
  concepts,
  busy,
  onChange,
  onRun,
  onMakeMasks,
  children,
}: {
  clusters: ClusterSummary[];
  maskCounts: Map<number, number>;
  /** What the run would make with these settings; null while it is being read. */
  plan: SynthPlan | null;
  /** Stale work per cluster (masks.stale); redone from the Masks screen. */
  stale?: StaleSummary | null;
  settings: RunSettings;
  diffusion: DiffusionAvailability;
  concepts: ConceptStatus | null;
  busy: boolean;
  onChange(s: RunSettings): void;
  onRun(): void;
  onMakeMasks(): void;
  /** Further sections of the side panel (the concepts panel). */
  children?: ReactNode;
}) {
  const { selected, perCluster } = settings;
  const runnable = runnableClusters(clusters, settings, concepts);
  // The engine's plan (synth.plan): the pairs this run makes, without those already made with this generator and seed.
  const planOf = new Map((plan?.clusters ?? []).map((c) => [c.clusterId, c]));
  const planned = plan === null ? null : runnable.reduce((n, c) => n + (planOf.get(c.id)?.toMake ?? 0), 0);
  const alreadyMade = runnable.reduce((n, c) => n + (planOf.get(c.id)?.alreadyMade ?? 0), 0);
  const short = runnable.filter((c) => (maskCounts.get(c.id) ?? 0) < perCluster);
  const useDiffusion = settings.generator === 'diffusion';
  const staleOf = new Map((stale?.clusters ?? []).map((c) => [c.clusterId, c.staleMasks]));
  const conceptOf = new Map((concepts?.clusters ?? []).map((c) => [c.id, c.concept]));
  const skipped = useDiffusion ? clusters.filter((c) => selected.has(c.id) && !conceptOf.get(c.id)) : [];
  const set = (patch: Partial<RunSettings>) => onChange({ ...settings, ...patch });
  const toggle = (id: number) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    set({ selected: next });
  };
  const allOn = clusters.length > 0 && clusters.every((c) => selected.has(c.id));

  return (
    <aside className="side synth-side" data-testid="synth-settings">
      <section className="side-section">
        <h3>Clusters</h3>
        <label className="check">
          <input type="checkbox" checked={allOn} onChange={() => set({ selected: allOn ? new Set() : new Set(clusters.map((c) => c.id)) })} data-testid="synth-all-clusters" />
          <span>All clusters</span>
        </label>
        <ul className="synth-clusters">
          {clusters.map((c) => {
            const masks = maskCounts.get(c.id);
            return (
              <li key={c.id}>
                <label className="check" data-testid="synth-cluster" data-cluster-id={c.id}>
                  <input type="checkbox" checked={selected.has(c.id)} onChange={() => toggle(c.id)} />
                  <span className="synth-cluster-name">{c.name}</span>
                  <span className={masks === 0 ? 'pill warn' : 'pill'} title="Aligned masks made for this cluster" data-testid="synth-mask-count">
                    {masks === undefined ? '…' : masks}
                  </span>
                  {(staleOf.get(c.id) ?? 0) > 0 && (
                    <span className="pill warn" title="Masks (and their pairs) made before the cluster or its region changed: redo them on the Masks screen" data-testid="synth-stale">
                      {staleOf.get(c.id)} stale
                    </span>
                  )}
                </label>
              </li>
            );
          })}
        </ul>
        {short.length > 0 && (
          <div className="synth-short small" data-testid="synth-shortfall">
            <span className="warn">
              {short.map((c) => c.name).join(', ')} {short.length === 1 ? 'has' : 'have'} fewer than {perCluster} masks: only those made are used.
            </span>
            <button type="button" className="btn small" onClick={onMakeMasks} data-testid="synth-make-masks">
              Make masks first…
            </button>
          </div>
        )}
      </section>
      <section className="side-section">
        <h3>Generation</h3>
        <label className="field">
          <span>Pairs per cluster (n_gen)</span>
          <input type="number" min={1} max={100000} value={perCluster} onChange={(e) => set({ perCluster: Math.max(1, Math.min(100000, Math.round(Number(e.target.value)) || 1)) })} data-testid="synth-ngen" />
        </label>
        <label className="field">
          <span>Generator</span>
          <select
            value={settings.generator}
            onChange={(e) => set({ generator: e.target.value as GeneratorChoice })}
            title="Exemplar: pastes a few-shot defect by the aligned mask (METHOD.md §2b). Diffusion: inpaints the cluster's learnt concept (METHOD.md §2)."
            data-testid="synth-generator"
          >
            <option value="exemplar">Exemplar (built-in)</option>
            <option value="diffusion" disabled={!diffusion.available}>
              Diffusion
            </option>
          </select>
        </label>
        {!diffusion.available && diffusion.reasons.length > 0 && (
          <p className="muted small" data-testid="synth-diffusion-reason">
            Diffusion: {diffusion.reasons.join('; ')}.
          </p>
        )}
        {useDiffusion ? (
          <div data-testid="synth-diffusion-options">
            <label className="field">
              <span>Stable Diffusion pack (sd15-onnx)</span>
              <select value={settings.sd15Pack ?? ''} onChange={(e) => set({ sd15Pack: e.target.value || null })} data-testid="synth-sd15-pack">
                {diffusion.sd15Packs.map((p) => (
                  <option key={p.name} value={p.name}>
                    {p.name} {p.version}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>Denoising steps</span>
              <input type="number" min={1} max={1000} value={settings.steps} onChange={(e) => set({ steps: Math.max(1, Math.min(1000, Math.round(Number(e.target.value)) || 1)) })} data-testid="synth-steps" />
            </label>
            <label className="field">
              <span>Guidance scale</span>
              <input
                type="number"
                min={0}
                max={50}
                step={0.5}
                value={settings.guidance}
                onChange={(e) => set({ guidance: Math.max(0, Math.min(50, Number(e.target.value) || 0)) })}
                data-testid="synth-guidance"
              />
            </label>
            <div className="field">
              <span>Concepts per cluster</span>
              <ul className="synth-clusters" data-testid="synth-concepts">
                {clusters.map((c) => (
                  <li key={c.id} className="check" data-testid="synth-concept" data-cluster-id={c.id} data-concept={conceptOf.get(c.id) ? 'true' : 'false'}>
                    <span className="synth-cluster-name">{c.name}</span>
                    {conceptOf.get(c.id) ? <span className="pill">concept</span> : <span className="pill warn">exemplar only</span>}
                  </li>
                ))}
              </ul>
            </div>
            {skipped.length > 0 && (
              <p className="warn small" data-testid="synth-skipped">
                {skipped.map((c) => c.name).join(', ')}: no concept, not generated by this run (use the exemplar generator for {skipped.length === 1 ? 'it' : 'them'}).
              </p>
            )}
          </div>
        ) : (
          <label className="field">
            <span>Blend mode</span>
            <select value={settings.blendMode} onChange={(e) => set({ blendMode: e.target.value as BlendChoice })} data-testid="synth-blend">
              <option value="auto">auto (from the exemplar's contrast)</option>
              <option value="opaque">opaque (keep the defect's pixels)</option>
              <option value="mixed">mixed gradients (thin / translucent)</option>
            </select>
          </label>
        )}
        <label className="field">
          <span>Seed</span>
          <input type="number" min={0} value={settings.seed} onChange={(e) => set({ seed: Math.max(0, Math.round(Number(e.target.value)) || 0) })} data-testid="synth-seed" />
        </label>
        <p className="muted small">
          Will generate <span className="mono" data-testid="synth-planned">{planned ?? '…'}</span> new pairs
          {alreadyMade > 0 && (
            <>
              {' '}
              (<span className="mono" data-testid="synth-already">{alreadyMade}</span> of the masks used already have a pair from this generator and seed)
            </>
          )}
          .
        </p>
        <button
          type="button"
          className="btn primary"
          disabled={busy || !planned || (useDiffusion && (!diffusion.available || settings.sd15Pack === null))}
          onClick={onRun}
          data-testid="synth-run"
        >
          Generate {planned ?? '…'} pairs
        </button>
      </section>
      {children}
    </aside>
  );
}
