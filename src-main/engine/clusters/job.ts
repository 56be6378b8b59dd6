import type { JobParams } from '../../api/jobs';
import type { AnomalyKindChoice, ClusterJobResult, ClusterMember, PlacementRule } from '../../api/types';
import { amfc, defaultKindFor, leaves, majorityType, pca2, type ClusterNode } from '../../core/cluster';
import { assembleFeatureMatrix, computeFeatures, FEATURES_VERSION, type AnomalyFeatures } from '../../core/features';
import {
  clusterOfImage,
  createCluster,
  clearAutomaticMember,
  fewShotAnomalies,
  getFeatures,
  insertRun,
  pushHistory,
  removeClusters,
  setMember,
  snapshot,
  type StoredNode,
} from '../../store/clusters';
import type { Db } from '../../store/db';
import { getImage, maskBlob } from '../../store/images';
import type { JobBody } from '../jobs/runner';
import { loadMask, loadRaster, MAX_INPUT_PIXELS } from '../../io/image-codec';
import type { ProjectSession } from '../session';
import { putFeatures } from '../../store/clusters';
import { openBackboneChoice } from '../backbone-choice';

/**
 * The version features are cached and runs recorded under: with a backbone, the pack's
 * identity is part of it, so features from another pack (or none) are never mixed in.
 */
export function featuresVersionFor(backboneId: string | null): string {
  return backboneId === null ? FEATURES_VERSION : `${FEATURES_VERSION}+deep:${backboneId}`;
}

/** Yields to the event loop so the web host keeps answering while features are computed. */
const breathe = () => new Promise<void>((ok) => setImmediate(ok));

/**
 * The AMFC job (METHOD.md §1): features of every few-shot anomaly (cached per mask and feature
 * version, committed one by one so a killed job resumes), then multi-round clustering of the
 * members that are neither in a locked cluster nor placed by hand.
 */
/** The AMFC job's stored parameters (contract: `jobs.cluster`). */
export type ClusterParams = JobParams<'cluster'>;

export function clusterJob(session: ProjectSession, params: ClusterParams): JobBody<ClusterJobResult> {
  return async (ctx) => {
    const { db, blobs } = session;
    const anomalies = fewShotAnomalies(db, params.categoryId);
    ctx.setTotal(anomalies.length + 1);
    const failed: { file: string; reason: string }[] = [];
    const backbone = params.backbone ? await openBackboneChoice(params.backbone) : null;
    const version = featuresVersionFor(backbone?.id ?? null);
    ctx.message(backbone ? `Computing anomaly features (deep block: ${backbone.pack.name} ${backbone.pack.manifest.version})` : 'Computing anomaly features');
    for (const a of anomalies) {
      const key = `features:${a.maskId}`;
      if (ctx.finished.has(key) || getFeatures(db, a.maskId, version)) {
        if (!ctx.finished.has(key)) ctx.commitItem(key, 'done');
        continue;
      }
      const image = getImage(db, a.imageId);
      const blob = maskBlob(db, a.maskId);
      try {
        if (!image || !blob) throw new Error('image or mask record missing');
        const raster = await loadRaster(image.sourcePath, MAX_INPUT_PIXELS);
        const mask = await loadMask(blobs.path(blob));
        const deep = backbone ? await backbone.deepFeatures(raster, mask) : undefined;
        const f = computeFeatures(raster, mask, deep ? { deep } : {});
        ctx.commitItem(key, 'done', () => putFeatures(db, a.maskId, version, f));
      } catch (err) {
        failed.push({ file: image?.sourcePath ?? a.relPath, reason: err instanceof Error ? err.message : String(err) });
        ctx.commitItem(key, 'failed');
      }
      await breathe();
    }
    if (ctx.signal.aborted) return null;

    ctx.message('Clustering');
    const withFeatures = anomalies
      .map((a) => ({ a, f: readFeatures(db, a.maskId, version) }))
      .filter((x): x is { a: (typeof anomalies)[number]; f: AnomalyFeatures } => x.f !== null);
    const result = recluster(db, params, withFeatures, version);
    ctx.commitItem('cluster', 'done');
    return { ...result, failed } satisfies ClusterJobResult;
  };
}

function readFeatures(db: Db, maskId: number, version: string): AnomalyFeatures | null {
  const row = getFeatures(db, maskId, version);
  if (!row) return null;
  const f64 = (b: Buffer) => new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  return { colour: f64(row.colour), texture: f64(row.texture), shape: f64(row.shape), ...(row.deep ? { deep: f64(row.deep) } : {}) };
}

type Sample = { a: Omit<ClusterMember, 'manual'>; f: AnomalyFeatures };

/**
 * One transaction: the state before is pushed to the undo history, locked clusters and members
 * moved by hand stay exactly where they are, every other member is clustered afresh.
 */
