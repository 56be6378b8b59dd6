import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterState } from '../../../src-main/api/types';
import { createRng } from '../../../src-main/core/random';
import { FEATURES_VERSION } from '../../../src-main/core/features';
import { ClusterEdits } from '../../../src-main/engine/clusters/edits';
import { upsertCategory } from '../../../src-main/store/categories';
import { createCluster, putFeatures, setMember } from '../../../src-main/store/clusters';
import { closeDatabase, openDatabase, type Db } from '../../../src-main/store/db';
import { insertImage } from '../../../src-main/store/images';
import { nowIso } from '../../../src-main/store/statements';

/**
 * Cluster edits and their undo/redo must never cut the aligned masks and generated pairs made
 * from a cluster off it (issue 12, item 1: undoing a rename left all 86 masks and 86 pairs of
 * the demo tile with a NULL cluster).
 */

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gaa-cluster-edits-'));
  db = openDatabase(join(dir, 'project.gaa.sqlite'));
});
afterEach(() => {
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

interface Fixture {
  categoryId: number;
  anomalies: number[];
  clusters: number[];
}

/**
 * A category with `n` few-shot anomalies (features in two well-separated groups so that a split
 * finds them), three clusters, and per anomaly one aligned mask made from it with one pair on
 * it, plus one logical mask (no source image) per cluster.
 */
function category(name: string, n: number): Fixture {
  const categoryId = upsertCategory(db, name);
  const normal = insertImage(db, image(categoryId, 'normal', 'good', 'train', `${name}/good/0.png`), []);
  const rng = createRng(n).next;
  const anomalies: number[] = [];
  for (let i = 0; i < n; i++) {
    const id = insertImage(db, image(categoryId, 'anomaly', 'crack', 'fewshot', `${name}/crack/${i}.png`), [
      { role: 'union', regionIndex: null, sourcePath: null, width: 8, height: 8, area: 4, blob: `m${i}.png` },
    ]);
    const maskId = (db.prepare('SELECT id FROM masks WHERE image_id = ?').get(id) as { id: number }).id;
    const centre = i % 2 === 0 ? 0 : 10;
    const vec = (k: number) => Float64Array.from({ length: k }, () => centre + rng());
    putFeatures(db, maskId, FEATURES_VERSION, { colour: vec(4), texture: vec(4), shape: vec(3) });
    anomalies.push(id);
  }
  const clusters = [0, 1, 2].map((k) =>
    createCluster(db, { categoryId, runId: null, nodeId: null, name: `defect ${'ABC'[k]}`, ch: null, db: null }),
  );
  anomalies.forEach((id, i) => setMember(db, id, clusters[i % 3], false));
  const maskSql = db.prepare(
    `INSERT INTO aligned_masks (category_id, cluster_id, cluster_name, normal_image_id, source_image_id, mode, inside_fraction,
       transform, seed, blob, width, height, area, created_at)
     VALUES (?, ?, ?, ?, ?, ?, 1, '{}', 0, 'b.png', 8, 8, 4, ?)`,
  );
  const sampleSql = db.prepare(
    `INSERT INTO samples (category_id, cluster_id, cluster_name, aligned_mask_id, normal_image_id, generator, generator_version,
       params, seed, blend_mode, image_blob, mask_blob, width, height, created_at, ars)
     VALUES (?, ?, ?, ?, ?, 'exemplar', '1', '{}', 0, 'mixed', 'i.png', 'b.png', 8, 8, ?, 0.5)`,
  );
  const addMask = (clusterId: number, source: number | null, mode: string) => {
    const maskId = Number(maskSql.run(categoryId, clusterId, 'x', normal, source, mode, nowIso()).lastInsertRowid);
    sampleSql.run(categoryId, clusterId, 'x', maskId, normal, nowIso());
  };
  anomalies.forEach((id, i) => addMask(clusters[i % 3], id, 'inside'));
  clusters.forEach((c) => addMask(c, null, 'logical'));
  return { categoryId, anomalies, clusters };
}

function image(categoryId: number, kind: 'normal' | 'anomaly', defectType: string, split: 'train' | 'fewshot', relPath: string) {
  return {
    categoryId,
    sourceId: null,
    kind,
    defectType,
    origin: kind === 'normal' ? ('train' as const) : ('test' as const),
    split,
    sourcePath: `/data/${relPath}`,
    relPath,
    width: 8,
    height: 8,
    channels: 1,
    bitDepth: 8,
    hash: relPath,
    thumbBlob: null,
    hasError: false,
  };
}

/** Which cluster each aligned mask and each pair of a category belongs to. */
function artefacts(categoryId: number) {
  return {
    masks: db.prepare('SELECT id, cluster_id AS c FROM aligned_masks WHERE category_id = ? ORDER BY id').all(categoryId) as { id: number; c: number | null }[],
    samples: db.prepare('SELECT id, cluster_id AS c, aligned_mask_id AS m FROM samples WHERE category_id = ? ORDER BY id').all(categoryId) as {
      id: number;
      c: number | null;
      m: number;
    }[],
  };
}

/** The clusters and memberships the user sees: what undo and redo restore exactly. */
const visible = (s: ClusterState) => ({ clusters: s.clusters, unassigned: s.unassigned });

function expectAttached(categoryId: number, state: ClusterState): void {
  const ids = new Set(state.clusters.map((c) => c.id));
  const { masks, samples } = artefacts(categoryId);
  // Every few-shot anomaly is always in some cluster here, so nothing may be orphaned.
  expect(state.orphaned).toEqual({ alignedMasks: 0, samples: 0 });
  for (const m of masks) expect(ids.has(m.c as number), `aligned mask ${m.id} points at cluster ${m.c}`).toBe(true);
  const maskCluster = new Map(masks.map((m) => [m.id, m.c]));
  for (const s of samples) expect(s.c, `pair ${s.id} and its mask disagree on the cluster`).toBe(maskCluster.get(s.m));
}

describe('cluster edits keep what was made from a cluster attached to it', () => {
  it('undoing a rename restores the name and leaves every mask and pair on its cluster', () => {
    const f = category('tile', 9);
    const edits = new ClusterEdits(db);
    const before = artefacts(f.categoryId);
    edits.rename(f.clusters[0], 'hairline cracks');
    const undone = edits.undo(f.categoryId);
    expect(undone.clusters.map((c) => c.name)).toEqual(['defect A', 'defect B', 'defect C']);
    expect(artefacts(f.categoryId)).toEqual(before);
    const redone = edits.redo(f.categoryId);
    expect(redone.clusters.find((c) => c.id === f.clusters[0])?.name).toBe('hairline cracks');
    expect(artefacts(f.categoryId)).toEqual(before);
  });

  it('a merge hands the merged cluster’s masks and pairs to the survivor, and undo hands them back', () => {
    const f = category('tile', 9);
    const edits = new ClusterEdits(db);
    const before = artefacts(f.categoryId);
    const merged = edits.merge([f.clusters[0], f.clusters[1]]);
    expect(merged.clusters.map((c) => c.id)).toEqual([f.clusters[0], f.clusters[2]]);
    // Three masks from sources, one logical mask, and their pairs, all now on the survivor.
    const moved = artefacts(f.categoryId).masks.filter((m, i) => before.masks[i].c === f.clusters[1]);
    expect(moved).toHaveLength(4);
    for (const m of moved) expect(m.c).toBe(f.clusters[0]);
    expectAttached(f.categoryId, merged);
    edits.undo(f.categoryId);
    expect(artefacts(f.categoryId)).toEqual(before);
  });

  it('never reuses the id of a cluster that an undo history still names, in any category', () => {
    const tile = category('tile', 6);
    const other = category('nutbox', 6);
    const edits = new ClusterEdits(db);
    const split = edits.split(tile.clusters[0], 2);
    const fresh = split.clusters.find((c) => !tile.clusters.includes(c.id))!.id;
    edits.undo(tile.categoryId);
    // The other category now makes a cluster: it must not take the id the redo stack holds.
    const moved = edits.move([other.anomalies[0]], null);
    expect(moved.clusters.map((c) => c.id)).not.toContain(fresh);
    const redone = edits.redo(tile.categoryId);
    expect(redone.clusters.map((c) => c.id)).toContain(fresh);
    expect(edits.state(other.categoryId).clusters.map((c) => c.name)).toContain('new cluster 1');
  });

  it('a random sequence of 50 edits with undo and redo never cuts a mask or pair off, and undo/redo restore ids exactly', () => {
    for (const seed of [1, 2, 3]) {
      const f = category(`cat${seed}`, 12);
      const edits = new ClusterEdits(db);
      const rng = createRng(seed * 7919).next;
      const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
      type Saved = { view: ReturnType<typeof visible>; artefacts: ReturnType<typeof artefacts> };
      const save = (): Saved => ({ view: visible(edits.state(f.categoryId)), artefacts: artefacts(f.categoryId) });
      const undoModel: Saved[] = [];
      let redoModel: Saved[] = [];
      const log: string[] = [];
      for (let step = 0; step < 50; step++) {
        const state = edits.state(f.categoryId);
        const unlocked = state.clusters.filter((c) => !c.locked);
        const r = rng();
        const beforeEdit = save();
        let applied = true;
        try {
          if (r < 0.15 && state.canUndo) {
            log.push('undo');
            edits.undo(f.categoryId);
            expect(save(), log.join(' → ')).toEqual(undoModel.pop());
            redoModel.push(beforeEdit);
            expectAttached(f.categoryId, edits.state(f.categoryId));
            continue;
          }
          if (r < 0.25 && state.canRedo) {
            log.push('redo');
            edits.redo(f.categoryId);
            expect(save(), log.join(' → ')).toEqual(redoModel.pop());
            undoModel.push(beforeEdit);
            expectAttached(f.categoryId, edits.state(f.categoryId));
            continue;
          }
          const kind = pick(['rename', 'merge', 'split', 'move', 'new', 'lock'] as const);
          log.push(kind);
          if (kind === 'rename') edits.rename(pick(state.clusters).id, `name ${step}`);
          else if (kind === 'lock') {
            const c = pick(state.clusters);
            edits.setLock(c.id, !c.locked);
          } else if (kind === 'merge') {
            if (unlocked.length < 2) applied = false;
            else edits.merge([unlocked[0].id, pick(unlocked.slice(1)).id]);
          } else if (kind === 'split') {
            const c = unlocked.find((x) => x.size >= 2);
            if (!c) applied = false;
            else edits.split(c.id, 2);
          } else {
            const from = unlocked.filter((c) => c.size > 0);
            const to = kind === 'new' ? null : (unlocked.find((c) => c.id !== from[0]?.id)?.id ?? null);
            if (from.length === 0) applied = false;
            else edits.move([pick(from).members[0].imageId], to);
          }
        } catch (err) {
          // A refused edit (e.g. members that cannot be told apart) must change nothing.
          applied = false;
          expect(save()).toEqual(beforeEdit);
          void err;
        }
        if (applied) {
          undoModel.push(beforeEdit);
          redoModel = [];
        }
        expectAttached(f.categoryId, edits.state(f.categoryId));
      }
      // Undo everything: back to the starting clusters with every mask on its original cluster.
      while (edits.state(f.categoryId).canUndo) edits.undo(f.categoryId);
      const { masks } = artefacts(f.categoryId);
      expect(masks.filter((m, i) => m.c !== f.clusters[i < 12 ? i % 3 : i - 12])).toEqual([]);
    }
  });

  it('lists a mask whose cluster went and whose source is in no cluster as orphaned, with pairs counted', () => {
    const f = category('tile', 6);
    const edits = new ClusterEdits(db);
    // The source image leaves the few-shot set's clusters (e.g. re-split as held out).
    db.prepare('DELETE FROM cluster_members WHERE image_id = ?').run(f.anomalies[0]);
    db.prepare("UPDATE images SET split = 'heldout' WHERE id = ?").run(f.anomalies[0]);
    // Merging its cluster away: the mask made from it has nowhere to go but the heir.
    const s = edits.merge([f.clusters[1], f.clusters[0]]);
    expectAttached(f.categoryId, s);
    // Deleting every cluster (as a category re-import would) leaves them orphaned and says so.
    db.prepare('DELETE FROM clusters WHERE category_id = ?').run(f.categoryId);
    expect(edits.state(f.categoryId).orphaned).toEqual({ alignedMasks: 9, samples: 9 });
  });
});

describe('migration 5 repairs projects the old undo damaged', () => {
  it('reattaches cut-off masks and pairs to the cluster holding their source, or of their name, and starts ids above the history', () => {
    closeDatabase(db);
    const file = join(dir, 'old.gaa.sqlite');
    const old = openDatabase(file, { targetVersion: 4 });
    db = old;
    const categoryId = upsertCategory(old, 'tile');
    const normal = insertImage(old, image(categoryId, 'normal', 'good', 'train', 'tile/good/0.png'), []);
    const source = insertImage(old, image(categoryId, 'anomaly', 'crack', 'fewshot', 'tile/crack/0.png'), []);
    old.prepare("INSERT INTO clusters (id, category_id, name, kind, rule, created_at) VALUES (3, ?, 'defect A', 'structural', '{}', 'x')").run(categoryId);
    old.prepare("INSERT INTO clusters (id, category_id, name, kind, rule, created_at) VALUES (4, ?, 'missing', 'logical', '{}', 'x')").run(categoryId);
    old.prepare('INSERT INTO cluster_members (image_id, cluster_id) VALUES (?, 3)').run(source);
    // An undo entry naming a cluster id 9 that no longer exists.
    old.prepare("INSERT INTO cluster_history (category_id, action, stack, snapshot, created_at) VALUES (?, 'split', 'redo', ?, 'x')").run(
      categoryId,
      JSON.stringify({ clusters: [{ id: 9 }], members: [] }),
    );
    const mask = old.prepare(
      `INSERT INTO aligned_masks (category_id, cluster_id, cluster_name, normal_image_id, source_image_id, mode, inside_fraction, transform, seed, blob, width, height, area, created_at)
       VALUES (?, NULL, ?, ?, ?, ?, 1, '{}', 0, 'b', 8, 8, 4, 'x')`,
    );
    const a = Number(mask.run(categoryId, 'old name', normal, source, 'inside').lastInsertRowid);
    const b = Number(mask.run(categoryId, 'missing', normal, null, 'logical').lastInsertRowid);
    old.prepare(
      `INSERT INTO samples (category_id, cluster_id, cluster_name, aligned_mask_id, normal_image_id, generator, generator_version, params, seed, blend_mode, image_blob, mask_blob, width, height, created_at)
       VALUES (?, NULL, 'old name', ?, ?, 'exemplar', '1', '{}', 0, 'mixed', 'i', 'b', 8, 8, 'x')`,
    ).run(categoryId, a, normal);
    closeDatabase(old);

    db = openDatabase(file);
    expect(db.prepare('SELECT id, cluster_id AS c, cluster_name AS n FROM aligned_masks ORDER BY id').all()).toEqual([
      { id: a, c: 3, n: 'defect A' },
      { id: b, c: 4, n: 'missing' },
    ]);
    expect(db.prepare('SELECT cluster_id AS c, cluster_name AS n FROM samples').get()).toEqual({ c: 3, n: 'defect A' });
    const fresh = createCluster(db, { categoryId, runId: null, nodeId: null, name: 'new', ch: null, db: null });
    expect(fresh).toBe(10);
  });
});
