/**
 * Masks stage (METHOD.md §3, RAMS): per cluster of one category, its anomaly kind and
 * placement rule, and a live preview of the aligned masks made from it; a count and a seed
 * make masks for one cluster or all. Placements that cannot be satisfied are reported with
 * the engine's reason, not hidden.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AlignedMaskInfo, AnomalyKindChoice, ClusterState, MasksPlan, PlacementRule, StaleSummary } from '../../../src-main/api/contract';
import { api, errorMessage } from '../api';
import { formatEta } from '../state/jobs';
import { MaskPreview } from '../synthesis/MaskPreview';
import { PlacementDensity } from '../synthesis/PlacementDensity';
import { RuleEditor } from '../synthesis/RuleEditor';
import { CategoryPrompt } from '../components/CategoryPrompt';
import { Viewer } from '../components/Viewer';
import { ImageIdList } from '../state/imageList';
import { throttle, useStageCategory } from '../state/stage';
import { useStageJobs } from '../synthesis/useStageJobs';
import '../synthesis.css';

export function MasksPage() {
  const { categoryId } = useStageCategory();
  const [state, setState] = useState<ClusterState | null>(null);
  const [regions, setRegions] = useState<string[]>([]);
  const [count, setCount] = useState(50);
  const [seed, setSeed] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [stamp, setStamp] = useState(0);
  // A normal image of the category, under each cluster's placement density.
  const [backdrop, setBackdrop] = useState<number | null>(null);
  useEffect(() => {
    if (categoryId === undefined) return;
    let live = true;
    void api.invoke('dataset.listImages', { categoryId, kind: 'normal', split: 'train', offset: 0, limit: 1 }).then((p) => live && setBackdrop(p.items[0]?.id ?? null));
    return () => {
      live = false;
    };
  }, [categoryId]);
  // The viewer over one page of a cluster's aligned masks, each on its normal image.
  const [viewing, setViewing] = useState<{ masks: AlignedMaskInfo[]; list: ImageIdList; index: number } | null>(null);
  useEffect(() => () => viewing?.list.dispose(), [viewing?.list]);
  const openMask = useCallback((masks: AlignedMaskInfo[], index: number) => setViewing({ masks, list: new ImageIdList(masks.map((m) => m.normalImageId)), index }), []);

  const refresher = useMemo(() => throttle(() => setStamp((s) => s + 1), 1000), []);
  useEffect(() => () => refresher.cancel(), [refresher]);
  const { jobs, results } = useStageJobs('masks', categoryId, refresher.call);

  // "Make N" fills each cluster up to N: the engine's plan names what each button makes.
  const [plan, setPlan] = useState<MasksPlan | null>(null);
  const doneJobs = jobs.filter((j) => j.status !== 'running' && j.status !== 'queued').length;
  useEffect(() => {
    if (categoryId === undefined) return;
    let live = true;
    api.invoke('masks.plan', { categoryId, clusterId: null, count }).then(
      (p) => live && setPlan(p),
      (err) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [categoryId, count, stamp, doneJobs, state]);

  // Stale work per cluster (masks made before their cluster or region changed, and their pairs).
  const [stale, setStale] = useState<StaleSummary | null>(null);
  useEffect(() => {
    if (categoryId === undefined) return;
    let live = true;
    api.invoke('masks.stale', { categoryId }).then(
      (st) => live && setStale(st),
      (err) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [categoryId, stamp, doneJobs, state]);

  async function redoStale(clusterId: number) {
    if (categoryId === undefined) return;
    setError(null);
    try {
      await api.invoke('masks.redoStale', { categoryId, clusterId });
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  const reload = useCallback(async () => {
    if (categoryId === undefined) return;
    try {
      const [c, r] = await Promise.all([
        api.invoke('clusters.get', { categoryId }),
        // Regions are labelled in their own stage; a category without any has only the implicit one.
        api.invoke('regions.get', { categoryId }).catch(() => null),
      ]);
      setState(c);
      setRegions(r?.regions.map((x) => x.name) ?? []);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [categoryId]);

  useEffect(() => {
    setState(null);
    setError(null);
    void reload();
  }, [reload]);

  async function applyRule(clusterId: number, kind: AnomalyKindChoice, rule: PlacementRule) {
    setBusy(true);
    setError(null);
    try {
      setState(await api.invoke('clusters.setRule', { clusterId, kind, rule }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  async function generate(clusterId: number | null) {
    if (categoryId === undefined) return;
    setError(null);
    try {
      await api.invoke('masks.generate', { categoryId, clusterId, count, seed });
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  if (categoryId === undefined) {
    return (
      <div className="synth-stage pad" data-testid="masks-page">
        <CategoryPrompt title="Aligned masks are made per category" testId="masks-pick-category">
          Pick the category whose clusters to place masks for.
        </CategoryPrompt>
      </div>
    );
  }

  const clusters = state?.clusters ?? [];
  const active = jobs.find((j) => j.status === 'running' || j.status === 'queued');
  const last = jobs[0];
  const lastResult = last ? results.get(last.jobId) : undefined;

  return (
    <div className="synth-stage" data-testid="masks-page" data-category-id={categoryId}>
      <div className="toolbar synth-toolbar">
        <strong>Aligned masks</strong>
        <span className="muted small">region-guided placement (RAMS, METHOD.md §3)</span>
        <span className="spacer" />
        <label className="inline small" title="Each cluster is filled up to this many aligned masks; clusters that have as many make none">
          Masks per cluster
          <input type="number" min={1} max={100000} value={count} onChange={(e) => setCount(Math.max(1, Math.min(100000, Math.round(Number(e.target.value)) || 1)))} className="num" data-testid="masks-count" />
        </label>
        <label className="inline small">
          Seed
          <input type="number" min={0} value={seed} onChange={(e) => setSeed(Math.max(0, Math.round(Number(e.target.value)) || 0))} className="num" data-testid="masks-seed" />
        </label>
        <button
          type="button"
          className="btn primary"
          disabled={clusters.length === 0 || !!active || plan?.toMake === 0}
          onClick={() => generate(null)}
          data-testid="masks-generate-all"
          data-to-make={plan?.toMake ?? ''}
          title={`Fills every cluster up to ${count} aligned masks`}
        >
          Fill all to {count} · make <span data-testid="masks-plan-total">{plan?.toMake ?? '…'}</span>
        </button>
      </div>

      {error && (
        <div className="alert synth-alert" data-testid="masks-error">
          {error}
          <button type="button" className="link" onClick={() => setError(null)} aria-label="Dismiss">×</button>
        </div>
      )}

      {last && (
        <div className={`job-summary job-${last.status}`} data-testid="masks-job" data-job-id={last.jobId} data-status={last.status} data-failed={last.failed}>
          <span>Masks job #{last.jobId}</span>
          <span className="mono">
            <span data-testid="masks-job-done">{last.done}</span>/<span data-testid="masks-job-total">{last.total}</span>
          </span>
          <span className="muted">{last.status}</span>
          {active && active.etaMs !== null && <span className="muted">ETA {formatEta(active.etaMs)}</span>}
          <span className={last.failed > 0 ? 'warn' : 'muted'}>
            <span data-testid="masks-job-failed">{last.failed}</span> placements not satisfied
          </span>
          {last.error && <span className="job-error" title={last.error}>{last.error}</span>}
        </div>
      )}
      {lastResult && (lastResult.unreadableExemplars?.length ?? 0) > 0 && (
        <ul className="warn small" data-testid="masks-unreadable-exemplars">
          {lastResult.unreadableExemplars!.map((u, i) => (
            <li key={i}>
              {u.cluster}: exemplar <span className="mono">{u.file}</span> could not be read ({u.reason}); its placement was learnt without it
            </li>
          ))}
        </ul>
      )}
      {lastResult && lastResult.failures.length > 0 && (
        <details className="failures" data-testid="masks-failures" open={lastResult.failures.length <= 5}>
          <summary>
            {lastResult.failed} placement{lastResult.failed === 1 ? '' : 's'} could not be satisfied (reported, not forced)
          </summary>
          <ul>
            {lastResult.failures.slice(0, 50).map((f, i) => (
              <li key={i} className="small" data-testid="masks-failure">
                <span className="mono">{f.cluster} #{f.index}</span> <span className="muted">{f.normalImage}</span> — {f.reason}
              </li>
            ))}
          </ul>
        </details>
      )}

      <div className="synth-scroll">
        {state && clusters.length === 0 && (
          <div className="empty muted" data-testid="masks-no-clusters">
            This category has no clusters yet: run the clustering on the Clusters screen first.
          </div>
        )}
        {clusters.map((c) => {
          const p = plan?.clusters.find((x) => x.clusterId === c.id);
          const st = stale?.clusters.find((x) => x.clusterId === c.id);
          return (
          <section key={c.id} className="masks-cluster" data-testid="masks-cluster" data-cluster-id={c.id} data-name={c.name}>
            <div className="masks-cluster-head">
              <strong className="card-name">{c.name}</strong>
              <span className="muted small">{c.size} exemplars</span>
              {st && st.staleMasks > 0 && (
                <span className="stale-work small" data-testid="masks-stale" data-stale-masks={st.staleMasks} data-stale-pairs={st.stalePairs}>
                  <span
                    className="pill warn"
                    title={`Made before ${[st.reasons.cluster ? `the cluster's kind, rule or members changed (${st.reasons.cluster})` : '', st.reasons.region ? `their region changed (${st.reasons.region})` : ''].filter(Boolean).join(' or ')}`}
                  >
                    {st.staleMasks} stale mask{st.staleMasks === 1 ? '' : 's'}
                    {st.stalePairs > 0 ? ` · ${st.stalePairs} stale pair${st.stalePairs === 1 ? '' : 's'}` : ''}
                  </span>
                  <button
                    type="button"
                    className="btn small"
                    disabled={!!active}
                    onClick={() => redoStale(c.id)}
                    data-testid="masks-redo-stale"
                    title="Removes the stale masks and their pairs, makes as many masks again with the cluster as it is now, then their pairs"
                  >
                    Redo {st.staleMasks} mask{st.staleMasks === 1 ? '' : 's'}
                    {st.stalePairs > 0 ? ` and ${st.stalePairs} pair${st.stalePairs === 1 ? '' : 's'}` : ''}
                  </button>
                </span>
              )}
              <span className="spacer" />
              <button
                type="button"
                className="btn small"
                disabled={!!active || c.size === 0 || p?.toMake === 0}
                onClick={() => generate(c.id)}
                data-testid="masks-generate-one"
                data-to-make={p?.toMake ?? ''}
                title={p ? `${p.existing} made; fills up to ${count}` : undefined}
              >
                {p && p.toMake === 0 ? `Has ${p.existing} ≥ ${count}` : `Fill to ${count} · make ${p?.toMake ?? '…'}`}
              </button>
            </div>
            <div className="masks-rule-row">
              <RuleEditor kind={c.kind} rule={c.rule} regions={regions} busy={busy} onApply={(k, r) => applyRule(c.id, k, r)} />
              {c.kind !== 'logical' && c.size > 0 && categoryId !== undefined && (
                <PlacementDensity categoryId={categoryId} clusterId={c.id} imageId={backdrop} size={120} />
              )}
            </div>
            <MaskPreview categoryId={categoryId} clusterId={c.id} stamp={stamp} onOpen={openMask} />
          </section>
          );
        })}
      </div>
      {viewing && (
        <Viewer
          list={viewing.list}
          index={viewing.index}
          title={`${viewing.masks[viewing.index]?.cluster ?? ''} · aligned masks`}
          overlayFor={(i) => {
            const m = viewing.masks[i];
            return m ? { ref: { kind: 'alignedMask', id: m.id }, label: `aligned mask #${m.id} · ${m.mode} · ${m.region ?? 'implicit'} · ${(m.insideFraction * 100).toFixed(0)}% inside` } : null;
          }}
          onIndex={(index) => setViewing((v) => v && { ...v, index })}
          onClose={() => setViewing(null)}
          onSplitChanged={() => undefined}
        />
      )}
    </div>
  );
}
