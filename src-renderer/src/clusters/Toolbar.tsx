/** Run options, undo/redo, and the actions on the selection (merge, split, move). */
import { useCallback } from 'react';
import type { ClusterSummary, PackInfo } from '../../../src-main/api/contract';
import { BackboneSelect } from './BackboneSelect';
import type { RunOptions } from './useClusters';

export function ClustersToolbar({
  categoryId,
  options,
  onOptions,
  packs,
  running,
  onRun,
  canUndo,
  canRedo,
  onUndo,
  onRedo,
  clusters,
  selectedClusters,
  selectedMembers,
  splitK,
  onSplitK,
  onMerge,
  onSplit,
  onMoveTo,
  onClear,
}: {
  categoryId: number | undefined;
  options: RunOptions;
  onOptions(o: RunOptions): void;
  /** Installed model packs (null until read): a backbone pack adds the Features choice. */
  packs: PackInfo[] | null;
  running: boolean;
  onRun(): void;
  canUndo: boolean;
  canRedo: boolean;
  onUndo(): void;
  onRedo(): void;
  clusters: ClusterSummary[];
  selectedClusters: number[];
  selectedMembers: number[];
  splitK: number | 'auto';
  onSplitK(k: number | 'auto'): void;
  onMerge(): void;
  onSplit(): void;
  onMoveTo(target: number | null): void;
  onClear(): void;
}) {
  const has = categoryId !== undefined;
  const nSel = selectedClusters.length;
  const nMem = selectedMembers.length;
  const setBackbone = useCallback((backbonePack: string | null) => onOptions({ ...options, backbonePack }), [onOptions, options]);
  return (
    <div className="toolbar clusters-toolbar">
      <label className="inline" title="Rounds of re-splitting dense clusters (METHOD.md §1)">
        <span className="muted">Rounds</span>
        <select value={options.rounds} onChange={(e) => onOptions({ ...options, rounds: Number(e.target.value) })} data-testid="clusters-rounds">
          {[1, 2, 3].map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <label className="inline">
        <span className="muted">Seed</span>
        <input
          type="number"
          className="seed"
          min={0}
          value={options.seed}
          onChange={(e) => onOptions({ ...options, seed: Math.max(0, Math.floor(Number(e.target.value) || 0)) })}
          data-testid="clusters-seed"
        />
      </label>
      <label className="inline check" title="Cluster each coarse defect type separately">
        <input type="checkbox" checked={options.perType} onChange={(e) => onOptions({ ...options, perType: e.target.checked })} data-testid="clusters-pertype" />
        <span>Per type</span>
      </label>
      <BackboneSelect packs={packs} value={options.backbonePack} onChange={setBackbone} builtIn="built-in (colour, texture, shape)" testId="clusters-features" />
      <button type="button" className="btn small primary" disabled={!has || running} onClick={onRun} data-testid="clusters-rerun">
        {running ? <span className="spinner" /> : null} Re-run clustering
      </button>
      <span className="sep" />
      <button type="button" className="btn small" disabled={!canUndo} onClick={onUndo} title="Ctrl+Z" data-testid="clusters-undo">
        Undo
      </button>
      <button type="button" className="btn small" disabled={!canRedo} onClick={onRedo} title="Ctrl+Shift+Z / Ctrl+Y" data-testid="clusters-redo">
        Redo
      </button>
      <span className="sep" />
      <button type="button" className="btn small" disabled={nSel < 2} onClick={onMerge} title="Merge the selected clusters (M)" data-testid="clusters-merge">
        Merge{nSel >= 2 ? ` ${nSel}` : ''} <kbd>M</kbd>
      </button>
      <select value={String(splitK)} onChange={(e) => onSplitK(e.target.value === 'auto' ? 'auto' : Number(e.target.value))} title="Split into k" data-testid="clusters-split-k">
        <option value="auto">auto K</option>
        {[2, 3, 4, 5, 6, 7, 8, 9, 10].map((k) => (
          <option key={k} value={k}>
            k = {k}
          </option>
        ))}
      </select>
      <button type="button" className="btn small" disabled={nSel !== 1} onClick={onSplit} title="Split the selected cluster (S)" data-testid="clusters-split">
        Split <kbd>S</kbd>
      </button>
      <select
        value=""
        disabled={nMem === 0}
        onChange={(e) => e.target.value && onMoveTo(e.target.value === 'new' ? null : Number(e.target.value))}
        title="Move the selected members"
        data-testid="clusters-move-to"
      >
        <option value="">Move {nMem || ''} to…</option>
        <option value="new">New cluster</option>
        {clusters.map((c) => (
          <option key={c.id} value={c.id} disabled={c.locked}>
            {c.name}
            {c.locked ? ' (locked)' : ''}
          </option>
        ))}
      </select>
      {/* Always present: a button appearing on selection would re-wrap the toolbar and move the cards under the pointer. */}
      <button
        type="button"
        className="btn small"
        disabled={nSel === 0 && nMem === 0}
        onClick={onClear}
        title={`Clear the selection: ${nSel} clusters, ${nMem} members (Esc)`}
        data-testid="clusters-clear-selection"
      >
        Clear
      </button>
    </div>
  );
}
