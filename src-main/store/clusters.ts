import type {
  AnomalyKindChoice,
  ClusterMember,
  ClusterRunInfo,
  ClusterState,
  ClusterSummary,
  PlacementRule,
} from '../api/types';
import type { Db } from './db';
import { nowIso, stmt } from './statements';

interface ClusterRow {
  id: number;
  category_id: number;
  run_id: number | null;
  node_id: string | null;
  name: string;
  locked: number;
  kind: AnomalyKindChoice;
  rule: string;
  ch: number | null;
  db: number | null;
  created_at: string;
}

interface MemberRow {
  image_id: number;
  cluster_id: number;
  manual: number;
}

/**
 * An aligned mask that left a cluster because the cluster was removed (merge, an emptying move,
 * a re-run, or undo/redo removing a cluster): undo puts it back on `from`.
 */
export interface ArtefactMove {
  alignedMaskId: number;
  from: number;
}

/** The whole editable clustering state of a category: what undo saves and restores exactly. */
export interface ClusterSnapshot {
  clusters: ClusterRow[];
  members: MemberRow[];
  /** Aligned masks the change made after this state moved off clusters it removed. */
  moved?: ArtefactMove[];
}

/** New clusters place their defects where their exemplars are (METHOD.md §3, `learned`). */
export const DEFAULT_RULE: PlacementRule = { mode: 'learned', region: null };

export function snapshot(db: Db, categoryId: number): ClusterSnapshot {
  const clusters = stmt(db, 'SELECT * FROM clusters WHERE category_id = ? ORDER BY id').all(categoryId) as ClusterRow[];
  const members = stmt(
    db,
    `SELECT m.image_id, m.cluster_id, m.manual FROM cluster_members m JOIN clusters c ON c.id = m.cluster_id
     WHERE c.category_id = ? ORDER BY m.image_id`,
  ).all(categoryId) as MemberRow[];
  return { clusters, members };
}

/**
 * Brings the category's clusters and memberships back to a snapshot, ids included. Clusters are
 * updated in place (never deleted and re-inserted), so the aligned masks and pairs made from
 * them stay attached; masks a later change moved off a removed cluster go back to it; clusters
 * the snapshot lacks are removed by removeClusters, recorded in `historyEntryId`.
 */
export function restore(db: Db, categoryId: number, snap: ClusterSnapshot, historyEntryId: number): void {
  const current = (stmt(db, 'SELECT id FROM clusters WHERE category_id = ?').all(categoryId) as { id: number }[]).map((r) => r.id);
  const foreign = stmt(db, 'SELECT category_id FROM clusters WHERE id = ?');
  for (const c of snap.clusters) {
    const owner = foreign.get(c.id) as { category_id: number } | undefined;
    if (owner && owner.category_id !== categoryId)
      throw new Error(`cluster id ${c.id} of the undo history belongs to another category; the history is damaged`);
  }
  stmt(db, 'DELETE FROM cluster_members WHERE cluster_id IN (SELECT id FROM clusters WHERE category_id = ?)').run(categoryId);
  const upsert = stmt(
    db,
    `INSERT INTO clusters (id, category_id, run_id, node_id, name, locked, kind, rule, ch, db, created_at)
     VALUES (@id, @category_id, @run_id, @node_id, @name, @locked, @kind, @rule, @ch, @db, @created_at)
     ON CONFLICT(id) DO UPDATE SET run_id = excluded.run_id, node_id = excluded.node_id, name = excluded.name,
       locked = excluded.locked, kind = excluded.kind, rule = excluded.rule, ch = excluded.ch, db = excluded.db,
       created_at = excluded.created_at`,
  );
  for (const c of snap.clusters) upsert.run(c);
  reserveClusterIds(db, Math.max(0, ...snap.clusters.map((c) => c.id)));
  const insM = stmt(db, 'INSERT INTO cluster_members (image_id, cluster_id, manual) VALUES (?, ?, ?)');
  for (const m of snap.members) insM.run(m.image_id, m.cluster_id, m.manual);
  const putBack = stmt(
    db,
    `UPDATE aligned_masks SET cluster_id = @from, cluster_name = (SELECT name FROM clusters WHERE id = @from)
     WHERE id = @alignedMaskId AND category_id = @categoryId AND EXISTS (SELECT 1 FROM clusters WHERE id = @from AND category_id = @categoryId)`,
  );
  for (const m of snap.moved ?? []) putBack.run({ ...m, categoryId });
  const wanted = new Set(snap.clusters.map((c) => c.id));
  removeClusters(db, categoryId, current.filter((id) => !wanted.has(id)), historyEntryId);
  syncSampleClusters(db, categoryId);
}

