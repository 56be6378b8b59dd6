/**
 * Regions stage (METHOD.md §3 "Semantic regions", §4): name the parts of a category's normal
 * object, draw them on a few training images, propagate them to the rest and review the result
 * lowest confidence first. The engine stores labels, runs the propagation and keeps the verdicts.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ImageSummary, RegionState } from '../../../src-main/api/contract';
import { api, errorMessage } from '../api';
import { partlyLabelledRegions } from '../regions/coverage';
import { RegionEditor, type EditedImage } from '../regions/Editor';
import { ReviewGrid } from '../regions/ReviewGrid';
import { ImagePicker, RegionList } from '../regions/Sidebar';
import '../regions.css';
import { useJob, useJobEvents, useJobSelector } from '../state/jobs';
import { anyActive, isSettled } from '../state/jobStore';
import { CategoryPrompt } from '../components/CategoryPrompt';
import { useStageCategory } from '../state/stage';

const MAX_LISTED = 2000;

export function RegionsPage() {
  const { categoryId } = useStageCategory();

  const [state, setState] = useState<RegionState | null>(null);
  const [images, setImages] = useState<ImageSummary[] | null>(null);
  const [total, setTotal] = useState(0);
  const [activeId, setActiveId] = useState<number | null>(null);
  const [current, setCurrent] = useState<EditedImage | null>(null);
  const [pending, setPending] = useState<EditedImage | null>(null);
  const [dirty, setDirty] = useState(false);
  const [tab, setTab] = useState<'label' | 'review'>('label');
  // The propagation this screen started; until the store hears of it, it counts as running.
  const [startedJob, setStartedJob] = useState<number | null>(null);
  const started = useJob(startedJob);
  const propagating = useJobSelector((s) => anyActive(s, 'propagate')) || (startedJob !== null && !isSettled(started?.status));
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    if (categoryId === undefined) return;
    try {
      setState(await api.invoke('regions.get', { categoryId }));
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [categoryId]);

  useEffect(() => {
    setState(null);
    setImages(null);
    setCurrent(null);
    setActiveId(null);
    if (categoryId === undefined) return;
    void reload();
    api.invoke('dataset.listImages', { categoryId, kind: 'normal', split: 'train', offset: 0, limit: MAX_LISTED }).then(
      (page) => {
        setImages(page.items);
        setTotal(page.total);
      },
      (err) => setError(errorMessage(err)),
    );
  }, [categoryId, reload]);

  // The first region is active until the user picks another, so a new screen can draw at once.
  useEffect(() => {
    if (state && (activeId === null || !state.regions.some((r) => r.id === activeId))) setActiveId(state.regions[0]?.id ?? null);
  }, [state, activeId]);

  // Propagation commits image by image: the review fills while it runs, read at most every 2 s.
  const reviewTimer = useRef<number | undefined>(undefined);
  useJobEvents((e) => {
    if (e.type === 'progress') {
      if (e.progress.kind !== 'propagate' || reviewTimer.current !== undefined) return;
      reviewTimer.current = window.setTimeout(() => {
        reviewTimer.current = undefined;
        void reload();
      }, 2000);
    } else if (e.finished.kind === 'propagate') {
      if (e.finished.status === 'failed' && e.finished.error) setError(e.finished.error);
      void reload();
    }
  });
  useEffect(
    () => () => {
      window.clearTimeout(reviewTimer.current);
      reviewTimer.current = undefined;
    },
    [reload],
  );

  async function create(name: string): Promise<boolean> {
    if (categoryId === undefined) return false;
    try {
      const next = await api.invoke('regions.create', { categoryId, name });
      setState(next);
      const made = next.regions.find((r) => r.name === name);
      if (made) setActiveId(made.id);
      return true;
    } catch (err) {
      setError(errorMessage(err));
      return false;
    }
  }

  async function propagate() {
    if (categoryId === undefined) return;
    setError(null);
    try {
      const started = await api.invoke('regions.propagate', { categoryId, seed: 0, flagBelow: 0.6 });
      setStartedJob(started.jobId);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  // Verdicts go one after another, in the order given (keys repeat faster than requests answer);
  // the screen shows the state after the last one, or after the first refusal with its message.
  const verdicts = useRef<Promise<void>>(Promise.resolve());
  const reviewMany = useCallback((imageIds: number[], status: 'accepted' | 'rejected' | 'pending') => {
    verdicts.current = verdicts.current.then(async () => {
      let last: RegionState | null = null;
      try {
        for (const imageId of imageIds) last = await api.invoke('regions.review', { imageId, status });
      } catch (err) {
        setError(errorMessage(err));
      } finally {
        if (last) setState(last);
      }
    });
    return verdicts.current;
  }, []);
  const review = useCallback((imageId: number, status: 'accepted' | 'rejected' | 'pending') => reviewMany([imageId], status), [reviewMany]);

  function open(img: EditedImage) {
    if (current && img.id === current.id) return;
    if (dirty) setPending(img);
    else {
      setPending(null);
      setCurrent(img);
    }
  }

  const edit = useCallback(
    async (imageId: number) => {
      try {
        const d = await api.invoke('dataset.image', { imageId });
        setPending(null);
        setDirty(false);
        setCurrent({ id: d.id, width: d.width, height: d.height, relPath: d.relPath });
        setTab('label');
      } catch (err) {
        setError(errorMessage(err));
      }
    },
    [],
  );

  const onSaved = useCallback(() => void reload(), [reload]);
  const partial = useMemo(() => (state ? partlyLabelledRegions(state) : []), [state]);
  // A reload during propagation returns equal regions: the editor re-rasterises only when they change.
  const regionsKey = JSON.stringify(state?.regions ?? []);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const regions = useMemo(() => state?.regions ?? [], [regionsKey]);

  return (
    <div className="regions" data-testid="regions-page" data-category-id={categoryId ?? ''}>
      <div className="toolbar regions-toolbar">
        <div className="segmented">
          <button type="button" className={tab === 'label' ? 'btn small active' : 'btn small'} onClick={() => setTab('label')} data-testid="regions-tab-label">
            Label
          </button>
          <button type="button" className={tab === 'review' ? 'btn small active' : 'btn small'} onClick={() => setTab('review')} data-testid="regions-tab-review">
            Review {state ? `(${state.propagated.length})` : ''}
          </button>
        </div>
        <span className="muted small">
          {state ? `${state.labelled.length} labelled image${state.labelled.length === 1 ? '' : 's'} · propagation learns from them (3–5 are enough)` : ''}
        </span>
        <span className="spacer" />
        <button
          type="button"
          className="btn small primary"
          disabled={categoryId === undefined || propagating || !state?.labelled.length}
          onClick={() => void propagate()}
          title={state?.labelled.length ? 'Label every other normal image of this category' : 'Label at least one image first'}
          data-testid="regions-propagate"
        >
          {propagating ? <span className="spinner" /> : null} Propagate
        </button>
      </div>
      {error && (
        <div className="alert regions-alert" role="alert" data-testid="regions-error">
          {error}
          <button type="button" className="link" onClick={() => setError(null)} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      {partial.length > 0 && (
        <div className="alert warn-alert regions-alert" role="status" data-testid="regions-partial">
          <ul>
            {partial.map((p) => (
              <li key={p.region} data-testid="regions-partial-item" data-region={p.region}>
                “{p.region}” is drawn on {p.labelledOn} of the {p.of} labelled images (not on{' '}
                <span className="mono" title={p.missingOn.join('\n')}>
                  {p.missingOn.map((f) => f.split('/').pop()).join(', ')}
                </span>
                ): propagation learns that it is absent there, which lowers its confidence everywhere. Draw it on every labelled image where it shows.
              </li>
            ))}
          </ul>
        </div>
      )}
      {pending && (
        <div className="alert regions-alert" role="alert" data-testid="regions-unsaved">
          {current?.relPath} has unsaved edits.
          <button type="button" className="btn small" onClick={() => setPending(null)}>
            Keep editing
          </button>
          <button
            type="button"
            className="btn small"
            onClick={() => {
              setCurrent(pending);
              setPending(null);
              setDirty(false);
            }}
            data-testid="regions-discard"
          >
            Discard and open {pending.relPath.split('/').slice(-1)[0]}
          </button>
        </div>
      )}
      {categoryId === undefined ? (
        <div className="empty">
          <CategoryPrompt title="Pick a category" testId="regions-pick-category">
            Regions are drawn per category.
          </CategoryPrompt>
        </div>
      ) : !state ? (
        <div className="empty muted">
          <span className="spinner" /> Loading regions…
        </div>
      ) : tab === 'review' ? (
        <ReviewGrid items={state.propagated} onReview={(id, s) => void review(id, s)} onReviewMany={(ids, s) => void reviewMany(ids, s)} onEdit={(id) => void edit(id)} />
      ) : (
        <div className="regions-body">
          <aside className="side regions-side">
            <RegionList state={state} activeId={activeId} onActive={setActiveId} onCreate={create} />
            <ImagePicker images={images} total={total} state={state} currentId={current?.id ?? null} onPick={(img) => open(img)} />
          </aside>
          {current ? (
            <RegionEditor key={current.id} image={current} regions={regions} activeRegionId={activeId} onSaved={onSaved} onDirty={setDirty} />
          ) : (
            <div className="empty muted" data-testid="regions-pick-image">
              Pick a training image on the left to draw its regions.
            </div>
          )}
        </div>
      )}
    </div>
  );
}
