import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoMasks, demoRegions } from '../../src-main/cli/demo-stages';
import { Engine } from '../../src-main/engine/engine';
import { sharedDemoDataset } from '../fixtures/demo';

let work: string;
let engine: Engine;
let nutbox: { id: number; name: string };
let tile: { id: number; name: string };

async function pixels(file: string): Promise<{ data: Buffer; width: number; height: number; channels: number }> {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** A mask file's pixels as one 8-bit band (sharp would widen a gray PNG to sRGB otherwise). */
async function maskPixels(file: string): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(file).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(1);
  return { data, width: info.width, height: info.height };
}

async function done(jobId: number): Promise<void> {
  const f = await engine.waitForJob(jobId);
  expect(f.error).toBeNull();
  expect(f.status).toBe('done');
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gaa-pipeline-'));
  const demo = await sharedDemoDataset();
  engine = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
  await engine.call('project.create', { dir: join(work, 'project') });
  await done((await engine.call('dataset.import', { source: demo.root, layout: 'mvtec' })).jobId);
  const info = await engine.call('project.info', {});
  nutbox = info.categories.find((c) => c.name === 'nutbox')!;
  tile = info.categories.find((c) => c.name === 'tile')!;
  for (const c of [nutbox, tile]) await done((await engine.call('clusters.run', { categoryId: c.id })).jobId);
  const regions = await demoRegions(engine, demo.truthPath, work);
  (globalThis as { regionReport?: unknown }).regionReport = regions;
  await demoMasks(engine, 12);
});
afterAll(async () => {
  await engine.close();
  rmSync(work, { recursive: true, force: true });
});

