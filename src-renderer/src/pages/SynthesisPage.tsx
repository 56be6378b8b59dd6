/**
 * Synthesis stage (METHOD.md §2b): generate anomaly images on the aligned masks of the
 * chosen clusters, follow the job (ETA, Cancel, Resume), and look through the pairs as they
 * arrive: a virtualised gallery with a mask overlay (M) and a side-by-side view
 * (normal | generated | mask) on click or Enter.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ClusterSummary, ConceptStatus, SampleInfo, StaleSummary, SynthPlan } from '../../../src-main/api/contract';
import { api, errorMessage } from '../api';
import { ConceptsPanel } from '../synthesis/ConceptsPanel';
import { ClusterLooks } from '../synthesis/ClusterLooks';
import { JobStrip } from '../synthesis/JobStrip';
import { PagedList, usePagedListVersion } from '../state/pagedList';
import { DIFFUSION_DEFAULTS, diffusionAvailability, RunPanel, runnableClusters, type RunSettings } from '../synthesis/RunPanel';
import { SampleGrid } from '../synthesis/SampleGrid';
import { SideBySide } from '../synthesis/SideBySide';
import { CategoryPrompt } from '../components/CategoryPrompt';
import { MaskStyleToggle } from '../components/MaskStyleToggle';
import { toggleMaskStyle } from '../state/maskStyle';
import { throttle, typing, useStageCategory } from '../state/stage';
import { useInstalledPacks } from '../synthesis/usePacks';
import { useStageJobs } from '../synthesis/useStageJobs';
import '../synthesis.css';

/** The shell owns navigation and hands screens no way to change stage: press its nav entry. */
function openMasksStage() {
  document.querySelector<HTMLButtonElement>('[data-testid="nav-masks"]')?.click();
}