/**
 * Removes clusters of a category (after their members have found their new clusters). What was
 * made from a removed cluster is never cut off silently: each aligned mask follows the cluster
 * that now holds its few-shot source image (a merge's survivor, the cluster an undone split
 * returns to, the new cluster of a re-run); a mask with no source (a logical mask is the region
 * itself) follows the cluster that now holds most of the removed cluster's members; pairs follow
 * their mask. With neither, the mask is left orphaned, which clusterState reports. The moves are
 * recorded in `historyEntry`, the undo entry holding the state before this change, so undo puts
 * every mask back where it was.
 */
export function removeClusters(db: Db, categoryId: number, ids: readonly number[], historyEntry: number): void {
  if (ids.length === 0) return;
  const removed = new Set(ids);
  const entry = stmt(db, 'SELECT snapshot FROM cluster_history WHERE id = ?').get(historyEntry) as { snapshot: string } | undefined;
  if (!entry) throw new Error(`undo entry ${historyEntry} is missing`);
  const before = JSON.parse(entry.snapshot) as ClusterSnapshot;
  const clusterOf = (imageId: number | null): number | null => {
    if (imageId === null) return null;
    const m = memberCluster(db, imageId);
    return m && !removed.has(m.id) ? m.id : null;
  };
  const heirOf = (clusterId: number): number | null => {
    const votes = new Map<number, number>();
    for (const m of before.members) {
      if (m.cluster_id !== clusterId) continue;
      const now = clusterOf(m.image_id);
      if (now !== null) votes.set(now, (votes.get(now) ?? 0) + 1);
    }
    return [...votes.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0])[0]?.[0] ?? null;
  };
  const masks = stmt(
    db,
    `SELECT id, cluster_id AS clusterId, source_image_id AS sourceImageId FROM aligned_masks
     WHERE category_id = ? AND cluster_id IN (SELECT value FROM json_each(?)) ORDER BY id`,
  ).all(categoryId, JSON.stringify(ids)) as { id: number; clusterId: number; sourceImageId: number | null }[];
  const heirs = new Map(ids.map((id) => [id, heirOf(id)]));
  const follow = stmt(
    db,
    'UPDATE aligned_masks SET cluster_id = @to, cluster_name = COALESCE((SELECT name FROM clusters WHERE id = @to), cluster_name) WHERE id = @id',
  );
  for (const m of masks) follow.run({ id: m.id, to: clusterOf(m.sourceImageId) ?? heirs.get(m.clusterId) ?? null });
  const del = stmt(db, 'DELETE FROM clusters WHERE id = ? AND category_id = ?');
  for (const id of ids) del.run(id, categoryId);
  syncSampleClusters(db, categoryId);
  if (masks.length > 0) {
    before.moved = [...(before.moved ?? []), ...masks.map((m) => ({ alignedMaskId: m.id, from: m.clusterId }))];
    stmt(db, 'UPDATE cluster_history SET snapshot = ? WHERE id = ?').run(JSON.stringify(before), historyEntry);
  }
}

/** A generated pair belongs to the cluster of the aligned mask it was made on. */
function syncSampleClusters(db: Db, categoryId: number): void {
  stmt(
    db,
    `UPDATE samples SET cluster_id = a.cluster_id, cluster_name = a.cluster_name
     FROM aligned_masks a
     WHERE a.id = samples.aligned_mask_id AND samples.category_id = ?
       AND (samples.cluster_id IS NOT a.cluster_id OR samples.cluster_name IS NOT a.cluster_name)`,
  ).run(categoryId);
}

/** Clusters removed from one category and still named in its undo history keep their ids: never reuse them. */
function reserveClusterIds(db: Db, upTo: number): void {
  stmt(db, 'UPDATE cluster_id_seq SET next = MAX(next, ? + 1)').run(upTo);
}