describe('regions, masks, generation, scoring and export on the demo', () => {
  it('propagates the regions of 3 labelled nutbox images to the rest with mean IoU ≥ 0.9', () => {
    const report = (globalThis as { regionReport?: Record<string, { meanIoUAgainstHiddenTruth: number; propagated: number }> }).regionReport!;
    expect(report.nutbox.propagated).toBe(47);
    expect(report.nutbox.meanIoUAgainstHiddenTruth).toBeGreaterThanOrEqual(0.9);
  });

  it('places each aligned mask by its cluster rule, inside its region, and records its source', async () => {
    const page = await engine.call('masks.list', { categoryId: nutbox.id, limit: 2000 });
    expect(page.total).toBeGreaterThan(0);
    for (const m of page.items) {
      if (m.mode === 'inside') expect(m.insideFraction).toBeGreaterThanOrEqual(0.95);
      if (m.mode === 'logical') expect(m.region).toBe('nuts');
      if (m.mode !== 'logical') expect(m.sourceMaskId).not.toBeNull();
    }
    // A logical mask is the propagated nuts region of its normal image, pixel for pixel.
    const logical = page.items.find((m) => m.mode === 'logical')!;
    const regions = await engine.call('regions.ofImage', { imageId: logical.normalImageId });
    const nuts = regions.regions.find((r) => r.region === 'nuts')!;
    const a = await pixels((await engine.resolveImage(`aligned-mask/${logical.id}`))!.filePath);
    const b = await pixels((await engine.resolveImage(`region-mask/${nuts.maskId}`))!.filePath);
    expect(a.data.equals(b.data)).toBe(true);
  });

  it('generates pairs whose pixels outside the dilated mask equal the normal image, the same bytes for the same seed', async () => {
    await done((await engine.call('synth.run', { categoryId: tile.id, perCluster: 4, seed: 3 })).jobId);
    const page = await engine.call('samples.list', { categoryId: tile.id, limit: 2000 });
    expect(page.total).toBeGreaterThanOrEqual(4);
    const s = page.items[0];
    const out = await pixels((await engine.resolveImage(`sample/${s.id}`))!.filePath);
    const normal = await pixels(engine.image(s.normalImageId).sourcePath);
    const mask = await pixels(s.maskFile);
    expect([out.width, out.height]).toEqual([normal.width, normal.height]);
    // Far from the mask (beyond any dilation the generator may use), every byte is the normal image's.
    const far = 40;
    let checked = 0;
    for (let y = 0; y < out.height; y++) {
      for (let x = 0; x < out.width; x++) {
        let near = false;
        for (let dy = -far; dy <= far && !near; dy += 4) {
          for (let dx = -far; dx <= far && !near; dx += 4) {
            const yy = y + dy;
            const xx = x + dx;
            if (yy >= 0 && yy < out.height && xx >= 0 && xx < out.width && mask.data[(yy * mask.width + xx) * mask.channels] > 0) near = true;
          }
        }
        if (near) continue;
        for (let c = 0; c < out.channels; c++) expect(out.data[(y * out.width + x) * out.channels + c]).toBe(normal.data[(y * normal.width + x) * normal.channels + c]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(out.width * out.height * 0.3);
    // Generating the same mask again with the same seed gives the same bytes: remove the pair, re-run,
    // and the content-addressed blob name (a sha256 of the PNG) must come back identical.
    const db = engine.session().db;
    const before = db.prepare('SELECT image_blob AS b FROM samples WHERE id = ?').get(s.id) as { b: string };
    db.prepare('DELETE FROM samples WHERE id = ?').run(s.id);
    await done((await engine.call('synth.run', { categoryId: tile.id, perCluster: 4, seed: 3 })).jobId);
    const regenerated = db.prepare('SELECT image_blob AS b FROM samples WHERE aligned_mask_id = ? AND seed = ?').get(s.alignedMaskId, s.seed) as { b: string };
    expect(regenerated.b).toBe(before.b);
    const reborn = (await engine.call('samples.list', { categoryId: tile.id, limit: 2000 })).items.find((x) => x.alignedMaskId === s.alignedMaskId)!;
    await engine.call('samples.decide', { sampleIds: [reborn.id], decision: 'rejected' });
  });

  it('scores every pair, keeps the best per cluster, and never overrides the user', async () => {
    await done((await engine.call('score.run', { categoryId: tile.id, epochs: 2, maxTrainImages: 6, keep: 2 })).jobId);
    const page = await engine.call('samples.list', { categoryId: tile.id, sort: 'ars', limit: 2000 });
    expect(page.counts.scored).toBe(page.total);
    const byCluster = new Map<string, typeof page.items>();
    for (const s of page.items) byCluster.set(s.cluster, [...(byCluster.get(s.cluster) ?? []), s]);
    for (const list of byCluster.values()) {
      const kept = list.filter((s) => s.kept);
      expect(kept).toHaveLength(Math.min(2, list.length));
      const minKept = Math.min(...kept.map((s) => s.ars!));
      for (const s of list.filter((x) => !x.kept)) expect(s.ars!).toBeLessThanOrEqual(minKept);
    }
    expect(page.counts.rejected).toBe(1);
    const rejected = page.items.find((s) => s.decision === 'rejected')!;
    await done((await engine.call('score.run', { categoryId: tile.id, epochs: 2, maxTrainImages: 6, keep: 3 })).jobId);
    const after = await engine.call('samples.list', { categoryId: tile.id, limit: 2000 });
    expect(after.items.find((s) => s.id === rejected.id)!.decision).toBe('rejected');
    expect(after.items.every((s) => s.hasScoreMap)).toBe(true);
    // A cut-off dragged on the histogram keeps exactly the pairs at or above it.
    const cut = [...after.items.map((s) => s.ars!)].sort((x, y) => x - y)[Math.floor(after.items.length / 2)];
    const { kept } = await engine.call('samples.filter', { categoryId: tile.id, minArs: cut });
    expect(kept).toBe(after.items.filter((s) => s.ars! >= cut).length);
    await expect(engine.call('samples.filter', { categoryId: tile.id })).rejects.toThrow(/either keep or minArs/);
    const heat = await pixels((await engine.resolveImage(`score-map/${rejected.id}`))!.filePath);
    expect([heat.width, heat.height]).toEqual([after.items.find((s) => s.id === rejected.id)!.width, after.items.find((s) => s.id === rejected.id)!.height]);
  });

  it('exports an MVTec folder that re-imports with the same counts and identical masks, and refuses a file as destination', async () => {
    const out = join(work, 'exports');
    const { jobId } = await engine.call('export.run', { outDir: out, name: 'tile-export', formats: ['mvtec', 'coco', 'yolo'], selection: 'kept', categoryId: tile.id });
    await done(jobId);
    const root = join(out, 'tile-export');
    const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
    const synthetic = manifest.files.filter((f: { source: string }) => f.source === 'synthetic');
    const page = await engine.call('samples.list', { categoryId: tile.id, limit: 2000 });
    expect(synthetic).toHaveLength(page.items.filter((s) => s.decision === 'accepted' || (s.decision === null && s.kept)).length);
    const re = new Engine({ host: 'cli', userDataDir: join(work, 'ud2') });
    await re.call('project.create', { dir: join(work, 'reimport') });
    const j = await re.call('dataset.import', { source: root, layout: 'mvtec' });
    expect((await re.waitForJob(j.jobId)).status).toBe('done');
    const info = await re.call('project.info', {});
    const cat = info.categories.find((c) => c.name === 'tile')!;
    expect(cat.counts.anomaly).toBe(manifest.files.length);
    // The held-out normal images come back as normals too (test/good, for a trainer to evaluate on).
    const heldOut = await engine.call('dataset.listImages', { categoryId: tile.id, kind: 'normal', split: 'test', limit: 1 });
    expect(heldOut.total).toBeGreaterThan(0);
    expect(readdirSync(join(root, 'tile/test/good'))).toHaveLength(heldOut.total);
    expect(cat.counts.normal).toBe(readdirSync(join(root, 'tile/train/good')).length + heldOut.total);
    // Per cluster folder, the importer finds as many anomalies as the export wrote.
    const reDb = re.session().db;
    const perCluster = Object.fromEntries(
      (reDb.prepare("SELECT defect_type AS d, COUNT(*) AS n FROM images WHERE kind = 'anomaly' GROUP BY defect_type").all() as { d: string; n: number }[]).map((r) => [r.d, r.n]),
    );
    const { good: exportedNormals, 'test/good': exportedHeldOut, ...exportedClusters } = manifest.counts.tile as Record<string, number>;
    expect(perCluster).toEqual(exportedClusters);
    expect(cat.counts.normal).toBe(exportedNormals + exportedHeldOut);
    // Every mask survives the round trip pixel for pixel: the re-imported project's stored mask of
    // each exported pair equals the source project's stored mask of that pair (the generated
    // pair's mask, or the real pair's imported union mask).
    const srcDb = engine.session().db;
    const sources = new Set(manifest.files.map((f: { source: string }) => f.source));
    expect(sources).toEqual(new Set(['synthetic', 'real']));
    for (const f of manifest.files as { image: string; mask: string; source: string; provenance: { sampleId?: number; imageId?: number } }[]) {
      const original = (
        f.source === 'synthetic'
          ? srcDb.prepare('SELECT mask_blob AS blob FROM samples WHERE id = ?').get(f.provenance.sampleId)
          : srcDb.prepare("SELECT blob FROM masks WHERE image_id = ? AND role = 'union'").get(f.provenance.imageId)
      ) as { blob: string };
      const reimported = reDb
        .prepare("SELECT m.blob FROM images i JOIN masks m ON m.image_id = i.id AND m.role = 'union' WHERE i.source_path = ?")
        .get(join(root, f.image)) as { blob: string } | undefined;
      expect(reimported, `re-imported mask of ${f.image}`).toBeDefined();
      const before = await maskPixels(engine.session().blobs.path(original.blob));
      const after = await maskPixels(re.session().blobs.path(reimported!.blob));
      const written = await maskPixels(join(root, f.mask));
      expect([after.width, after.height], f.mask).toEqual([before.width, before.height]);
      expect(after.data.equals(before.data), f.mask).toBe(true);
      expect(written.data.equals(before.data), f.mask).toBe(true);
      expect(new Set(written.data)).toEqual(new Set([0, 255]));
    }
    await re.close();

    const blocker = join(work, 'a-file');
    writeFileSync(blocker, 'x');
    const bad = await engine.call('export.run', { outDir: blocker, name: 'x', formats: ['mvtec'], categoryId: tile.id });
    const f = await engine.waitForJob(bad.jobId);
    expect(f.status).toBe('failed');
    expect(f.error).toMatch(/not a folder/);
    expect(existsSync(join(blocker, 'x'))).toBe(false);
  });
});
