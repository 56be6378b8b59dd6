/**
 * One cluster: name (inline rename), size, lock, anomaly kind and placement rule (METHOD.md §3),
 * the CH/DB of the split that made it, and its member crops. A card is a drop target for
 * dragged members; a locked one refuses them (the engine says why).
 */
import { memo, useEffect, useState, type DragEvent, type KeyboardEvent, type MouseEvent } from 'react';
import type { AnomalyKindChoice, ClusterSummary, PlacementMode, PlacementRule } from '../../../src-main/api/contract';
import { SMALL_CLUSTER } from '../../../src-main/api/limits';
import { hasDraggedMembers, readDraggedMembers } from './colours';
import { MemberTile } from './MemberStrip';

export const MODES_BY_KIND: Record<AnomalyKindChoice, PlacementMode[]> = {
  structural: ['learned', 'inside', 'edge', 'centreline'],
  logical: ['logical'],
  combined: ['combined'],
};

export interface CardActions {
  select(clusterId: number, additive: boolean): void;
  selectMember(imageId: number, additive: boolean): void;
  /** Opens a member in the viewer, stepping through its cluster. */
  open(imageId: number): void;
  dragIds(imageId: number): number[];
  rename(clusterId: number, name: string): Promise<boolean>;
  setLock(clusterId: number, locked: boolean): void;
  setRule(clusterId: number, kind: AnomalyKindChoice, rule: PlacementRule): void;
  drop(imageIds: number[], toClusterId: number): void;
}

function fmt(v: number | null, digits: number): string {
  return v === null || !Number.isFinite(v) ? '—' : v.toFixed(digits);
}

function NameField({ cluster, onRename, editing, setEditing }: { cluster: ClusterSummary; onRename: CardActions['rename']; editing: boolean; setEditing(v: boolean): void }) {
  const [draft, setDraft] = useState(cluster.name);
  useEffect(() => {
    if (editing) setDraft(cluster.name);
  }, [editing, cluster.name]);
  if (!editing) {
    return (
      <button
        type="button"
        className="link card-name"
        onDoubleClick={(e) => {
          e.stopPropagation();
          setEditing(true);
        }}
        title="Double-click or F2 to rename"
        data-testid="cluster-name"
      >
        {cluster.name}
      </button>
    );
  }
  async function commit() {
    const name = draft.trim();
    if (!name || name === cluster.name) return setEditing(false);
    if (await onRename(cluster.id, name)) setEditing(false);
  }
  function onKey(e: KeyboardEvent<HTMLInputElement>) {
    e.stopPropagation();
    if (e.key === 'Enter') void commit();
    else if (e.key === 'Escape') setEditing(false);
  }
  return (
    <input
      className="card-name-input"
      autoFocus
      value={draft}
      maxLength={120}
      onChange={(e) => setDraft(e.target.value)}
      onKeyDown={onKey}
      onBlur={() => setEditing(false)}
      onClick={(e) => e.stopPropagation()}
      data-testid="cluster-name-input"
    />
  );
}

function RuleFields({ cluster, regions, onRule }: { cluster: ClusterSummary; regions: string[]; onRule: CardActions['setRule'] }) {
  const [region, setRegion] = useState(cluster.rule.region ?? '');
  useEffect(() => setRegion(cluster.rule.region ?? ''), [cluster.rule.region]);
  const modes = MODES_BY_KIND[cluster.kind];
  function chooseKind(kind: AnomalyKindChoice) {
    const allowed = MODES_BY_KIND[kind];
    const mode = allowed.includes(cluster.rule.mode) ? cluster.rule.mode : allowed[0];
    onRule(cluster.id, kind, { ...cluster.rule, mode });
  }
  function commitRegion() {
    const r = region.trim();
    const next = r === '' || r === 'implicit' ? null : r;
    if (next !== cluster.rule.region) onRule(cluster.id, cluster.kind, { ...cluster.rule, region: next });
  }
  const listId = `regions-${cluster.id}`;
  return (
    <div className="card-rule" onClick={(e) => e.stopPropagation()}>
      <select value={cluster.kind} onChange={(e) => chooseKind(e.target.value as AnomalyKindChoice)} title="Anomaly kind" data-testid="cluster-kind">
        <option value="structural">structural</option>
        <option value="logical">logical</option>
        <option value="combined">combined</option>
      </select>
      <select
        value={cluster.rule.mode}
        onChange={(e) => onRule(cluster.id, cluster.kind, { ...cluster.rule, mode: e.target.value as PlacementMode })}
        disabled={modes.length < 2}
        title="Placement mode"
        data-testid="cluster-mode"
      >
        {modes.map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </select>
      <input
        value={region}
        list={listId}
        placeholder="implicit region"
        title="Region the masks are placed in (empty = the category's implicit region)"
        onChange={(e) => setRegion(e.target.value)}
        onBlur={commitRegion}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === 'Enter') commitRegion();
          if (e.key === 'Escape') setRegion(cluster.rule.region ?? '');
        }}
        data-testid="cluster-region"
      />
      <datalist id={listId}>
        <option value="implicit" />
        {regions.map((r) => (
          <option key={r} value={r} />
        ))}
      </datalist>
    </div>
  );
}

