/**
 * The diffusion path end to end through the CLI (METHOD.md §2): concept-training bundle out,
 * a gaa-concepts pack for the project's clusters back in (validated against them), then
 * `gaa synth --generator diffusion` with tiny ONNX packs.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/main';
import type { Mask } from '../../src-main/core/image/raster';
import { installPack } from '../../src-main/io/packs';
import { Engine } from '../../src-main/engine/engine';
import { loadMask, loadRaster } from '../../src-main/io/image-codec';
import { writeMvtecFixture } from '../fixtures/mvtec-fixture';
import { weights } from '../unit/core/onnx/tiny-models';
import { DIM, writeConceptsPack, writeSd15Pack } from '../unit/core/onnx/tiny-packs';

let work: string;
let project: string;
let userData: string;
let clusters: { id: number; name: string; members: { imageId: number; maskId: number }[] }[];
/** aligned mask id → cluster id */
let maskCluster: Map<number, number>;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  return runCli(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) }).then((code) => ({ code, stdout, stderr }));
}

async function withEngine<T>(f: (e: Engine) => Promise<T>): Promise<T> {
  const engine = new Engine({ host: 'cli', userDataDir: userData });
  try {
    await engine.call('project.open', { dir: project });
    return await f(engine);
  } finally {
    await engine.close();
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gaa-concepts-'));
  userData = join(work, 'ud');
  process.env.GAA_USER_DATA = userData;
  project = join(work, 'project');
  const fx = await writeMvtecFixture(join(work, 'dataset'), { category: 'board', trainGood: 6, testGood: 1, defects: { crack: 6, hole: 6 }, size: 64 }, false);
  const engine = new Engine({ host: 'cli', userDataDir: userData });
  try {
    await engine.call('project.create', { dir: project });
    const done = async (p: Promise<{ jobId: number }>) => expect((await engine.waitForJob((await p).jobId)).status).toBe('done');
    await done(engine.call('dataset.import', { source: fx.root, layout: 'mvtec' }));
    const cat = (await engine.call('project.info', {})).categories[0];
    // Per coarse type: 2 few-shot anomalies each, so exactly one cluster per type (N < 4, METHOD.md §1).
    await done(engine.call('clusters.run', { categoryId: cat.id, perType: true }));
    await done(engine.call('masks.generate', { categoryId: cat.id, count: 3, seed: 2 }));
    clusters = (await engine.call('clusters.get', { categoryId: cat.id })).clusters;
    const masks = (await engine.call('masks.list', { categoryId: cat.id, limit: 100 })).items;
    maskCluster = new Map(masks.map((m) => [m.id, m.clusterId!]));
  } finally {
    await engine.close();
  }
  await installPack(writeSd15Pack(join(work, 'src-sd15')), join(userData, 'packs'));
});
afterAll(() => {
  delete process.env.GAA_USER_DATA;
  rmSync(work, { recursive: true, force: true });
});

const ef = (seed: number, tokens = 8): Float32Array => weights(tokens * DIM, 0.8, seed);