/** Aligned masks and pairs of a category that belong to no cluster (their cluster went and no other holds their source). */
export function orphanedArtefacts(db: Db, categoryId: number): { alignedMasks: number; samples: number } {
  const a = stmt(db, 'SELECT COUNT(*) AS n FROM aligned_masks WHERE category_id = ? AND cluster_id IS NULL').get(categoryId) as { n: number };
  const s = stmt(db, 'SELECT COUNT(*) AS n FROM samples WHERE category_id = ? AND cluster_id IS NULL').get(categoryId) as { n: number };
  return { alignedMasks: a.n, samples: s.n };
}

const MAX_HISTORY = 200;

/**
 * Records the state before an action; a new action clears the redo stack. Returns the entry's
 * id, where removeClusters records the masks the action moves.
 */
export function pushHistory(db: Db, categoryId: number, action: string): number {
  stmt(db, "DELETE FROM cluster_history WHERE category_id = ? AND stack = 'redo'").run(categoryId);
  const id = Number(
    stmt(db, "INSERT INTO cluster_history (category_id, action, stack, snapshot, created_at) VALUES (?, ?, 'undo', ?, ?)").run(
      categoryId,
      action,
      JSON.stringify(snapshot(db, categoryId)),
      nowIso(),
    ).lastInsertRowid,
  );
  stmt(
    db,
    `DELETE FROM cluster_history WHERE category_id = ? AND stack = 'undo' AND id NOT IN
       (SELECT id FROM cluster_history WHERE category_id = ? AND stack = 'undo' ORDER BY id DESC LIMIT ?)`,
  ).run(categoryId, categoryId, MAX_HISTORY);
  return id;
}

/** Undo (from='undo') or redo (from='redo'): restores the newest entry, saving the current state on the other stack. */
export function travel(db: Db, categoryId: number, from: 'undo' | 'redo'): boolean {
  const row = stmt(db, 'SELECT id, action, snapshot FROM cluster_history WHERE category_id = ? AND stack = ? ORDER BY id DESC LIMIT 1').get(
    categoryId,
    from,
  ) as { id: number; action: string; snapshot: string } | undefined;
  if (!row) return false;
  const other = from === 'undo' ? 'redo' : 'undo';
  const saved = Number(
    stmt(db, 'INSERT INTO cluster_history (category_id, action, stack, snapshot, created_at) VALUES (?, ?, ?, ?, ?)').run(
      categoryId,
      row.action,
      other,
      JSON.stringify(snapshot(db, categoryId)),
      nowIso(),
    ).lastInsertRowid,
  );
  stmt(db, 'DELETE FROM cluster_history WHERE id = ?').run(row.id);
  restore(db, categoryId, JSON.parse(row.snapshot) as ClusterSnapshot, saved);
  return true;
}

export function historyDepth(db: Db, categoryId: number): { undo: number; redo: number } {
  const rows = stmt(db, 'SELECT stack, COUNT(*) AS n FROM cluster_history WHERE category_id = ? GROUP BY stack').all(categoryId) as {
    stack: 'undo' | 'redo';
    n: number;
  }[];
  return { undo: rows.find((r) => r.stack === 'undo')?.n ?? 0, redo: rows.find((r) => r.stack === 'redo')?.n ?? 0 };
}

