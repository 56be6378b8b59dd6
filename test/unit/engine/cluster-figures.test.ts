import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterState } from '../../../src-main/api/types';
import { calinskiHarabasz, daviesBouldin } from '../../../src-main/core/cluster';
import { createRng } from '../../../src-main/core/random';
import { assembleFeatureMatrix, FEATURES_VERSION, type AnomalyFeatures } from '../../../src-main/core/features';
import { clusterJob } from '../../../src-main/engine/clusters/job';
import { ClusterEdits } from '../../../src-main/engine/clusters/edits';
import { JobRunner } from '../../../src-main/engine/jobs/runner';
import type { ProjectSession } from '../../../src-main/engine/session';
import { upsertCategory } from '../../../src-main/store/categories';
import { createCluster, putFeatures, setMember } from '../../../src-main/store/clusters';
import { closeDatabase, openDatabase, type Db } from '../../../src-main/store/db';
import { insertImage } from '../../../src-main/store/images';

/**
 * Issue 12: the CH/DB on cluster cards and the K curve's "now" are recomputed after a merge or a
 * split (item 11), and a new cluster of a "missing…" coarse label starts as logical (item 13).
 */

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gaa-cluster-figures-'));
  db = openDatabase(join(dir, 'project.gaa.sqlite'));
});
afterEach(() => {
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

const features = new Map<number, AnomalyFeatures>();

/** `n` few-shot anomalies of `type` in `groups` well-separated feature groups (anomaly i in group i % groups). */
function anomalies(categoryId: number, type: string, n: number, groups: number, offset = 0): number[] {
  const rng = createRng(n + offset).next;
  return Array.from({ length: n }, (_, i) => {
    const id = insertImage(db, {
      categoryId,
      sourceId: null,
      kind: 'anomaly',
      defectType: type,
      origin: 'test',
      split: 'fewshot',
      sourcePath: `/data/${type}/${offset + i}.png`,
      relPath: `${type}/${offset + i}.png`,
      width: 8,
      height: 8,
      channels: 1,
      bitDepth: 8,
      hash: `${type}/${offset + i}`,
      thumbBlob: null,
      hasError: false,
    }, [{ role: 'union', regionIndex: null, sourcePath: null, width: 8, height: 8, area: 4, blob: `m${offset + i}.png` }]);
    const maskId = (db.prepare('SELECT id FROM masks WHERE image_id = ?').get(id) as { id: number }).id;
    const centre = (i % groups) * 10;
    const vec = (k: number) => Float64Array.from({ length: k }, () => centre + rng());
    const f = { colour: vec(4), texture: vec(4), shape: vec(3) };
    putFeatures(db, maskId, FEATURES_VERSION, f);
    features.set(id, f);
    return id;
  });
}

/** CH and DB of a partition given as lists of image ids, computed here from the stored features. */
function figures(groups: number[][]): { ch: number; db: number } {
  const { matrix } = assembleFeatureMatrix(groups.flat().map((id) => features.get(id)!));
  const labels = Int32Array.from(groups.flatMap((g, i) => g.map(() => i)));
  return { ch: calinskiHarabasz(matrix, labels), db: daviesBouldin(matrix, labels) };
}

const memberIds = (s: ClusterState) => s.clusters.map((c) => c.members.map((m) => m.imageId));

describe('cluster figures after edits', () => {
  it('gives the clusters a split makes the CH/DB of that split, and the partition its new figures', () => {
    const categoryId = upsertCategory(db, 'tile');
    const ids = anomalies(categoryId, 'crack', 12, 2);
    const a = createCluster(db, { categoryId, runId: null, nodeId: null, name: 'A', ch: null, db: null });
    const b = createCluster(db, { categoryId, runId: null, nodeId: null, name: 'B', ch: null, db: null });
    ids.forEach((id, i) => setMember(db, id, i < 8 ? a : b, false));
    const edits = new ClusterEdits(db);
    const before = edits.state(categoryId);
    expect(before.partition).toEqual({ k: 2, ...figures(memberIds(before)) });

    const after = edits.split(a, 2);
    expect(after.clusters).toHaveLength(3);
    const made = after.clusters.filter((c) => c.name.startsWith('A.'));
    const split = figures(made.map((c) => c.members.map((m) => m.imageId)));
    for (const c of made) {
      expect(c.ch).toBeCloseTo(split.ch, 9);
      expect(c.db).toBeCloseTo(split.db, 9);
    }
    expect(after.partition).toEqual({ k: 3, ...figures(memberIds(after)) });
    expect(after.partition!.ch).not.toBeCloseTo(before.partition!.ch, 3);
  });

  it('gives a merged cluster the figures of the partition the merge left, and undo gives the old ones back', () => {
    const categoryId = upsertCategory(db, 'tile');
    const ids = anomalies(categoryId, 'crack', 12, 3);
    const clusters = [0, 1, 2].map((k) => createCluster(db, { categoryId, runId: null, nodeId: null, name: `C${k}`, ch: 5, db: 0.5 }));
    ids.forEach((id, i) => setMember(db, id, clusters[i % 3], false));
    const edits = new ClusterEdits(db);
    const merged = edits.merge([clusters[0], clusters[1]]);
    const expected = figures(memberIds(merged));
    expect(merged.partition).toEqual({ k: 2, ...expected });
    const survivor = merged.clusters.find((c) => c.id === clusters[0])!;
    expect(survivor.ch).toBeCloseTo(expected.ch, 9);
    expect(survivor.db).toBeCloseTo(expected.db, 9);
    expect(merged.clusters.find((c) => c.id === clusters[2])).toMatchObject({ ch: 5, db: 0.5 });
    const undone = edits.undo(categoryId);
    expect(undone.clusters.map((c) => [c.ch, c.db])).toEqual([[5, 0.5], [5, 0.5], [5, 0.5]]);
    expect(undone.partition!.k).toBe(3);
  });
});

describe('the kind a new cluster starts with', () => {
  const session = (): ProjectSession => ({ db, dir, blobs: { path: (b: string) => join(dir, b) } }) as unknown as ProjectSession;

  it('is logical for a cluster run of "missing…" anomalies, structural for the others', async () => {
    const categoryId = upsertCategory(db, 'nutbox');
    anomalies(categoryId, 'missing_nuts', 8, 1);
    anomalies(categoryId, 'scratch', 8, 1, 100);
    const runner = new JobRunner(db, () => undefined, () => undefined);
    const jobId = runner.start('cluster', {}, clusterJob(session(), { categoryId, perType: true, rounds: 1, seed: 0, minMeanClusterSize: 4 }));
    expect((await runner.wait(jobId)!).status).toBe('done');
    const state = new ClusterEdits(db).state(categoryId);
    const kinds = state.clusters.map((c) => [c.members[0].defectType, c.kind, c.rule.mode]);
    expect(kinds.length).toBeGreaterThanOrEqual(2);
    for (const [type, kind, mode] of kinds) {
      if (type === 'missing_nuts') expect([kind, mode]).toEqual(['logical', 'logical']);
      else expect([kind, mode]).toEqual(['structural', 'learned']);
    }
  });

  it('is logical for a cluster made by moving "missing…" members by hand', () => {
    const categoryId = upsertCategory(db, 'cable');
    const missing = anomalies(categoryId, 'missing_wire', 3, 1);
    const other = anomalies(categoryId, 'cut_outer_insulation', 3, 1, 50);
    const c = createCluster(db, { categoryId, runId: null, nodeId: null, name: 'all', ch: null, db: null });
    for (const id of [...missing, ...other]) setMember(db, id, c, false);
    const edits = new ClusterEdits(db);
    const moved = edits.move(missing, null);
    expect(moved.clusters.find((x) => x.id !== c)).toMatchObject({ kind: 'logical', rule: { mode: 'logical', region: null } });
    const back = edits.move(other, null);
    expect(back.clusters.find((x) => x.members.some((m) => m.imageId === other[0]))).toMatchObject({ kind: 'structural' });
  });
});
