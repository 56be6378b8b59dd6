import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterSummary } from '../../src-main/api/types';
import { deriveSeed } from '../../src-main/core/random';
import { exemplarGenerator } from '../../src-main/core/generate/exemplar';
import { Engine } from '../../src-main/engine/engine';
import type { StoredMaskTransform } from '../../src-main/engine/masks/job';
import { loadMask, loadRaster, MAX_INPUT_PIXELS } from '../../src-main/io/image-codec';
import type { AlignedMaskToSynthesise } from '../../src-main/store/aligned-masks';
import { writeMvtecFixture } from '../fixtures/mvtec-fixture';

const SIZE = 64;
const MASK_SEED = 2;
const SYNTH_SEED = 5;

let work: string;
let engine: Engine;
let categoryId: number;
let clusters: ClusterSummary[];

/** An aligned_masks row as the synthesis job reads it; every row here belongs to a cluster. */
type Row = Omit<AlignedMaskToSynthesise, 'cluster_id' | 'cluster_name' | 'kind'> & { cluster_id: number };

async function done(p: Promise<{ jobId: number }>): Promise<number> {
  const { jobId } = await p;
  const f = await engine.waitForJob(jobId);
  expect(f.error).toBeNull();
  expect(f.status).toBe('done');
  return jobId;
}

/** A PNG's pixels as raw bytes, with the band count the file has. */
async function pixels(file: string, gray = false): Promise<{ data: Buffer; channels: number }> {
  const img = gray ? sharp(file).toColourspace('b-w') : sharp(file);
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  expect([info.width, info.height]).toEqual([SIZE, SIZE]);
  return { data, channels: info.channels };
}

function alignedRows(): Row[] {
  return engine
    .session()
    .db.prepare('SELECT id, cluster_id, normal_image_id, source_image_id, source_mask_id, mode, transform, blob FROM aligned_masks WHERE category_id = ? ORDER BY id')
    .all(categoryId) as Row[];
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gaa-synth-combined-'));
  const fx = await writeMvtecFixture(join(work, 'dataset'), { category: 'board', trainGood: 6, testGood: 1, defects: { crack: 6 }, size: SIZE }, false);
  engine = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
  await engine.call('project.create', { dir: join(work, 'project') });
  await done(engine.call('dataset.import', { source: fx.root, layout: 'mvtec' }));
  categoryId = (await engine.call('project.info', {})).categories[0].id;
  await done(engine.call('clusters.run', { categoryId }));
  for (const c of (await engine.call('clusters.get', { categoryId })).clusters) {
    await engine.call('clusters.setRule', { clusterId: c.id, kind: 'combined', rule: { mode: 'combined', region: null, overlapLimit: 0.1 } });
  }
  clusters = (await engine.call('clusters.get', { categoryId })).clusters;
  await done(engine.call('masks.generate', { categoryId, count: 6, seed: MASK_SEED }));
});
afterAll(async () => {
  await engine.close();
  rmSync(work, { recursive: true, force: true });
});