function recluster(db: Db, params: ClusterParams, samples: Sample[], featuresVersion: string): Omit<ClusterJobResult, 'failed'> {
  const before = snapshot(db, params.categoryId);
  const lockedIds = new Set(before.clusters.filter((c) => c.locked === 1).map((c) => c.id));
  const keep = (imageId: number) => {
    const m = clusterOfImage(db, imageId);
    return m !== undefined && (lockedIds.has(m.cluster_id) || m.manual === 1);
  };
  const free = samples.filter((s) => !keep(s.a.imageId));
  const groups = new Map<string, Sample[]>();
  for (const s of free) {
    const g = params.perType ? s.a.defectType : '*';
    groups.set(g, [...(groups.get(g) ?? []), s]);
  }
  const scatterMatrix = samples.length ? assembleFeatureMatrix(samples.map((s) => s.f), params.weights).matrix : [];
  const scatter = pca2(scatterMatrix).map(([x, y], i) => ({ imageId: samples[i].a.imageId, x, y }));

  const trees: StoredNode[] = [];
  const planned: { group: string; node: ClusterNode; parent: ClusterNode | null; members: Sample[] }[] = [];
  for (const [group, list] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const { matrix } = assembleFeatureMatrix(list.map((s) => s.f), params.weights);
    const tree = amfc(matrix, { seed: params.seed, maxRounds: params.rounds, minMeanClusterSize: params.minMeanClusterSize });
    trees.push(storeNode(tree, list));
    const parentOf = new Map<string, ClusterNode>();
    const index = (n: ClusterNode) => n.children.forEach((c) => (parentOf.set(c.id, n), index(c)));
    index(tree);
    for (const leaf of leaves(tree)) planned.push({ group, node: leaf, parent: parentOf.get(leaf.id) ?? null, members: leaf.members.map((i) => list[i]) });
  }

  let runId = 0;
  db.transaction(() => {
    const historyEntry = pushHistory(db, params.categoryId, 'run');
    for (const s of free) clearAutomaticMember(db, s.a.imageId);
    runId = insertRun(db, {
      categoryId: params.categoryId,
      params,
      featuresVersion,
      k: planned.length,
      rounds: maxRound(trees),
      tree: trees,
      scatter,
    });
    const taken = new Set(before.clusters.map((c) => c.name));
    planned.forEach((p, i) => {
      const name = uniqueName(taken, p.members, i);
      const id = createCluster(db, {
        categoryId: params.categoryId,
        runId,
        nodeId: `${p.group}:${p.node.id}`,
        name,
        ch: p.parent?.ch ?? null,
        db: p.parent?.db ?? null,
        ...defaultRuleFor(p.members.map((m) => m.a.defectType)),
      });
      for (const s of p.members) setMember(db, s.a.imageId, id, false);
    });
    // Unlocked clusters without hand-placed members are replaced by the new run; what was made
    // from them follows their members into the new clusters.
    const replaced = before.clusters
      .filter((c) => !lockedIds.has(c.id) && !before.members.some((m) => m.cluster_id === c.id && m.manual === 1))
      .map((c) => c.id);
    removeClusters(db, params.categoryId, replaced, historyEntry);
  })();
  return {
    categoryId: params.categoryId,
    k: planned.length,
    rounds: maxRound(trees),
    clustered: free.length,
    kept: samples.length - free.length,
    runId,
  };
}

/** A new cluster's kind and placement rule from its members' coarse labels (core/cluster/default-kind.ts). */
export function defaultRuleFor(defectTypes: readonly string[]): { kind: AnomalyKindChoice; rule: PlacementRule } {
  return defaultKindFor(majorityType(defectTypes)) === 'logical'
    ? { kind: 'logical', rule: { mode: 'logical', region: null } }
    : { kind: 'structural', rule: { mode: 'learned', region: null } };
}

function storeNode(n: ClusterNode, list: Sample[]): StoredNode {
  return {
    id: n.id,
    round: n.round,
    members: n.members.map((i) => list[i].a.imageId),
    k: n.k,
    ch: n.ch,
    db: n.db,
    dense: n.dense,
    curve: n.curve.map((p) => ({ k: p.k, ch: p.ch, db: p.db, score: p.score })),
    children: n.children.map((c) => storeNode(c, list)),
  };
}

function maxRound(trees: StoredNode[]): number {
  let r = 0;
  const walk = (n: StoredNode) => {
    if (n.children.length) r = Math.max(r, n.round + 1);
    n.children.forEach(walk);
  };
  trees.forEach(walk);
  return r;
}

/** "defect A", "defect B", … named after the members' most common coarse type. */
function uniqueName(taken: Set<string>, members: Sample[], index: number): string {
  const counts = new Map<string, number>();
  for (const m of members) counts.set(m.a.defectType, (counts.get(m.a.defectType) ?? 0) + 1);
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'cluster';
  for (let i = index; ; i++) {
    const name = `${top} ${letters(i)}`;
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

function letters(i: number): string {
  let s = '';
  let n = i;
  do {
    s = String.fromCharCode(65 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return s;
}

/**
 * Features already stored for a set of members (split needs them without recomputing), under
 * the version of the run the clusters came from (ClusterRunInfo.featuresVersion).
 */
export function featuresOf(db: Db, members: { maskId: number }[], version: string = FEATURES_VERSION): AnomalyFeatures[] | null {
  const out: AnomalyFeatures[] = [];
  for (const m of members) {
    const f = readFeatures(db, m.maskId, version);
    if (!f) return null;
    out.push(f);
  }
  return out;
}
