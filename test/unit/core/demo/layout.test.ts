import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoTruth } from '../../../../src-main/core/demo';
import { generateDemoDataset, type DemoSummary } from '../../../../src-main/io/demo-writer';
import { decode, listFiles, storedChannels } from './image-stats';

// The recipe is read here as plain JSON, so expected counts do not come from the generator's parser.
const recipe = JSON.parse(readFileSync(join(__dirname, '../../../../resources/demo/recipe.json'), 'utf8'));
const SCALE = 0.1;
const scaled = (n: number) => (n <= 0 ? 0 : Math.max(1, Math.round(n * SCALE)));

let work: string;
let out: string;
let summary: DemoSummary;
let files: string[];
let truth: DemoTruth;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'gaa-demo-layout-'));
  out = join(work, 'demo');
  summary = await generateDemoDataset(out, { scale: SCALE });
  files = await listFiles(summary.root);
  truth = JSON.parse(readFileSync(summary.truthPath, 'utf8'));
}, 120_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('demo dataset layout', () => {
  it('writes the MVTec folders with the counts the recipe asks for', () => {
    expect(summary.generated).toBe(true);
    expect(summary.root).toBe(join(out, 'mvtec'));
    expect(summary.truthPath).toBe(join(out, 'truth', 'truth.json'));
    for (const cat of recipe.categories) {
      const inFolder = (folder: string) => files.filter((f) => f.startsWith(`${cat.name}/${folder}/`) && /^\d{3}\.png$/.test(basename(f))).length;
      expect(inFolder('train/good')).toBe(scaled(cat.train));
      expect(inFolder('test/good')).toBe(scaled(cat.testGood));
      const perFolder: Record<string, number> = {};
      for (const a of cat.anomalies) perFolder[a.folder] = (perFolder[a.folder] ?? 0) + scaled(a.count);
      for (const [folder, n] of Object.entries(perFolder)) {
        expect(inFolder(`test/${folder}`)).toBe(n);
        const masks = files.filter((f) => f.startsWith(`${cat.name}/ground_truth/${folder}/`));
        expect(masks).toHaveLength(n);
        expect(masks.every((m) => /^\d{3}_mask\.png$/.test(basename(m)))).toBe(true);
      }
      const s = summary.categories.find((c) => c.name === cat.name)!;
      expect(s.normal).toBe(scaled(cat.train) + scaled(cat.testGood));
      expect(s.defectTypes).toEqual(perFolder);
    }
  });

  it('pools at least three tile subtypes in one coarse defect folder', () => {
    const subtypes = new Set(Object.values(truth.categories.tile.anomalies).map((a) => a.subtype));
    expect(subtypes.size).toBeGreaterThanOrEqual(3);
    expect(files.filter((f) => f.startsWith('tile/test/') && !f.startsWith('tile/test/good/')).every((f) => f.startsWith('tile/test/defect/'))).toBe(true);
  });

  it('gives every anomaly a binary, non-empty mask of its own image size', async () => {
    for (const f of files.filter((p) => p.includes('/ground_truth/'))) {
      const mask = await decode(join(summary.root, f));
      const image = await decode(join(summary.root, f.replace('/ground_truth/', '/test/').replace('_mask.png', '.png')));
      expect([mask.width, mask.height]).toEqual([image.width, image.height]);
      expect(image.channels).toBe(3);
      expect(await storedChannels(join(summary.root, f))).toBe(1);
      let on = 0;
      let other = 0;
      for (let i = 0; i < mask.width * mask.height; i++) {
        const v = mask.data[i * mask.channels];
        if (v === 255) on++;
        else if (v !== 0) other++;
      }
      expect(other).toBe(0);
      expect(on).toBeGreaterThan(0);
      expect(on).toBeLessThan(mask.width * mask.height * 0.5);
    }
  });

  it('uses at least two image sizes in every category', async () => {
    for (const cat of recipe.categories) {
      const sizes = new Set<string>();
      for (const f of files.filter((p) => p.startsWith(`${cat.name}/`) && !p.includes('ground_truth'))) {
        const img = await decode(join(summary.root, f));
        sizes.add(`${img.width}x${img.height}`);
      }
      expect(sizes.size).toBeGreaterThanOrEqual(2);
    }
  });

  it('records the subtype and kind of every anomaly image in the hidden truth', () => {
    for (const cat of recipe.categories) {
      const anomalies = files.filter((f) => f.startsWith(`${cat.name}/test/`) && !f.startsWith(`${cat.name}/test/good/`));
      expect(Object.keys(truth.categories[cat.name].anomalies).sort()).toEqual(anomalies);
      for (const [rel, a] of Object.entries(truth.categories[cat.name].anomalies)) {
        const spec = cat.anomalies.find((s: { subtype: string }) => s.subtype === a.subtype);
        expect(spec, rel).toBeDefined();
        expect(a.kind).toBe(spec.kind);
        expect(rel.startsWith(`${cat.name}/test/${spec.folder}/`)).toBe(true);
      }
    }
    expect(truth.categories.nutbox.anomalies['nutbox/test/missing_nuts/000.png'].kind).toBe('logical');
  });

  it('has non-empty, barely overlapping region masks for every normal nutbox image', async () => {
    const regions = truth.categories.nutbox.regions;
    expect(regions.names).toEqual(expect.arrayContaining(['container', 'nuts', 'cereal']));
    const normals = files.filter((f) => f.startsWith('nutbox/') && f.includes('/good/'));
    expect(Object.keys(regions.images).sort()).toEqual(normals);
    for (const rel of normals) {
      const image = await decode(join(summary.root, rel));
      const union = new Uint8Array(image.width * image.height);
      let total = 0;
      for (const name of regions.names) {
        const m = await decode(join(out, 'truth', regions.images[rel][name]));
        expect([m.width, m.height]).toEqual([image.width, image.height]);
        expect(await storedChannels(join(out, 'truth', regions.images[rel][name]))).toBe(1);
        let on = 0;
        for (let i = 0; i < union.length; i++) {
          if (!m.data[i * m.channels]) continue;
          on++;
          union[i]++;
        }
        expect(on, `${rel} ${name}`).toBeGreaterThan(union.length * 0.01);
        total += on;
      }
      let overlapping = 0;
      for (let i = 0; i < union.length; i++) if (union[i] > 1) overlapping++;
      expect(overlapping / total).toBeLessThan(0.02);
    }
  });

  it('marks a missing-nuts anomaly with a mask the size of the nuts compartment', async () => {
    const nutsAreas: number[] = [];
    for (const entry of Object.values(truth.categories.nutbox.regions.images)) {
      const m = await decode(join(out, 'truth', entry.nuts));
      nutsAreas.push(m.data.reduce((n, v) => n + (v ? 1 : 0), 0) / (m.width * m.height));
    }
    const lo = Math.min(...nutsAreas) * 0.85;
    const hi = Math.max(...nutsAreas) * 1.15;
    const missing = files.filter((f) => f.startsWith('nutbox/ground_truth/missing_nuts/'));
    expect(missing.length).toBeGreaterThan(0);
    for (const f of missing) {
      const m = await decode(join(summary.root, f));
      const frac = m.data.reduce((n, v) => n + (v ? 1 : 0), 0) / (m.width * m.height);
      expect(frac).toBeGreaterThan(lo);
      expect(frac).toBeLessThan(hi);
    }
  });

  it('returns without rewriting when the same recipe version is already there', async () => {
    const probe = join(summary.root, 'tile/train/good/000.png');
    const before = (await stat(probe)).mtimeMs;
    const again = await generateDemoDataset(out, { scale: SCALE });
    expect(again.generated).toBe(false);
    expect(again.categories).toEqual(summary.categories);
    expect((await stat(probe)).mtimeMs).toBe(before);
  });

  it('regenerates after an interrupted run and clears the dead run\'s staging folder', async () => {
    // The mechanism does not depend on the content: a one-category, three-image recipe keeps it quick.
    const tile = recipe.categories.find((c: { name: string }) => c.name === 'tile');
    const tiny = { ...recipe, version: 'tiny', categories: [{ ...tile, train: 1, testGood: 1, anomalies: [{ ...tile.anomalies[0], count: 1 }] }] };
    const recipePath = join(work, 'tiny.json');
    await writeFile(recipePath, JSON.stringify(tiny));
    const small = join(work, 'interrupted');
    const first = await generateDemoDataset(small, { recipePath });
    const complete = await listFiles(first.root);
    expect(complete).toHaveLength(4);
    // A run killed before publishing leaves a staging folder named after its (now dead) pid and no stamp.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const stale = `${small}.tmp-${dead}-deadbeef`;
    await mkdir(join(stale, 'mvtec'), { recursive: true });
    await unlink(join(small, 'demo.json'));
    await rm(join(first.root, 'tile/train/good/000.png'));
    const again = await generateDemoDataset(small, { recipePath });
    expect(again.generated).toBe(true);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(join(small, 'demo.json'))).toBe(true);
    expect(await listFiles(again.root)).toEqual(complete);
  });
});