describe('combined aligned masks with the exemplar generator (METHOD.md §3)', () => {
  it('records 2-3 parts per combined mask, each with its own cluster member and placed mask, whose union is the mask', async () => {
    expect(clusters.length).toBeGreaterThan(0);
    for (const c of clusters) expect(c.kind).toBe('combined');
    const rows = alignedRows();
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) {
      expect(row.mode).toBe('combined');
      const members = clusters.find((c) => c.id === row.cluster_id)!.members;
      const { parts } = JSON.parse(row.transform) as StoredMaskTransform;
      expect(parts.length).toBeGreaterThanOrEqual(2);
      expect(parts.length).toBeLessThanOrEqual(3);
      for (const p of parts) expect(members.some((m) => m.imageId === p.imageId && m.maskId === p.maskId)).toBe(true);
      // The row's exemplar is its first part's.
      expect([row.source_image_id, row.source_mask_id]).toEqual([parts[0].imageId, parts[0].maskId]);
      const combined = (await pixels(engine.session().blobs.path(row.blob), true)).data;
      const partMasks = await Promise.all(parts.map(async (p) => (await pixels(engine.session().blobs.path(p.blob!), true)).data));
      for (let i = 0; i < SIZE * SIZE; i++) expect(combined[i] !== 0).toBe(partMasks.some((m) => m[i] !== 0));
      // Limited pairwise overlap: IoU ≤ the rule's overlapLimit.
      for (let a = 0; a < partMasks.length; a++) {
        for (let b = a + 1; b < partMasks.length; b++) {
          let inter = 0;
          let union = 0;
          for (let i = 0; i < SIZE * SIZE; i++) {
            if (partMasks[a][i] && partMasks[b][i]) inter++;
            if (partMasks[a][i] || partMasks[b][i]) union++;
          }
          expect(inter / union).toBeLessThanOrEqual(0.1);
        }
      }
    }
  });

  it('generates each combined pair part by part: unchanged outside the combined mask, changed inside every part, labelled by the union of the parts\' labels', async () => {
    const jobId = await done(engine.call('synth.run', { categoryId, perCluster: 100, seed: SYNTH_SEED }));
    const result = (await engine.waitForJob(jobId)).result as { made: number; failed: number; failures: { reason: string }[] };
    const rows = alignedRows();
    expect(result.failures).toEqual([]);
    expect(result.made).toBe(rows.length);
    const samples = (await engine.call('samples.list', { categoryId, limit: 100 })).items;
    expect(samples).toHaveLength(rows.length);
    for (const row of rows) {
      const sample = samples.find((s) => s.alignedMaskId === row.id)!;
      expect(sample.sourceImageId).toBe(row.source_image_id);
      const out = await pixels((await engine.resolveImage(`sample/${sample.id}`))!.filePath);
      const normal = await pixels(engine.image(row.normal_image_id).sourcePath);
      expect(out.channels).toBe(normal.channels);
      const ch = normal.channels;
      const changed = (i: number) => {
        for (let c = 0; c < ch; c++) if (out.data[i * ch + c] !== normal.data[i * ch + c]) return true;
        return false;
      };
      // Every part keeps to its own mask (aligned by construction), so nothing changes outside the union.
      const combined = (await pixels(engine.session().blobs.path(row.blob), true)).data;
      for (let i = 0; i < SIZE * SIZE; i++) if (!combined[i]) expect(changed(i)).toBe(false);

      // Reference: the generator applied in process, part k on the result of part k-1, with part
      // k's own exemplar and transform, seed deriveSeed(seed, k) and the contrast gain recorded
      // in the pair's draws, gives the same bytes; its parts' labels, united, are the pair's label.
      const { parts } = JSON.parse(row.transform) as StoredMaskTransform;
      const draws = JSON.parse((engine.session().db.prepare('SELECT draws FROM samples WHERE id = ?').get(sample.id) as { draws: string }).draws) as {
        contrastGain: number[];
      };
      expect(draws.contrastGain).toHaveLength(parts.length);
      let image = await loadRaster(engine.image(row.normal_image_id).sourcePath, MAX_INPUT_PIXELS);
      const union = new Uint8Array(SIZE * SIZE);
      for (let k = 0; k < parts.length; k++) {
        const p = parts[k];
        const step = await exemplarGenerator.generate({
          normal: image,
          alignedMask: await loadMask(engine.session().blobs.path(p.blob!)),
          transform: p.transform,
          exemplar: { image: await loadRaster(engine.image(p.imageId!).sourcePath, MAX_INPUT_PIXELS), mask: await loadMask(engine.image(p.imageId!).masks.find((m) => m.id === p.maskId)!.file) },
          kind: 'structural',
          blendMode: 'auto',
          seed: deriveSeed(deriveSeed(SYNTH_SEED, row.id), k),
          contrastGain: draws.contrastGain[k],
        });
        image = step.image;
        // Each part's label shows its defect: most of its pixels changed in the pair.
        let area = 0;
        let differ = 0;
        for (let i = 0; i < SIZE * SIZE; i++) {
          if (!step.mask.data[i]) continue;
          union[i] = 1;
          area++;
          if (changed(i)) differ++;
        }
        expect(area).toBeGreaterThan(0);
        expect(differ / area).toBeGreaterThan(0.5);
      }
      expect(Buffer.from(image.data).equals(out.data)).toBe(true);
      const maskBlob = engine.session().db.prepare('SELECT mask_blob AS b FROM samples WHERE id = ?').get(sample.id) as { b: string };
      const label = (await pixels(engine.session().blobs.path(maskBlob.b), true)).data;
      expect(Array.from(label, (v) => (v ? 1 : 0))).toEqual(Array.from(union));
      // The app shows that label (Review, the side-by-side view) through its own image route.
      expect((await engine.resolveImage(`sample-mask/${sample.id}`))!.filePath).toBe(engine.session().blobs.path(maskBlob.b));
    }
  });

  it('fails a combined mask made before per-part sources were recorded, with the reason, and makes the rest', async () => {
    const db = engine.session().db;
    const [old, ...rest] = alignedRows();
    // What masks-job stored before per-part sources: each part's mode, transform and inside fraction only.
    const stored = JSON.parse(old.transform) as StoredMaskTransform;
    const legacy = { ...stored, parts: stored.parts.map((p) => ({ mode: p.mode, transform: p.transform, insideFraction: p.insideFraction })) };
    db.prepare('UPDATE aligned_masks SET transform = ? WHERE id = ?').run(JSON.stringify(legacy), old.id);
    db.prepare('DELETE FROM samples WHERE aligned_mask_id = ?').run(old.id);
    const jobId = await done(engine.call('synth.run', { categoryId, perCluster: 100, seed: SYNTH_SEED + 1 }));
    const result = (await engine.waitForJob(jobId)).result as { made: number; failed: number; failures: { alignedMaskId: number; reason: string }[] };
    expect(result.failures).toEqual([
      { alignedMaskId: old.id, reason: 'this combined mask was made before per-part sources were recorded; make the masks again' },
    ]);
    expect(result.made).toBe(rest.length);
  });
});
