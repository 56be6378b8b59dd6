/**
 * Review stage (METHOD.md §5): score every generated pair of a category (ARS, Eq. 7), keep the
 * best per cluster, move a cluster's cut-off on its ARS histogram, and give the last word by
 * hand at keyboard speed: A accept and R reject (then on to the next pair), U clear, Shift+arrows
 * or Ctrl/Shift+click select many for one A / R, Ctrl+Z undoes decisions and cut-off moves
 * alike. The user's word overrides the filter.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, errorMessage } from '../api';
import { BackboneSelect } from '../clusters/BackboneSelect';
import { ArsHistogram } from '../review/ArsHistogram';
import { ReviewFilters } from '../review/Filters';
import { SampleDetail } from '../review/SampleDetail';
import { SampleGallery } from '../review/SampleGallery';
import { ScorerPanel } from '../review/ScorerPanel';
import type { SelectHow } from '../review/SampleTile';
import { MaskStyleToggle } from '../components/MaskStyleToggle';
import { toggleMaskStyle } from '../state/maskStyle';
import { decisionCounts, overriddenCount, useSamples, type Decision } from '../review/useSamples';
import { KeptSharePanel } from '../review/KeptSharePanel';
import { useDecisions } from '../review/useDecisions';
import { useJob, useJobEvents } from '../state/jobs';
import { isSettled } from '../state/jobStore';
import { useProject } from '../state/project';
import { useInstalledPacks } from '../synthesis/usePacks';
import '../review.css';
import { CategoryPrompt } from '../components/CategoryPrompt';
import { typing, useStageCategory } from '../state/stage';

/**
 * Scorer training presets (METHOD.md §5): the paper's batches of 4 whole images, or the demo's
 * quicker schedule of one image and a random quarter of its patches per step (many more, cheaper
 * Adam steps; about 25 min vs 1 min for 40 images on two cores).
 */
const TRAINING = {
  // The default (issue 15): beside the two Gaussian models, which fit in seconds, SimpleNet gets
  // a short schedule, so 64 photographs train in minutes; the self-check keeps whichever ranks best.
  standard: { label: 'Default (4 images, 10% patches a step)', epochs: 20, batchImages: 4, patchFraction: 0.1 },
  paper: { label: 'Paper (4 images a step)', epochs: 160, batchImages: 4, patchFraction: 1 },
  quick: { label: 'Quick (1 image, ¼ patches a step)', epochs: 30, batchImages: 1, patchFraction: 0.25 },
} as const;