export function createCluster(
  db: Db,
  c: { categoryId: number; runId: number | null; nodeId: string | null; name: string; ch: number | null; db: number | null; kind?: AnomalyKindChoice; rule?: PlacementRule },
): number {
  // Ids come from a sequence that never goes back, so an id named in any undo history is never reused.
  const { next } = stmt(db, 'UPDATE cluster_id_seq SET next = next + 1 RETURNING next - 1 AS next').get() as { next: number };
  stmt(
    db,
    'INSERT INTO clusters (id, category_id, run_id, node_id, name, kind, rule, ch, db, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(next, c.categoryId, c.runId, c.nodeId, c.name, c.kind ?? 'structural', JSON.stringify(c.rule ?? DEFAULT_RULE), c.ch, c.db, nowIso());
  return next;
}

export function getClusterRow(db: Db, id: number): ClusterRow | undefined {
  return stmt(db, 'SELECT * FROM clusters WHERE id = ?').get(id) as ClusterRow | undefined;
}

export function updateCluster(
  db: Db,
  id: number,
  patch: Partial<{ name: string; locked: boolean; kind: AnomalyKindChoice; rule: PlacementRule; ch: number | null; db: number | null }>,
): void {
  const cur = getClusterRow(db, id);
  if (!cur) return;
  stmt(db, 'UPDATE clusters SET name = ?, locked = ?, kind = ?, rule = ?, ch = ?, db = ? WHERE id = ?').run(
    patch.name ?? cur.name,
    patch.locked === undefined ? cur.locked : patch.locked ? 1 : 0,
    patch.kind ?? cur.kind,
    patch.rule ? JSON.stringify(patch.rule) : cur.rule,
    patch.ch === undefined ? cur.ch : patch.ch,
    patch.db === undefined ? cur.db : patch.db,
    id,
  );
}

/** Moves every member of one cluster to another (a merge). */
export function moveAllMembers(db: Db, fromClusterId: number, toClusterId: number): void {
  stmt(db, 'UPDATE cluster_members SET cluster_id = ? WHERE cluster_id = ?').run(toClusterId, fromClusterId);
}

/** The clusters of a category left without members. */
export function emptyClusters(db: Db, categoryId: number): number[] {
  return (
    stmt(
      db,
      'SELECT id FROM clusters WHERE category_id = ? AND NOT EXISTS (SELECT 1 FROM cluster_members m WHERE m.cluster_id = clusters.id) ORDER BY id',
    ).all(categoryId) as { id: number }[]
  ).map((r) => r.id);
}

export function clusterNames(db: Db, categoryId: number): string[] {
  return (stmt(db, 'SELECT name FROM clusters WHERE category_id = ?').all(categoryId) as { name: string }[]).map((r) => r.name);
}

/** The cluster an image is a member of, with its name and lock. */
export function memberCluster(db: Db, imageId: number): { id: number; name: string; locked: number } | undefined {
  return stmt(db, 'SELECT c.id, c.name, c.locked FROM cluster_members m JOIN clusters c ON c.id = m.cluster_id WHERE m.image_id = ?').get(imageId) as
    | { id: number; name: string; locked: number }
    | undefined;
}

/** Members not placed by hand lose their cluster (before a re-run places them afresh). */
export function clearAutomaticMember(db: Db, imageId: number): void {
  stmt(db, 'DELETE FROM cluster_members WHERE image_id = ? AND manual = 0').run(imageId);
}

export function setMember(db: Db, imageId: number, clusterId: number, manual: boolean): void {
  stmt(
    db,
    `INSERT INTO cluster_members (image_id, cluster_id, manual) VALUES (?, ?, ?)
     ON CONFLICT(image_id) DO UPDATE SET cluster_id = excluded.cluster_id, manual = excluded.manual`,
  ).run(imageId, clusterId, manual ? 1 : 0);
}

export function clusterOfImage(db: Db, imageId: number): MemberRow | undefined {
  return stmt(db, 'SELECT image_id, cluster_id, manual FROM cluster_members WHERE image_id = ?').get(imageId) as MemberRow | undefined;
}

/** The few-shot anomalies of a category with their union mask: what AMFC clusters. */
export function fewShotAnomalies(db: Db, categoryId: number): Omit<ClusterMember, 'manual'>[] {
  return stmt(
    db,
    `SELECT i.id AS imageId, m.id AS maskId, i.rel_path AS relPath, i.defect_type AS defectType
     FROM images i JOIN masks m ON m.image_id = i.id AND m.role = 'union'
     WHERE i.category_id = ? AND i.kind = 'anomaly' AND i.split = 'fewshot' AND i.has_error = 0
     ORDER BY i.rel_path`,
  ).all(categoryId) as Omit<ClusterMember, 'manual'>[];
}

export function insertRun(
  db: Db,
  r: { categoryId: number; params: unknown; featuresVersion: string; k: number; rounds: number; tree: unknown; scatter: unknown },
): number {
  return Number(
    stmt(
      db,
      'INSERT INTO cluster_runs (category_id, params, features_version, k, rounds, tree, scatter, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(r.categoryId, JSON.stringify(r.params), r.featuresVersion, r.k, r.rounds, JSON.stringify(r.tree), JSON.stringify(r.scatter), nowIso())
      .lastInsertRowid,
  );
}

/** A run's tree as stored: each node's members are image ids. */
export interface StoredNode {
  id: string;
  round: number;
  members: number[];
  k: number;
  ch: number | null;
  db: number | null;
  dense: boolean;
  curve: { k: number; ch: number; db: number; score: number }[];
  children: StoredNode[];
}

/** The stored clusters of a category; the engine adds the partition figures (ClusterEdits.state). */
export function clusterState(db: Db, categoryId: number): Omit<ClusterState, 'partition'> {
  // The run the current clusters came from (after an undo, not necessarily the newest run).
  const runRow = stmt(
    db,
    `SELECT * FROM cluster_runs WHERE id = COALESCE(
       (SELECT MAX(run_id) FROM clusters WHERE category_id = @categoryId AND run_id IS NOT NULL),
       (SELECT MAX(id) FROM cluster_runs WHERE category_id = @categoryId))`,
  ).get({ categoryId }) as
    | { id: number; params: string; features_version: string; k: number; rounds: number; tree: string; scatter: string; created_at: string }
    | undefined;
  let run: ClusterRunInfo | null = null;
  let scatter: ClusterState['scatter'] = [];
  if (runRow) {
    const trees = JSON.parse(runRow.tree) as StoredNode[];
    const splits: ClusterRunInfo['splits'] = [];
    const walk = (n: StoredNode) => {
      if (n.children.length) splits.push({ nodeId: n.id, round: n.round, size: n.members.length, k: n.k, ch: n.ch, db: n.db, dense: n.dense });
      n.children.forEach(walk);
    };
    trees.forEach(walk);
    run = {
      id: runRow.id,
      k: runRow.k,
      rounds: runRow.rounds,
      params: JSON.parse(runRow.params) as Record<string, unknown>,
      featuresVersion: runRow.features_version,
      createdAt: runRow.created_at,
      curve: trees[0]?.curve ?? [],
      splits,
    };
    scatter = JSON.parse(runRow.scatter) as ClusterState['scatter'];
  }
  const anomalies = fewShotAnomalies(db, categoryId);
  const byImage = new Map(anomalies.map((a) => [a.imageId, a]));
  const snap = snapshot(db, categoryId);
  const assigned = new Set<number>();
  const clusters: ClusterSummary[] = snap.clusters.map((c) => {
    const members: ClusterMember[] = [];
    for (const m of snap.members) {
      if (m.cluster_id !== c.id) continue;
      const a = byImage.get(m.image_id);
      if (!a) continue; // moved out of the few-shot set since: not clustered
      members.push({ ...a, manual: m.manual === 1 });
      assigned.add(m.image_id);
    }
    return {
      id: c.id,
      name: c.name,
      size: members.length,
      locked: c.locked === 1,
      kind: c.kind,
      rule: JSON.parse(c.rule) as PlacementRule,
      ch: c.ch,
      db: c.db,
      nodeId: c.node_id,
      members,
    };
  });
  const depth = historyDepth(db, categoryId);
  return {
    categoryId,
    run,
    clusters,
    unassigned: anomalies.filter((a) => !assigned.has(a.imageId)).map((a) => ({ ...a, manual: false })),
    scatter,
    orphaned: orphanedArtefacts(db, categoryId),
    canUndo: depth.undo > 0,
    canRedo: depth.redo > 0,
  };
}

export function getFeatures(db: Db, maskId: number, version: string): { colour: Buffer; texture: Buffer; shape: Buffer; deep: Buffer | null } | undefined {
  return stmt(db, 'SELECT colour, texture, shape, deep FROM anomaly_features WHERE mask_id = ? AND version = ?').get(maskId, version) as
    | { colour: Buffer; texture: Buffer; shape: Buffer; deep: Buffer | null }
    | undefined;
}

export function putFeatures(db: Db, maskId: number, version: string, f: { colour: Float64Array; texture: Float64Array; shape: Float64Array; deep?: Float64Array }): void {
  const buf = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  stmt(db, 'INSERT OR REPLACE INTO anomaly_features (mask_id, version, colour, texture, shape, deep) VALUES (?, ?, ?, ?, ?, ?)').run(
    maskId,
    version,
    buf(f.colour),
    buf(f.texture),
    buf(f.shape),
    f.deep ? buf(f.deep) : null,
  );
}