export const ClusterCard = memo(function ClusterCard({
  cluster,
  colour,
  selected,
  selectedMembers,
  regions,
  renaming,
  setRenaming,
  actions,
  tileSize,
}: {
  cluster: ClusterSummary;
  colour: string;
  selected: boolean;
  selectedMembers: ReadonlySet<number>;
  regions: string[];
  renaming: boolean;
  setRenaming(clusterId: number | null): void;
  actions: CardActions;
  tileSize: number;
}) {
  const [over, setOver] = useState(false);
  function onDragOver(e: DragEvent<HTMLDivElement>) {
    if (!hasDraggedMembers(e.dataTransfer)) return;
    // The drop is let through on a locked card too, so the user hears why it is refused.
    e.preventDefault();
    // 'none' would swallow the drop event, and with it the message.
    e.dataTransfer.dropEffect = 'move';
    setOver(true);
  }
  function onDrop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setOver(false);
    const ids = readDraggedMembers(e.dataTransfer);
    if (!ids) return;
    const moving = ids.filter((id) => !cluster.members.some((m) => m.imageId === id));
    if (moving.length) actions.drop(moving, cluster.id);
  }
  function onClick(e: MouseEvent<HTMLDivElement>) {
    e.stopPropagation();
    actions.select(cluster.id, e.ctrlKey || e.metaKey || e.shiftKey);
  }
  const cls = ['cluster-card', selected && 'selected', cluster.locked && 'locked', over && (cluster.locked ? 'refuse' : 'over')].filter(Boolean).join(' ');
  return (
    <div
      className={cls}
      style={{ borderLeftColor: colour }}
      onClick={onClick}
      onDragOver={onDragOver}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      data-testid="cluster-card"
      data-cluster-id={cluster.id}
      data-name={cluster.name}
      data-locked={cluster.locked ? 'true' : 'false'}
      data-selected={selected ? 'true' : 'false'}
      aria-selected={selected}
    >
      <div className="card-head" data-testid="card-head">
        <span className="swatch" style={{ background: colour }} />
        <NameField cluster={cluster} onRename={actions.rename} editing={renaming} setEditing={(v) => setRenaming(v ? cluster.id : null)} />
        <span className="pill mono" data-testid="cluster-size" title="Members">
          {cluster.size}
        </span>
        {cluster.size > 0 && cluster.size < SMALL_CLUSTER && (
          <span
            className="pill warn"
            data-testid="cluster-small"
            title={`Only ${cluster.size} member${cluster.size === 1 ? '' : 's'}: every pair of this cluster repeats ${cluster.size === 1 ? 'one exemplar' : 'two exemplars'}. Merge it into a related cluster, or leave it its share by size (the default allocation).`}
          >
            small
          </span>
        )}
        <span className="spacer" />
        <span className="muted small mono" data-testid="cluster-figures" title="Calinski-Harabasz / Davies-Bouldin of the split that made this cluster (of a merged cluster: of the clusters the merge left); recomputed by every split and merge">
          CH {fmt(cluster.ch, 1)} · DB {fmt(cluster.db, 2)}
        </span>
        <button
          type="button"
          className={cluster.locked ? 'btn small active lock' : 'btn small lock'}
          onClick={(e) => {
            e.stopPropagation();
            actions.setLock(cluster.id, !cluster.locked);
          }}
          aria-pressed={cluster.locked}
          title={cluster.locked ? 'Locked: a re-run keeps this cluster as it is. Click to unlock.' : 'Lock: a re-run keeps this cluster as it is'}
          data-testid="cluster-lock"
        >
          {cluster.locked ? 'Locked' : 'Lock'}
        </button>
      </div>
      <RuleFields cluster={cluster} regions={regions} onRule={actions.setRule} />
      <div className="member-strip" data-testid="member-strip">
        {cluster.members.map((m) => (
          <MemberTile
            key={m.imageId}
            member={m}
            size={tileSize}
            selected={selectedMembers.has(m.imageId)}
            onSelect={actions.selectMember}
            onOpen={actions.open}
            dragIds={actions.dragIds}
          />
        ))}
      </div>
      {over && cluster.locked && <div className="card-refuse">Locked: unlock this cluster to add members</div>}
    </div>
  );
});