export function ReviewPage() {
  const { categoryId } = useStageCategory();
  const { project } = useProject();
  const category = project?.categories.find((c) => c.id === categoryId);
  const samples = useSamples(categoryId);
  const { items, counts, reload, patch } = samples;
  const decisions = useDecisions(patch);
  const [cursor, setCursor] = useState(0);
  // The multi-selection (sample ids) that A / R apply to, and where a Shift range starts.
  const [picked, setPicked] = useState<ReadonlySet<number>>(new Set());
  const [anchor, setAnchor] = useState(0);
  const [cols, setCols] = useState(1);
  const [heat, setHeat] = useState(false);
  const [showMask, setShowMask] = useState(false);
  const [epochs, setEpochs] = useState<number>(TRAINING.standard.epochs);
  const [training, setTraining] = useState<keyof typeof TRAINING>('standard');
  const [keep, setKeep] = useState(500);
  const { packs } = useInstalledPacks();
  // F_β for scoring (METHOD.md §5): null is the built-in hand-crafted descriptor.
  const [scoreBackbone, setScoreBackbone] = useState<string | null>(null);
  // The scoring job this screen started; the store has it even when it ends before the request answers.
  const [scoreJob, setScoreJob] = useState<number | null>(null);
  const scoreRun = useJob(scoreJob);
  const scoring = scoreJob !== null && !isSettled(scoreRun?.status);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [clusterId, setClusterId] = useState<number | null>(null);
  // The cut-off last sent per cluster; the kept set alone only implies "the lowest kept ARS".
  const [cuts, setCuts] = useState<Map<number, number>>(new Map());
  // Bumped when a scoring job ends, so the scorer panel re-reads the new scorer.
  const [scorerVersion, setScorerVersion] = useState(0);

  useEffect(() => {
    setCursor(0);
    setPicked(new Set());
    setCuts(new Map());
    setScoreJob(null);
    setError(null);
    setNote(null);
  }, [categoryId]);

  // Scoring and synthesis change the list; either may have been started from elsewhere.
  useJobEvents((e) => {
    if (e.type !== 'finished') return;
    const f = e.finished;
    if (f.kind === 'score' || f.kind === 'synth') void reload();
    if (f.kind === 'score') {
      setCuts(new Map());
      setScorerVersion((v) => v + 1);
    }
  });
  const scoreFailure = scoreRun?.status === 'failed' ? (scoreRun.error ?? 'Scoring failed') : null;
  useEffect(() => {
    if (scoreFailure !== null) setError(scoreFailure);
  }, [scoreFailure]);

  const clusters = useMemo(() => {
    const m = new Map<number, { id: number; name: string; size: number }>();
    for (const s of items) {
      if (s.clusterId === null) continue;
      const c = m.get(s.clusterId) ?? { id: s.clusterId, name: s.cluster, size: 0 };
      c.size++;
      m.set(s.clusterId, c);
    }
    return [...m.values()].sort((a, b) => a.name.localeCompare(b.name));
  }, [items]);
  const activeCluster = clusters.some((c) => c.id === clusterId) ? clusterId : (clusters[0]?.id ?? null);
  const clusterScores = useMemo(() => {
    const values: number[] = [];
    let lowestKept: number | null = null;
    for (const s of items) {
      if (s.clusterId !== activeCluster || s.ars === null) continue;
      values.push(s.ars);
      if (s.kept && (lowestKept === null || s.ars < lowestKept)) lowestKept = s.ars;
    }
    return { values, lowestKept };
  }, [items, activeCluster]);

  const selected = items[Math.min(cursor, items.length - 1)];
  const pickedItems = useMemo(() => items.filter((s) => picked.has(s.id)), [items, picked]);

  /** The selection when there is one (then cleared), else the pair under the cursor and on to the next. */
  const decide = useCallback(
    (d: Decision) => {
      if (pickedItems.length > 0) {
        void decisions.decide(pickedItems, d);
        setPicked(new Set());
      } else if (selected) {
        void decisions.decide([selected], d);
        if (d !== null) {
          const next = Math.min(items.length - 1, cursor + 1);
          setCursor(next);
          setAnchor(next);
        }
      }
    },
    [pickedItems, selected, decisions, items.length, cursor],
  );

  const select = useCallback(
    (i: number, how: SelectHow) => {
      const id = items[i]?.id;
      if (id === undefined) return;
      setCursor(i);
      if (how === 'one') {
        setPicked(new Set());
        setAnchor(i);
      } else if (how === 'toggle') {
        setPicked((p) => {
          const next = new Set(p);
          if (next.has(id)) next.delete(id);
          else next.add(id);
          return next;
        });
        setAnchor(i);
      } else {
        const [a, b] = [Math.min(anchor, i), Math.max(anchor, i)];
        setPicked(new Set(items.slice(a, b + 1).map((s) => s.id)));
      }
    },
    [items, anchor],
  );

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.altKey || e.metaKey || typing(e.target) || categoryId === undefined) return;
      if (e.ctrlKey) {
        if (e.key.toLowerCase() === 'z' && !e.shiftKey) {
          e.preventDefault();
          void decisions.undo();
        } else if (e.key.toLowerCase() === 'a') {
          e.preventDefault();
          setPicked(new Set(items.map((s) => s.id)));
        }
        return;
      }
      const moves: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: cols, ArrowUp: -cols };
      if (e.key in moves) {
        e.preventDefault();
        const to = Math.max(0, Math.min(items.length - 1, cursor + moves[e.key]));
        if (e.shiftKey) select(to, 'range');
        else {
          setCursor(to);
          setAnchor(to);
        }
        return;
      }
      const key = e.key.toLowerCase();
      if (key === 'a') decide('accepted');
      else if (key === 'r') decide('rejected');
      else if (key === 'u' || e.key === 'Backspace') decide(null);
      else if (key === 'h') setHeat((h) => !h);
      else if (key === 'm') setShowMask((m) => !m);
      else if (key === 'o') toggleMaskStyle();
      else if (e.key === 'Escape' && picked.size > 0) setPicked(new Set());
      else return;
      e.preventDefault();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [categoryId, cols, cursor, items, picked, select, decide, decisions]);

  if (categoryId === undefined || !category) {
    return (
      <div className="pad">
        <CategoryPrompt title="Review" testId="review-pick-category">
          Scoring and review are per category.
        </CategoryPrompt>
      </div>
    );
  }

  async function score() {
    setError(null);
    setNote(null);
    try {
      const extractor = scoreBackbone === null ? ('handcrafted' as const) : { backbonePack: scoreBackbone };
      const { jobId } = await api.invoke('score.run', {
        categoryId: categoryId!,
        epochs,
        keep,
        extractor,
        batchImages: TRAINING[training].batchImages,
        patchFraction: TRAINING[training].patchFraction,
      });
      setScoreJob(jobId);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  /** Keeps the cluster's pairs at or above `minArs`; null: none (a cut above every score). */
  async function applyCut(clusterId: number, minArs: number | null, values: readonly number[]): Promise<number> {
    const cut = minArs ?? Math.max(...values, 0) + 1;
    const { kept } = await api.invoke('samples.filter', { categoryId: categoryId!, clusterId, minArs: cut });
    return kept;
  }

  async function cutAt(minArs: number) {
    if (activeCluster === null) return;
    const clusterId = activeCluster;
    const values = clusterScores.values;
    // What the line stood at before: the last cut sent, else the one the kept set implies.
    const hadCut = cuts.has(clusterId);
    const before = cuts.get(clusterId) ?? clusterScores.lowestKept;
    setError(null);
    setCuts((m) => new Map(m).set(clusterId, minArs));
    try {
      const kept = await applyCut(clusterId, minArs, values);
      setNote(`Kept ${kept} pairs of this cluster at ARS ≥ ${minArs.toFixed(4)}`);
      decisions.record('cut-off', async () => {
        const restored = await applyCut(clusterId, before, values);
        setCuts((m) => {
          const next = new Map(m);
          if (hadCut && before !== null) next.set(clusterId, before);
          else next.delete(clusterId);
          return next;
        });
        setNote(`Cut-off moved back: ${restored} pairs of this cluster kept`);
        await reload();
      });
      await reload();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  const decided = decisionCounts(items);
  const overridden = overriddenCount(items);
  const unscored = counts !== null && counts.total > 0 && counts.scored < counts.total;

  return (
    <div className="ars-review" data-testid="review-page" data-category-id={categoryId}>
      <ReviewFilters />
      <aside className="side">
        <section className="side-section">
          <h3>Score · {category.name}</h3>
          <label className="field">
            <span>Training</span>
            <select
              value={training}
              onChange={(e) => {
                const t = e.target.value as keyof typeof TRAINING;
                setTraining(t);
                setEpochs(TRAINING[t].epochs);
              }}
              data-testid="review-training"
            >
              {Object.entries(TRAINING).map(([k, t]) => (
                <option key={k} value={k}>
                  {t.label}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Epochs (the paper trains 160; fewer is faster, rougher)</span>
            <input type="number" min={1} max={1000} value={epochs} onChange={(e) => setEpochs(Math.max(1, Number(e.target.value) || 1))} data-testid="review-epochs" />
          </label>
          <label className="field">
            <span>Keep per cluster (n_keep, best ARS first)</span>
            <input type="number" min={1} max={100000} value={keep} onChange={(e) => setKeep(Math.max(1, Number(e.target.value) || 1))} data-testid="review-keep" />
          </label>
          <BackboneSelect packs={packs} value={scoreBackbone} onChange={setScoreBackbone} builtIn="built-in (hand-crafted patches)" testId="review-features" className="field" />
          <button type="button" className="btn primary" onClick={score} disabled={scoring || (counts?.total ?? 0) === 0} data-testid="review-score">
            {scoring ? (
              <>
                <span className="spinner" /> Scoring…
              </>
            ) : counts && counts.scored > 0 ? (
              'Score again'
            ) : (
              'Score'
            )}
          </button>
          {counts?.total === 0 && <p className="muted small">No generated pairs yet: run Synthesis first.</p>}
          {unscored && <p className="warn small" data-testid="review-unscored">{counts!.total - counts!.scored} pairs are not scored yet.</p>}
        </section>
        <section className="side-section" data-testid="review-counts">
          <h3>Counts</h3>
          <dl className="counts-grid">
            <dt>pairs</dt>
            <dd data-testid="count-total">{counts?.total ?? 0}</dd>
            <dt>scored</dt>
            <dd data-testid="count-scored">{counts?.scored ?? 0}</dd>
            <dt>kept</dt>
            <dd data-testid="count-kept">{counts?.kept ?? 0}</dd>
            <dt>accepted</dt>
            <dd data-testid="count-accepted">{decided.accepted}</dd>
            <dt>rejected</dt>
            <dd data-testid="count-rejected">{decided.rejected}</dd>
            <dt title="Your word against the filter: accepted though dropped, rejected though kept">overridden</dt>
            <dd data-testid="count-overridden">{overridden}</dd>
          </dl>
        </section>
        <KeptSharePanel items={items} />
        <ScorerPanel categoryId={categoryId} refresh={scorerVersion} />
        <section className="side-section">
          <h3>ARS per cluster</h3>
          <select value={activeCluster ?? ''} onChange={(e) => setClusterId(Number(e.target.value))} disabled={clusters.length === 0} data-testid="histogram-cluster">
            {clusters.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.size})
              </option>
            ))}
          </select>
          <ArsHistogram
            values={clusterScores.values}
            cutoff={(activeCluster !== null ? cuts.get(activeCluster) : undefined) ?? clusterScores.lowestKept}
            disabled={scoring}
            onRelease={cutAt}
          />
          <p className="muted small">Drag the line: every pair of this cluster at or above it is kept. Your accept / reject still wins.</p>
        </section>
        {(error || decisions.error || samples.error) && (
          <div className="alert" role="alert" data-testid="review-error">
            {error ?? decisions.error ?? samples.error}
          </div>
        )}
        {note && <p className="muted small pad" data-testid="review-note">{note}</p>}
      </aside>
      <div className="ars-main">
        <div className="toolbar">
          <span className="muted nowrap">
            {items.length} pairs by ARS, highest first
          </span>
          {picked.size > 0 && (
            <span className="review-bulk" data-testid="review-bulk" data-count={picked.size}>
              <strong>{picked.size} selected</strong>
              <button type="button" className="btn small" onClick={() => decide('accepted')} data-testid="bulk-accept">
                Accept <kbd>A</kbd>
              </button>
              <button type="button" className="btn small" onClick={() => decide('rejected')} data-testid="bulk-reject">
                Reject <kbd>R</kbd>
              </button>
              <button type="button" className="btn small" onClick={() => setPicked(new Set())} data-testid="bulk-clear">
                Unselect <kbd>Esc</kbd>
              </button>
            </span>
          )}
          <span className="spacer" />
          <MaskStyleToggle disabled={!showMask} />
          <button type="button" className={heat ? 'btn small active' : 'btn small'} onClick={() => setHeat((h) => !h)} aria-pressed={heat} data-testid="toggle-heat">
            Heat map <kbd>H</kbd>
          </button>
          <span className="muted small hint">
            ←↑→↓ move · Shift+arrows / Ctrl+click select · <kbd>A</kbd> accept · <kbd>R</kbd> reject (then next) · <kbd>U</kbd> clear · <kbd>Ctrl+Z</kbd> undo{' '}
            <span data-testid="undo-label">{decisions.undoLabel ?? '(nothing yet)'}</span>
          </span>
        </div>
        <div className="ars-content">
          {items.length === 0 ? (
            <div className="empty muted" data-testid="review-empty">
              {samples.loading ? 'Loading…' : 'No generated pairs in this category yet.'}
            </div>
          ) : (
            <SampleGallery items={items} tileSize={150} cursor={cursor} picked={picked} heat={heat} onSelect={select} onColumns={setCols} />
          )}
          <aside className="ars-detail">
            <SampleDetail sample={selected} heat={heat} showMask={showMask} onToggleMask={() => setShowMask((m) => !m)} onDecide={(d) => selected && void decisions.decide([selected], d)} />
          </aside>
        </div>
      </div>
    </div>
  );
}