export function SynthesisPage() {
  const { categoryId } = useStageCategory();
  const [clusters, setClusters] = useState<ClusterSummary[]>([]);
  const [maskCounts, setMaskCounts] = useState<Map<number, number>>(new Map());
  const [settings, setSettings] = useState<RunSettings>({
    selected: new Set(),
    perCluster: 1000,
    blendMode: 'auto',
    seed: 0,
    generator: 'exemplar',
    sd15Pack: null,
    ...DIFFUSION_DEFAULTS,
  });
  const [concepts, setConcepts] = useState<ConceptStatus | null>(null);
  const { packs } = useInstalledPacks();
  const diffusion = useMemo(() => diffusionAvailability(packs, concepts), [packs, concepts]);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [filterCluster, setFilterCluster] = useState<number | null>(null);
  const [showMask, setShowMask] = useState(false);
  const [cursor, setCursor] = useState(0);
  const [viewIndex, setViewIndex] = useState<number | null>(null);
  const [tileSize, setTileSize] = useState(148);

  const list = useMemo(
    () =>
      new PagedList<SampleInfo>((offset, limit) =>
        categoryId === undefined ? Promise.resolve({ total: 0, items: [] }) : api.invoke('samples.list', { categoryId, clusterId: filterCluster, offset, limit }),
      ),
    [categoryId, filterCluster],
  );
  useEffect(() => () => list.dispose(), [list]);
  usePagedListVersion(list);
  const listRef = useRef(list);
  listRef.current = list;

  // The gallery fills as pairs are committed: re-read its count at most once a second.
  const refresher = useMemo(() => throttle(() => listRef.current.refresh(), 1000), []);
  useEffect(() => () => refresher.cancel(), [refresher]);
  const { jobs, results, reload: reloadJobs } = useStageJobs('synth', categoryId, refresher.call);

  const loadClusters = useCallback(async () => {
    if (categoryId === undefined) return;
    try {
      const state = await api.invoke('clusters.get', { categoryId });
      setClusters(state.clusters);
      setConcepts(await api.invoke('concepts.get', { categoryId }));
      setSettings((s) => ({ ...s, selected: s.selected.size ? s.selected : new Set(state.clusters.map((c) => c.id)) }));
      const counts = await Promise.all(state.clusters.map((c) => api.invoke('masks.list', { categoryId, clusterId: c.id, offset: 0, limit: 1 }).then((p) => [c.id, p.total] as const)));
      setMaskCounts(new Map(counts));
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [categoryId]);

  useEffect(() => {
    setClusters([]);
    setConcepts(null);
    setMaskCounts(new Map());
    setSettings((s) => ({ ...s, selected: new Set() }));
    setFilterCluster(null);
    void loadClusters();
  }, [loadClusters]);

  useEffect(() => {
    setCursor(0);
    setViewIndex(null);
  }, [list]);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (viewIndex !== null || typing(e.target) || e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === 'm' || e.key === 'M') {
        e.preventDefault();
        setShowMask((v) => !v);
      } else if (e.key === 'o' || e.key === 'O') {
        e.preventDefault();
        toggleMaskStyle();
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [viewIndex]);

  // Diffusion stays chosen only while it can run; the sd15 pack defaults to the first installed one.
  useEffect(() => {
    setSettings((s) => {
      const generator = s.generator === 'diffusion' && !diffusion.available && packs !== null && concepts !== null ? 'exemplar' : s.generator;
      const sd15Pack = diffusion.sd15Packs.some((p) => p.name === s.sd15Pack) ? s.sd15Pack : (diffusion.sd15Packs[0]?.name ?? null);
      return generator === s.generator && sd15Pack === s.sd15Pack ? s : { ...s, generator, sd15Pack };
    });
  }, [diffusion, packs, concepts]);

  const active = jobs.find((j) => j.status === 'running' || j.status === 'queued');

  // The engine's plan for these settings, read again when a job ends or the masks change.
  const [plan, setPlan] = useState<SynthPlan | null>(null);
  const endedJobs = jobs.filter((j) => j.status !== 'running' && j.status !== 'queued').length;
  useEffect(() => {
    if (categoryId === undefined) return;
    let live = true;
    setPlan(null);
    api
      .invoke('synth.plan', { categoryId, clusterId: null, perCluster: settings.perCluster, generator: settings.generator, seed: settings.seed })
      .then((p) => live && setPlan(p), (err) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [categoryId, settings.perCluster, settings.generator, settings.seed, endedJobs, maskCounts]);
  const [stale, setStale] = useState<StaleSummary | null>(null);
  useEffect(() => {
    if (categoryId === undefined) return;
    let live = true;
    api.invoke('masks.stale', { categoryId }).then((st) => live && setStale(st), (err) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [categoryId, endedJobs, maskCounts]);

  async function run() {
    if (categoryId === undefined) return;
    setStarting(true);
    setError(null);
    try {
      const chosen = runnableClusters(clusters, settings, concepts).filter((c) => (maskCounts.get(c.id) ?? 0) > 0);
      const base =
        settings.generator === 'diffusion' && settings.sd15Pack !== null
          ? { categoryId, perCluster: settings.perCluster, generator: 'diffusion' as const, seed: settings.seed, sd15Pack: settings.sd15Pack, steps: settings.steps, guidance: settings.guidance }
          : { categoryId, perCluster: settings.perCluster, generator: 'exemplar' as const, blendMode: settings.blendMode, seed: settings.seed };
      // Every cluster with masks: one job, so one progress bar and one Resume.
      const withMasks = clusters.filter((c) => (maskCounts.get(c.id) ?? 0) > 0);
      if (chosen.length === withMasks.length) await api.invoke('synth.run', { ...base, clusterId: null });
      else for (const c of chosen) await api.invoke('synth.run', { ...base, clusterId: c.id });
      await reloadJobs();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setStarting(false);
    }
  }

  const openAt = useCallback((i: number) => {
    setCursor(i);
    setViewIndex(i);
  }, []);
  const toggleMask = useCallback(() => setShowMask((v) => !v), []);
  const closeView = useCallback(() => setViewIndex(null), []);
  const stepView = useCallback((i: number) => {
    setViewIndex(i);
    setCursor(i);
  }, []);

  if (categoryId === undefined) {
    return (
      <div className="synth-stage pad" data-testid="synthesis-page">
        <CategoryPrompt title="Anomaly images are generated per category" testId="synth-pick-category">
          Pick the category to generate pairs for.
        </CategoryPrompt>
      </div>
    );
  }

  const last = active ?? jobs[0];
  const resumable = jobs.filter((j) => j !== last && (j.status === 'cancelled' || j.status === 'interrupted'));

  return (
    <div className="synthesis" data-testid="synthesis-page" data-category-id={categoryId}>
      <RunPanel
        clusters={clusters}
        maskCounts={maskCounts}
        plan={plan}
        stale={stale}
        settings={settings}
        diffusion={diffusion}
        concepts={concepts}
        busy={starting || !!active}
        onChange={setSettings}
        onRun={run}
        onMakeMasks={openMasksStage}
      >
        <ConceptsPanel categoryId={categoryId} status={concepts} onImported={setConcepts} />
        <ClusterLooks categoryId={categoryId} stamp={jobs.filter((j) => j.status === 'done').length} />
      </RunPanel>
      <section className="synth-main">
        <div className="toolbar">
          <label className="inline small">
            Cluster
            <select value={filterCluster ?? ''} onChange={(e) => setFilterCluster(e.target.value ? Number(e.target.value) : null)} data-testid="gallery-cluster">
              <option value="">All</option>
              {clusters.map((c) => (
                <option key={c.id} value={c.id}>{c.name}</option>
              ))}
            </select>
          </label>
          <span className="mono" data-testid="gallery-count">{list.total === null ? '…' : list.total}</span>
          <span className="muted">generated pairs</span>
          {list.error && <span className="job-error">{list.error}</span>}
          <span className="spacer" />
          <button type="button" className={showMask ? 'btn small active' : 'btn small'} onClick={toggleMask} data-testid="gallery-mask-toggle" data-on={showMask} title="M">
            Masks <kbd>M</kbd>
          </button>
          <MaskStyleToggle disabled={!showMask} />
          <label className="muted small slider">
            Size
            <input type="range" min={88} max={280} step={4} value={tileSize} onChange={(e) => setTileSize(Number(e.target.value))} />
          </label>
        </div>
        {(last || error) && (
          <div className="synth-jobs">
            {error && <div className="alert" data-testid="synth-error">{error}</div>}
            {last && <JobStrip job={last} result={results.get(last.jobId)} />}
            {resumable.map((j) => (
              <JobStrip key={j.jobId} job={j} result={results.get(j.jobId)} />
            ))}
          </div>
        )}
        <SampleGrid
          list={list}
          tileSize={tileSize}
          cursor={cursor}
          showMask={showMask}
          suspended={viewIndex !== null}
          onCursor={setCursor}
          onOpen={openAt}
          emptyText={maskCounts.size > 0 && [...maskCounts.values()].every((n) => n === 0) ? 'No aligned masks yet: make masks first, then generate.' : 'No generated pairs yet.'}
        />
      </section>
      {viewIndex !== null && <SideBySide list={list} index={viewIndex} showMask={showMask} onIndex={stepView} onToggleMask={toggleMask} onClose={closeView} />}
    </div>
  );
}