describe('gaa concepts and gaa synth --generator diffusion', () => {
  it('has two clusters with aligned masks to work on', () => {
    expect(clusters).toHaveLength(2);
    expect(new Set(maskCluster.values())).toEqual(new Set(clusters.map((c) => c.id)));
  });

  it('export-bundle writes each cluster’s few-shot pairs with the project’s masks byte for byte', async () => {
    const r = await cli(['concepts', 'export-bundle', '--project', project, '--category', 'board', '--out', join(work, 'bundles'), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { root: string; clusters: { id: string; name: string; members: number }[] };
    expect(doc.root).toBe(join(work, 'bundles', 'board-concept-bundle'));
    expect(doc.clusters).toEqual(clusters.map((c) => ({ id: String(c.id), name: c.name, members: c.members.length })));
    const bundle = JSON.parse(readFileSync(join(doc.root, 'bundle.json'), 'utf8')) as {
      featureTokens: number;
      positionTokens: number;
      clusters: { id: string; members: { image: string; mask: string }[] }[];
    };
    expect([bundle.featureTokens, bundle.positionTokens]).toEqual([8, 4]);
    const maskFiles = await withEngine(async (e) => clusters.map((c) => c.members.map((m) => e.image(m.imageId).masks.find((x) => x.id === m.maskId)!.file)));
    const imageFiles = await withEngine(async (e) => clusters.map((c) => c.members.map((m) => e.image(m.imageId).sourcePath)));
    clusters.forEach((c, ci) => {
      const b = bundle.clusters.find((x) => x.id === String(c.id))!;
      expect(b.members).toHaveLength(c.members.length);
      b.members.forEach((m, mi) => {
        expect(readFileSync(join(doc.root, m.mask)).equals(readFileSync(maskFiles[ci][mi]))).toBe(true);
        expect(readFileSync(join(doc.root, m.image)).equals(readFileSync(imageFiles[ci][mi]))).toBe(true);
      });
    });
    // No staging folder left beside the bundle.
    expect(readdirSync(join(work, 'bundles'))).toEqual(['board-concept-bundle']);
  });

  it('import refuses a pack naming a cluster the category does not have, naming the id, and installs nothing', async () => {
    const pack = writeConceptsPack(join(work, 'cp-unknown'), (m) => (m.name = 'cp-unknown'), { [String(clusters[0].id)]: ef(3), '999': ef(4) });
    const r = await cli(['concepts', 'import', '--project', project, '--category', 'board', '--pack', pack, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error.message).toContain("cluster id '999' is not a cluster of this category");
    expect(r.stderr).toContain("cluster id '999' is not a cluster of this category");
    expect(existsSync(join(userData, 'packs', 'cp-unknown'))).toBe(false);
    expect(readdirSync(join(userData, 'packs')).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('import refuses an e_f whose shape is not featureTokens × embeddingDim', async () => {
    const pack = writeConceptsPack(join(work, 'cp-shape'), (m) => (m.name = 'cp-shape'), { [String(clusters[0].id)]: ef(3, 7) });
    const r = await cli(['concepts', 'import', '--project', project, '--category', 'board', '--pack', pack]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cluster '${clusters[0].id}' e_f 'e_f/${clusters[0].id}.npy' is [7, ${DIM}] but must be [8, ${DIM}]`);
    expect(existsSync(join(userData, 'packs', 'cp-shape'))).toBe(false);
  });

  it('import installs a pack for one cluster, binds it and reports the other cluster as without concept', async () => {
    const [withC, withoutC] = clusters;
    const pack = writeConceptsPack(join(work, 'cp-good'), (m) => (m.name = 'board-concepts'), { [String(withC.id)]: ef(5) });
    const r = await cli(['concepts', 'import', '--project', project, '--category', 'board', '--pack', pack, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.pack.name).toBe('board-concepts');
    expect(doc.alreadyInstalled).toBe(false);
    expect(doc.withoutConcept).toEqual([{ id: withoutC.id, name: withoutC.name }]);
    expect(existsSync(join(userData, 'packs', 'board-concepts', 'pack.json'))).toBe(true);
    const status = await withEngine(async (e) => e.call('concepts.get', { categoryId: doc.categoryId }));
    expect(status.pack?.name).toBe('board-concepts');
    expect(status.clusters).toEqual([
      { id: withC.id, name: withC.name, concept: true },
      { id: withoutC.id, name: withoutC.name, concept: false },
    ]);
    // The same pack again: kept as installed, still bound.
    const again = await cli(['concepts', 'import', '--project', project, '--category', 'board', '--pack', pack, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).alreadyInstalled).toBe(true);
  });

  it('synth --generator diffusion makes the concept cluster’s pairs, reports the other cluster per pair, and re-runs make nothing new', async () => {
    const [withC, withoutC] = clusters;
    const args = ['synth', '--project', project, '--category', 'board', '--per-cluster', '3', '--generator', 'diffusion', '--sd-pack', 'tiny-sd15', '--steps', '3', '--guidance', '2', '--json'];
    const r = await cli(args);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout) as { generator: string; made: number; failed: { alignedMaskId: number; reason: string }[]; samples: { id: number }[] };
    const expectedMade = [...maskCluster.values()].filter((c) => c === withC.id).length;
    const expectedFailed = [...maskCluster.values()].filter((c) => c === withoutC.id).length;
    expect(rep.generator).toBe('diffusion');
    expect(rep.made).toBe(expectedMade);
    expect(rep.failed).toHaveLength(expectedFailed);
    for (const f of rep.failed) {
      expect(maskCluster.get(f.alignedMaskId)).toBe(withoutC.id);
      expect(f.reason).toBe(
        `cluster ${withoutC.id} has no concept in pack 'board-concepts': import a concept pack trained for it, or use the exemplar generator for this cluster`,
      );
    }

    const db = new Database(join(project, 'project.gaa.sqlite'), { readonly: true });
    const rows = db
      .prepare('SELECT id, cluster_id, aligned_mask_id, normal_image_id, generator, generator_version, params, seed, image_blob FROM samples')
      .all() as { id: number; cluster_id: number; aligned_mask_id: number; normal_image_id: number; generator: string; generator_version: string; params: string; seed: number; image_blob: string }[];
    db.close();
    expect(rows).toHaveLength(expectedMade);
    for (const row of rows) {
      expect(row.cluster_id).toBe(withC.id);
      expect(row.generator).toBe('diffusion');
      expect(row.generator_version).toContain('tiny-sd15@0.0.1');
      expect(row.generator_version).toContain('board-concepts@0.0.1');
      expect(JSON.parse(row.params)).toEqual({
        generator: 'diffusion',
        sd15Pack: { name: 'tiny-sd15', version: '0.0.1' },
        conceptsPack: { name: 'board-concepts', version: '0.0.1' },
        steps: 3,
        guidance: 2,
        provider: 'auto',
      });
    }

    // Pixels farther than the generator's dilation from the aligned mask are the normal image's bytes.
    await withEngine(async (e) => {
      for (const row of rows) {
        const normal = await loadRaster(e.image(row.normal_image_id).sourcePath, 1e8);
        const sample = await loadRaster((await e.resolveImage(`sample/${row.id}`))!.filePath, 1e8);
        const mask = await loadMask((await e.resolveImage(`aligned-mask/${row.aligned_mask_id}`))!.filePath);
        // Default ring of the diffusion generator: one latent cell at the pack's resolution, 8·64/32 = 16 px.
        const far = farFromMask(mask, 16);
        let changedInside = 0;
        let checked = 0;
        expect([sample.width, sample.height, sample.channels]).toEqual([normal.width, normal.height, normal.channels]);
        for (let p = 0; p < mask.width * mask.height; p++) {
          for (let c = 0; c < normal.channels; c++) {
            const i = p * normal.channels + c;
            if (far[p]) {
              checked++;
              if (sample.data[i] !== normal.data[i]) throw new Error(`sample ${row.id}: pixel ${p} channel ${c} outside the dilated mask changed`);
            } else if (mask.data[p] && sample.data[i] !== normal.data[i]) changedInside++;
          }
        }
        expect(checked).toBeGreaterThan(0);
        expect(changedInside).toBeGreaterThan(0);
      }
    });

    const again = await cli(args);
    expect(again.code).toBe(0);
    const rep2 = JSON.parse(again.stdout) as { made: number; samples: unknown[] };
    expect(rep2.made).toBe(0);
    expect(rep2.samples).toHaveLength(expectedMade);
  });

  it('synth --generator diffusion without an installed sd pack says which pack is missing', async () => {
    const r = await cli(['synth', '--project', project, '--category', 'board', '--generator', 'diffusion', '--sd-pack', 'no-such-pack']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`gaa: no pack named 'no-such-pack' is installed in ${join(userData, 'packs')}\n`);
  });
});

/** 1 where no mask pixel lies within `radius` (Chebyshev distance), by brute force. */
function farFromMask(mask: Mask, radius: number): Uint8Array {
  const { width: w, height: h } = mask;
  const far = new Uint8Array(w * h).fill(1);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!mask.data[y * w + x]) continue;
      for (let yy = Math.max(0, y - radius); yy <= Math.min(h - 1, y + radius); yy++) {
        for (let xx = Math.max(0, x - radius); xx <= Math.min(w - 1, x + radius); xx++) far[yy * w + xx] = 0;
      }
    }
  }
  return far;
}
