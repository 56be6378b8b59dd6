/**
 * Synthesis settings (METHOD.md §2b): which clusters, n_gen per cluster, generator, blend
 * mode, seed. The engine uses the first n_gen aligned masks of each cluster, so the panel
 * shows how many each cluster has and offers to make more first.
 */
import type { ClusterSummary } from '../../../src-main/api/contract';

export type BlendChoice = 'auto' | 'opaque' | 'mixed';

export interface RunSettings {
  selected: Set<number>;
  perCluster: number;
  blendMode: BlendChoice;
  seed: number;
}

export function RunPanel({ clusters, maskCounts, settings, busy, onChange, onRun, onMakeMasks }: { clusters: ClusterSummary[]; maskCounts: Map<number, number>; settings: RunSettings; busy: boolean; onChange(s: RunSettings): void; onRun(): void; onMakeMasks(): void }) {
  const { selected, perCluster } = settings;
  const planned = clusters.filter((c) => selected.has(c.id)).reduce((n, c) => n + Math.min(perCluster, maskCounts.get(c.id) ?? 0), 0);
  const short = clusters.filter((c) => selected.has(c.id) && (maskCounts.get(c.id) ?? 0) < perCluster);
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
          <select value="exemplar" disabled data-testid="synth-generator" title="The built-in exemplar generator (METHOD.md §2b); diffusion packs are not wired yet">
            <option value="exemplar">exemplar (built-in, no model)</option>
          </select>
        </label>
        <label className="field">
          <span>Blend mode</span>
          <select value={settings.blendMode} onChange={(e) => set({ blendMode: e.target.value as BlendChoice })} data-testid="synth-blend">
            <option value="auto">auto (from the exemplar's contrast)</option>
            <option value="opaque">opaque (keep the defect's pixels)</option>
            <option value="mixed">mixed gradients (thin / translucent)</option>
          </select>
        </label>
        <label className="field">
          <span>Seed</span>
          <input type="number" min={0} value={settings.seed} onChange={(e) => set({ seed: Math.max(0, Math.round(Number(e.target.value)) || 0) })} data-testid="synth-seed" />
        </label>
        <p className="muted small">
          Will generate <span className="mono" data-testid="synth-planned">{planned}</span> pairs.
        </p>
        <button type="button" className="btn primary" disabled={busy || planned === 0} onClick={onRun} data-testid="synth-run">
          Generate
        </button>
      </section>
    </aside>
  );
}
