/**
 * Dataset stage: counts per category and defect type with the few-shot split, filters,
 * the virtualised thumbnail grid, the per-item errors, and the viewer.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ImageKind, ImageSplit } from '../../../src-main/api/contract';
import { api } from '../api';
import { AddImages } from '../components/AddImages';
import { CountsPanel } from '../components/CountsPanel';
import { ErrorsPanel } from '../components/ErrorsPanel';
import { ThumbGrid } from '../components/ThumbGrid';
import { Viewer } from '../components/Viewer';
import { ImageList, useImageListVersion, type ImageFilter } from '../state/imageList';
import { useProject } from '../state/project';
import { useStageCategory } from '../state/stage';

const SPLITS: { value: ImageSplit; label: string }[] = [
  { value: 'train', label: 'Train (normal)' },
  { value: 'test', label: 'Test (normal)' },
  { value: 'fewshot', label: 'Few-shot (anomaly)' },
  { value: 'heldout', label: 'Held-out (anomaly)' },
];

export function DatasetPage() {
  const { categoryId } = useStageCategory();
  const { project, setProject } = useProject();
  const [kind, setKind] = useState<ImageKind | ''>('');
  const [defectType, setDefectType] = useState('');
  const [split, setSplit] = useState<ImageSplit | ''>('');
  const [hasError, setHasError] = useState(false);
  const [showErrors, setShowErrors] = useState(false);
  const [viewerIndex, setViewerIndex] = useState<number | null>(null);
  const [cursor, setCursor] = useState(0);
  const [tileSize, setTileSize] = useState(148);

  const filter: ImageFilter = useMemo(
    () => ({
      categoryId,
      kind: kind || undefined,
      defectType: defectType || undefined,
      split: split || undefined,
      hasError: hasError || undefined,
    }),
    [categoryId, kind, defectType, split, hasError],
  );
  // Counts move when an import commits more items; a new list then re-reads the pages.
  const projectStamp = project ? JSON.stringify(project.totals) : '';
  const list = useMemo(() => new ImageList(filter), [filter, projectStamp]);
  useEffect(() => () => list.dispose(), [list]);
  useImageListVersion(list);

  useEffect(() => {
    setCursor(0);
    setViewerIndex(null);
  }, [filter]);

  const categories = useMemo(
    () => (project?.categories ?? []).filter((c) => categoryId === undefined || c.id === categoryId),
    [project, categoryId],
  );
  const defectTypes = useMemo(
    () => [...new Set(categories.flatMap((c) => c.defectTypes.map((t) => t.defectType)))].sort(),
    [categories],
  );
  const errorTotal = project?.totals.errors ?? 0;
  // A type picked under another category may not exist in this one.
  useEffect(() => {
    if (defectType && !defectTypes.includes(defectType)) setDefectType('');
  }, [defectType, defectTypes]);

  function chooseType(t: string) {
    setDefectType(t);
    if (t) setKind('anomaly');
  }

  function clearFilters() {
    setKind('');
    setDefectType('');
    setSplit('');
    setHasError(false);
  }

  // While the viewer is up its list stays as it was, so moving an image out of the filter
  // does not swap the image under the user; the grid catches up when the viewer closes.
  const staleList = useRef(false);
  function closeViewer() {
    setViewerIndex(null);
    if (staleList.current) {
      staleList.current = false;
      list.refresh();
    }
  }

  async function onSplitChanged() {
    staleList.current = true;
    try {
      setProject(await api.invoke('project.info', {}));
    } catch {
      // The pushed project.changed event carries the same update.
    }
  }

  // Stable, so the memoised tiles do not all re-render on every grid update.
  const openAt = useCallback((i: number) => {
    setCursor(i);
    setViewerIndex(i);
  }, []);

  const filtered = !!(kind || defectType || split || hasError);

  return (
    <div className="dataset" data-testid="dataset-page">
      <aside className="side">
        <section className="side-section">
          <h3>Filters</h3>
          <label className="field">
            <span>Kind</span>
            <select
              value={kind}
              onChange={(e) => {
                setKind(e.target.value as ImageKind | '');
                if (e.target.value === 'normal') setDefectType('');
              }}
              data-testid="filter-kind"
            >
              <option value="">All</option>
              <option value="normal">Normal</option>
              <option value="anomaly">Anomaly</option>
            </select>
          </label>
          <label className="field">
            <span>Defect type</span>
            <select value={defectType} onChange={(e) => chooseType(e.target.value)} data-testid="filter-type">
              <option value="">All</option>
              {defectTypes.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Split</span>
            <select value={split} onChange={(e) => setSplit(e.target.value as ImageSplit | '')} data-testid="filter-split">
              <option value="">All</option>
              {SPLITS.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
          <label className="check">
            <input type="checkbox" checked={hasError} onChange={(e) => setHasError(e.target.checked)} data-testid="filter-errors" />
            <span>Only items with errors</span>
          </label>
          {filtered && (
            <button type="button" className="btn small" onClick={clearFilters} data-testid="filter-clear">
              Clear filters
            </button>
          )}
        </section>
        <CountsPanel categories={categories} activeType={defectType} onPickType={chooseType} />
        <AddImages />
      </aside>

      <section className="dataset-main">
        <div className="toolbar">
          <span data-testid="result-count" className="mono">
            {list.total === null ? '…' : list.total.toLocaleString('en-US')}
          </span>
          <span className="muted">{filtered ? 'images match' : 'images'}</span>
          {list.error && <span className="job-error">{list.error}</span>}
          <span className="spacer" />
          <label className="muted small slider">
            Size
            <input type="range" min={88} max={280} step={4} value={tileSize} onChange={(e) => setTileSize(Number(e.target.value))} data-testid="tile-size" />
          </label>
          <button
            type="button"
            className={showErrors ? 'btn small active' : 'btn small'}
            onClick={() => setShowErrors((v) => !v)}
            data-testid="errors-toggle"
          >
            Errors <span className={errorTotal > 0 ? 'pill warn' : 'pill'}>{errorTotal}</span>
          </button>
        </div>
        <div className="dataset-content">
          <ThumbGrid
            list={list}
            tileSize={tileSize}
            cursor={cursor}
            onCursor={setCursor}
            onOpen={openAt}
            suspended={viewerIndex !== null}
            emptyText={
              filtered || (project?.totals.normal ?? 0) + (project?.totals.anomaly ?? 0) > 0
                ? 'No images match these filters.'
                : 'No images in this project yet. Images appear here as an import commits them.'
            }
          />
          {showErrors && <ErrorsPanel onClose={() => setShowErrors(false)} stamp={projectStamp} />}
        </div>
      </section>

      {viewerIndex !== null && (
        <Viewer
          list={list}
          index={viewerIndex}
          onIndex={(i) => {
            setViewerIndex(i);
            setCursor(i);
          }}
          onClose={closeViewer}
          onSplitChanged={onSplitChanged}
        />
      )}
    </div>
  );
}
