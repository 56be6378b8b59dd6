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

/** The whole editable clustering state of a category: what undo saves and restores exactly. */
export interface ClusterSnapshot {
  clusters: ClusterRow[];
  members: MemberRow[];
}

export const DEFAULT_RULE: PlacementRule = { mode: 'inside', region: null };

export function snapshot(db: Db, categoryId: number): ClusterSnapshot {
  const clusters = stmt(db, 'SELECT * FROM clusters WHERE category_id = ? ORDER BY id').all(categoryId) as ClusterRow[];
  const members = stmt(
    db,
    `SELECT m.image_id, m.cluster_id, m.manual FROM cluster_members m JOIN clusters c ON c.id = m.cluster_id
     WHERE c.category_id = ? ORDER BY m.image_id`,
  ).all(categoryId) as MemberRow[];
  return { clusters, members };
}

/** Replaces the category's clusters and memberships with a snapshot, ids included. */
export function restore(db: Db, categoryId: number, snap: ClusterSnapshot): void {
  stmt(db, 'DELETE FROM clusters WHERE category_id = ?').run(categoryId);
  const ins = stmt(
    db,
    `INSERT INTO clusters (id, category_id, run_id, node_id, name, locked, kind, rule, ch, db, created_at)
     VALUES (@id, @category_id, @run_id, @node_id, @name, @locked, @kind, @rule, @ch, @db, @created_at)`,
  );
  for (const c of snap.clusters) ins.run(c);
  const insM = stmt(db, 'INSERT INTO cluster_members (image_id, cluster_id, manual) VALUES (?, ?, ?)');
  for (const m of snap.members) insM.run(m.image_id, m.cluster_id, m.manual);
}

const MAX_HISTORY = 200;

/** Records the state before an action; a new action clears the redo stack. */
export function pushHistory(db: Db, categoryId: number, action: string): void {
  stmt(db, "DELETE FROM cluster_history WHERE category_id = ? AND stack = 'redo'").run(categoryId);
  stmt(db, "INSERT INTO cluster_history (category_id, action, stack, snapshot, created_at) VALUES (?, ?, 'undo', ?, ?)").run(
    categoryId,
    action,
    JSON.stringify(snapshot(db, categoryId)),
    nowIso(),
  );
  stmt(
    db,
    `DELETE FROM cluster_history WHERE category_id = ? AND stack = 'undo' AND id NOT IN
       (SELECT id FROM cluster_history WHERE category_id = ? AND stack = 'undo' ORDER BY id DESC LIMIT ?)`,
  ).run(categoryId, categoryId, MAX_HISTORY);
}

/** Undo (from='undo') or redo (from='redo'): restores the newest entry, saving the current state on the other stack. */
export function travel(db: Db, categoryId: number, from: 'undo' | 'redo'): boolean {
  const row = stmt(db, 'SELECT id, action, snapshot FROM cluster_history WHERE category_id = ? AND stack = ? ORDER BY id DESC LIMIT 1').get(
    categoryId,
    from,
  ) as { id: number; action: string; snapshot: string } | undefined;
  if (!row) return false;
  const other = from === 'undo' ? 'redo' : 'undo';
  stmt(db, 'INSERT INTO cluster_history (category_id, action, stack, snapshot, created_at) VALUES (?, ?, ?, ?, ?)').run(
    categoryId,
    row.action,
    other,
    JSON.stringify(snapshot(db, categoryId)),
    nowIso(),
  );
  stmt(db, 'DELETE FROM cluster_history WHERE id = ?').run(row.id);
  restore(db, categoryId, JSON.parse(row.snapshot) as ClusterSnapshot);
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
  return Number(
    stmt(
      db,
      'INSERT INTO clusters (category_id, run_id, node_id, name, kind, rule, ch, db, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(c.categoryId, c.runId, c.nodeId, c.name, c.kind ?? 'structural', JSON.stringify(c.rule ?? DEFAULT_RULE), c.ch, c.db, nowIso())
      .lastInsertRowid,
  );
}

export function getClusterRow(db: Db, id: number): ClusterRow | undefined {
  return stmt(db, 'SELECT * FROM clusters WHERE id = ?').get(id) as ClusterRow | undefined;
}

export function updateCluster(db: Db, id: number, patch: Partial<{ name: string; locked: boolean; kind: AnomalyKindChoice; rule: PlacementRule }>): void {
  const cur = getClusterRow(db, id);
  if (!cur) return;
  stmt(db, 'UPDATE clusters SET name = ?, locked = ?, kind = ?, rule = ? WHERE id = ?').run(
    patch.name ?? cur.name,
    patch.locked === undefined ? cur.locked : patch.locked ? 1 : 0,
    patch.kind ?? cur.kind,
    patch.rule ? JSON.stringify(patch.rule) : cur.rule,
    id,
  );
}

export function deleteCluster(db: Db, id: number): void {
  stmt(db, 'DELETE FROM clusters WHERE id = ?').run(id);
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

export function clusterState(db: Db, categoryId: number): ClusterState {
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
