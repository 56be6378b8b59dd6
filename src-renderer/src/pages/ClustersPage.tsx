/**
 * Clusters stage (METHOD.md §1 "Review"): the AMFC clustering of one category's few-shot
 * anomalies, and the user's overrides of it: rename, merge, split, move members by drag and
 * drop or menu, lock, the anomaly kind and placement rule, undo/redo. Every override goes to
 * the engine, which records it; a re-run keeps locked clusters and hand-placed members.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import type { AnomalyKindChoice, PlacementRule } from '../../../src-main/api/contract';
import { api } from '../api';
import { ClusterCard, type CardActions } from '../clusters/ClusterCard';
import { clusterColour, hasDraggedMembers, readDraggedMembers } from '../clusters/colours';
import { KCurve, SplitsTable } from '../clusters/KCurve';
import { MemberTile } from '../clusters/MemberStrip';
import { Scatter, type ScatterPoint } from '../clusters/Scatter';
import { ClustersToolbar } from '../clusters/Toolbar';
import { useClusters, type RunOptions } from '../clusters/useClusters';
import { useInstalledPacks } from '../synthesis/usePacks';
import '../clusters.css';
import { CategoryPrompt } from '../components/CategoryPrompt';
import { Viewer } from '../components/Viewer';
import { ImageIdList } from '../state/imageList';
import { typing, useStageCategory } from '../state/stage';

const TILE = 72;

function toggle(set: ReadonlySet<number>, id: number, additive: boolean): Set<number> {
  if (!additive) return set.size === 1 && set.has(id) ? new Set() : new Set([id]);
  const next = new Set(set);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

export function ClustersPage() {
  const { categoryId } = useStageCategory();

  const model = useClusters(categoryId);
  const { state, edit } = model;
  const [options, setOptions] = useState<RunOptions>({ rounds: 3, seed: 0, perType: false, backbonePack: null });
  const { packs } = useInstalledPacks();
  const [selClusters, setSelClusters] = useState<Set<number>>(new Set());
  const [selMembers, setSelMembers] = useState<Set<number>>(new Set());
  const [splitK, setSplitK] = useState<number | 'auto'>('auto');
  const [renaming, setRenaming] = useState<number | null>(null);
  const [regions, setRegions] = useState<string[]>([]);
  const [newOver, setNewOver] = useState(false);
  // The viewer over one cluster's members (or the unassigned ones), opened from a crop.
  const [viewing, setViewing] = useState<{ title: string; list: ImageIdList; index: number } | null>(null);
  useEffect(() => () => viewing?.list.dispose(), [viewing?.list]);

  useEffect(() => {
    setRegions([]);
    if (categoryId === undefined) return;
    api.invoke('regions.get', { categoryId }).then(
      (r) => setRegions(r.regions.map((x) => x.name)),
      () => undefined, // Regions are drawn in a later stage; none yet is normal.
    );
  }, [categoryId]);

  // A selection can outlive its clusters (merge, undo): keep only what still exists.
  useEffect(() => {
    if (!state) return;
    const clusterIds = new Set(state.clusters.map((c) => c.id));
    const memberIds = new Set(state.scatter.map((p) => p.imageId));
    setSelClusters((s) => ([...s].every((id) => clusterIds.has(id)) ? s : new Set([...s].filter((id) => clusterIds.has(id)))));
    setSelMembers((s) => ([...s].every((id) => memberIds.has(id)) ? s : new Set([...s].filter((id) => memberIds.has(id)))));
  }, [state]);

  const colourOf = useMemo(() => {
    const m = new Map<number, string>();
    state?.clusters.forEach((c, i) => c.members.forEach((mem) => m.set(mem.imageId, clusterColour(i))));
    return m;
  }, [state]);

  const points: ScatterPoint[] = useMemo(() => {
    if (!state) return [];
    const where = new Map<number, { member: ScatterPoint['member']; name: string }>();
    for (const c of state.clusters) for (const m of c.members) where.set(m.imageId, { member: m, name: c.name });
    for (const m of state.unassigned) where.set(m.imageId, { member: m, name: 'not in a cluster' });
    return state.scatter.map((p) => ({
      ...p,
      colour: colourOf.get(p.imageId) ?? clusterColour(-1),
      member: where.get(p.imageId)?.member,
      clusterName: where.get(p.imageId)?.name ?? '',
    }));
  }, [state, colourOf]);

  const { fail } = model;
  const moveMembers = useCallback(
    (imageIds: number[], toClusterId: number | null) => {
      // Refused here with the engine's rule, so a stray drop costs no request and no error log.
      const target = state?.clusters.find((c) => c.id === toClusterId);
      if (target?.locked) return fail(`Cluster "${target.name}" is locked; unlock it to add members.`);
      const lockedSource = state?.clusters.find((c) => c.locked && c.members.some((m) => imageIds.includes(m.imageId)));
      if (lockedSource) return fail(`Cluster "${lockedSource.name}" is locked; unlock it to move its members.`);
      void edit('clusters.move', { imageIds, toClusterId }).then((ok) => ok && setSelMembers(new Set()));
    },
    [edit, fail, state],
  );

  // Read at drag start, so the memoised cards need not re-render for each selection change.
  const selMembersRef = useRef(selMembers);
  selMembersRef.current = selMembers;
  const stateRef = useRef(state);
  stateRef.current = state;
  const openMember = useCallback((imageId: number) => {
    const s = stateRef.current;
    if (!s) return;
    const cluster = s.clusters.find((c) => c.members.some((m) => m.imageId === imageId));
    const members = cluster?.members ?? s.unassigned;
    const ids = members.map((m) => m.imageId);
    setViewing({ title: `${cluster?.name ?? 'not in a cluster'} · ${ids.length} members`, list: new ImageIdList(ids), index: ids.indexOf(imageId) });
  }, []);

  const actions: CardActions = useMemo(
    () => ({
      open: openMember,
      select: (id, additive) => setSelClusters((s) => toggle(s, id, additive)),
      selectMember: (id, additive) => setSelMembers((s) => toggle(s, id, additive)),
      dragIds: (id) => (selMembersRef.current.has(id) ? [...selMembersRef.current] : [id]),
      rename: (clusterId, name) => edit('clusters.rename', { clusterId, name }),
      setLock: (clusterId, locked) => void edit('clusters.setLock', { clusterId, locked }),
      setRule: (clusterId: number, kind: AnomalyKindChoice, rule: PlacementRule) => void edit('clusters.setRule', { clusterId, kind, rule }),
      drop: moveMembers,
    }),
    [edit, moveMembers, openMember],
  );
  const merge = useCallback(() => {
    if (selClusters.size < 2) return;
    void edit('clusters.merge', { clusterIds: [...selClusters] }).then((ok) => ok && setSelClusters(new Set()));
  }, [edit, selClusters]);
  const split = useCallback(() => {
    if (selClusters.size !== 1) return;
    const [clusterId] = [...selClusters];
    void edit('clusters.split', splitK === 'auto' ? { clusterId } : { clusterId, k: splitK }).then((ok) => ok && setSelClusters(new Set()));
  }, [edit, selClusters, splitK]);

  const { undo, redo } = model;
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      // The viewer has its own keys (M is its mask, not Merge).
      if (viewing || typing(e.target) || e.altKey) return;
      const ctrl = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (ctrl && key === 'z') {
        e.preventDefault();
        if (e.shiftKey) redo();
        else undo();
      } else if (ctrl && key === 'y') {
        e.preventDefault();
        redo();
      } else if (ctrl) {
        return;
      } else if (key === 'm') merge();
      else if (key === 's') split();
      else if (e.key === 'F2' && selClusters.size === 1) setRenaming([...selClusters][0]);
      else if (e.key === 'Escape') {
        setSelClusters(new Set());
        setSelMembers(new Set());
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo, redo, merge, split, selClusters, viewing]);

  function onNewDrop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setNewOver(false);
    const ids = readDraggedMembers(e.dataTransfer);
    if (ids) moveMembers(ids, null);
  }

  const running = model.runningJob !== null;
  const clusters = state?.clusters ?? [];
  const noRun = !!state && !state.run && clusters.length === 0;

  return (
    <div className="clusters" data-testid="clusters-page" data-category-id={categoryId ?? ''}>
      <ClustersToolbar
        categoryId={categoryId}
        options={options}
        onOptions={setOptions}
        packs={packs}
        running={running}
        onRun={() => void model.run(options)}
        canUndo={!!state?.canUndo && !model.busy}
        canRedo={!!state?.canRedo && !model.busy}
        onUndo={undo}
        onRedo={redo}
        clusters={clusters}
        selectedClusters={[...selClusters]}
        selectedMembers={[...selMembers]}
        splitK={splitK}
        onSplitK={setSplitK}
        onMerge={merge}
        onSplit={split}
        onMoveTo={(to) => moveMembers([...selMembers], to)}
        onClear={() => {
          setSelClusters(new Set());
          setSelMembers(new Set());
        }}
      />
      {model.error && (
        <div className="alert clusters-alert" role="alert" data-testid="clusters-error">
          {model.error}
          <button type="button" className="link" onClick={model.clearError} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      {state && (state.orphaned.alignedMasks > 0 || state.orphaned.samples > 0) && (
        <div className="alert clusters-alert" role="alert" data-testid="clusters-orphaned">
          {state.orphaned.alignedMasks} aligned mask(s) and {state.orphaned.samples} generated pair(s) belong to no cluster: the cluster
          they were made from is gone and no cluster holds their source anomaly. Undo the edit that removed it, or remake the masks.
        </div>
      )}
      {categoryId === undefined ? (
        <div className="empty">
          <CategoryPrompt title="Pick a category" testId="clusters-pick-category">
            Clustering groups the few-shot anomalies of one category.
          </CategoryPrompt>
        </div>
      ) : !state ? (
        <div className="empty muted">
          <span className="spinner" /> Loading clusters…
        </div>
      ) : (
        <div className="clusters-body">
          <section className="cluster-list" data-testid="cluster-list" onClick={() => setSelClusters(new Set())}>
            {noRun && (
              <div className="empty clusters-empty" data-testid="clusters-empty">
                <h2>No clustering yet</h2>
                <p className="muted">
                  AMFC groups the {state.unassigned.length} few-shot anomalies of this category by colour, texture, shape and deep features, choosing K
                  by the Calinski-Harabasz and Davies-Bouldin indices and re-splitting dense clusters. Review the result here: rename, merge, split, move
                  members and lock what is right; a re-run keeps locked clusters and the members you placed.
                </p>
                <button type="button" className="btn primary" disabled={running} onClick={() => void model.run(options)} data-testid="clusters-run">
                  {running ? <span className="spinner" /> : null} Run clustering
                </button>
              </div>
            )}
            {clusters.map((c, i) => (
              <ClusterCard
                key={c.id}
                cluster={c}
                colour={clusterColour(i)}
                selected={selClusters.has(c.id)}
                selectedMembers={selMembers}
                regions={regions}
                renaming={renaming === c.id}
                setRenaming={setRenaming}
                actions={actions}
                tileSize={TILE}
              />
            ))}
            {clusters.length > 0 && (
              <div
                className={newOver ? 'new-cluster-zone over' : 'new-cluster-zone'}
                onDragOver={(e) => {
                  if (!hasDraggedMembers(e.dataTransfer)) return;
                  e.preventDefault();
                  setNewOver(true);
                }}
                onDragLeave={() => setNewOver(false)}
                onDrop={onNewDrop}
                data-testid="new-cluster-zone"
              >
                Drop members here to start a new cluster
              </div>
            )}
            {state.unassigned.length > 0 && (
              <div className="unassigned" data-testid="unassigned">
                <h3>Not in any cluster ({state.unassigned.length})</h3>
                <p className="muted small">Few-shot anomalies added since the last run. Drag them onto a cluster or re-run the clustering.</p>
                <div className="member-strip">
                  {state.unassigned.map((m) => (
                    <MemberTile
                      key={m.imageId}
                      member={m}
                      size={TILE}
                      selected={selMembers.has(m.imageId)}
                      onSelect={actions.selectMember}
                      onOpen={actions.open}
                      dragIds={actions.dragIds}
                    />
                  ))}
                </div>
              </div>
            )}
          </section>
          <aside className="clusters-side">
            <section>
              <h3>Features (PCA)</h3>
              {points.length ? (
                <Scatter
                  points={points}
                  selected={selMembers}
                  onSelect={actions.selectMember}
                  onLasso={(ids, additive) => setSelMembers((s) => (additive ? new Set([...s, ...ids]) : new Set(ids)))}
                />
              ) : (
                <p className="muted small">The scatter appears once features are computed (after the first run).</p>
              )}
              <p className="muted small">Drag on the background to lasso; selected members move with “Move to…” or by dragging a crop.</p>
            </section>
            {state.run && (
              <>
                <section>
                  <h3>
                    K selection <span className="muted">(lower is better)</span>
                  </h3>
                  <KCurve run={state.run} partition={state.partition} />
                  <p className="muted small mono" data-testid="run-info">
                    run #{state.run.id} · {clusters.length} clusters · {state.run.rounds} round{state.run.rounds === 1 ? '' : 's'} ·{' '}
                    {new Date(state.run.createdAt).toLocaleString()}
                  </p>
                </section>
                <section>
                  <h3>Splits</h3>
                  <SplitsTable run={state.run} />
                </section>
              </>
            )}
          </aside>
        </div>
      )}
      {viewing && (
        <Viewer
          list={viewing.list}
          index={viewing.index}
          title={viewing.title}
          onIndex={(index) => setViewing((v) => v && { ...v, index })}
          onClose={() => setViewing(null)}
          // Moving a member out of the few-shot set takes it out of clustering: the state is re-read.
          onSplitChanged={() => void model.reload()}
        />
      )}
    </div>
  );
}
