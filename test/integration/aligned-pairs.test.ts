import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SampleInfo } from '../../src-main/api/types';
import { demoMasks, demoRegions } from '../../src-main/cli/demo-stages';
import { planDataset } from '../../src-main/core/demo/plan';
import { renderItem } from '../../src-main/core/demo/render';
import { Engine } from '../../src-main/engine/engine';
import { defaultRecipePath, loadRecipe, type DemoSummary } from '../../src-main/io/demo-writer';
import { sharedDemoDataset } from '../fixtures/demo';

/**
 * Issue 11's rule "aligned by construction", checked on every pair the demo generates and on
 * pairs generated from each real development category: outside the aligned mask grown by
 * max(1, 0.5 % of the longer side) px, no pixel differs from the normal image by more than 8 grey
 * levels. The check here is written independently of core/generate/alignment.ts: a pixel that
 * changed by more than 8 must have a mask pixel within that Euclidean distance.
 */

const TOLERANCE = 8;

interface Pixels {
  data: Buffer;
  width: number;
  height: number;
  channels: number;
}

async function pixels(file: string): Promise<Pixels> {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

async function maskPixels(file: string): Promise<Pixels> {
  const { data, info } = await sharp(file).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** Pixels changed by more than the tolerance with no mask pixel within `band` px, and the largest such change. */
async function changesOutside(pair: SampleInfo, normalFile: string): Promise<{ count: number; max: number; band: number }> {
  const out = await pixels(pair.file);
  const normal = await pixels(normalFile);
  const mask = await maskPixels(pair.maskFile);
  expect([out.width, out.height]).toEqual([normal.width, normal.height]);
  expect([mask.width, mask.height]).toEqual([normal.width, normal.height]);
  // Compare colour channels; a grey normal image may come back as grey while the pair is RGB.
  const colours = (p: Pixels) => (p.channels === 2 || p.channels === 4 ? p.channels - 1 : p.channels);
  const band = Math.max(1, Math.round(0.005 * Math.max(normal.width, normal.height)));
  let count = 0;
  let max = 0;
  const { width, height } = normal;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      let d = 0;
      for (let c = 0; c < Math.max(colours(out), colours(normal)); c++) {
        const a = out.data[i * out.channels + Math.min(c, colours(out) - 1)];
        const b = normal.data[i * normal.channels + Math.min(c, colours(normal) - 1)];
        d = Math.max(d, Math.abs(a - b));
      }
      if (d <= TOLERANCE) continue;
      let near = false;
      for (let dy = -band; dy <= band && !near; dy++) {
        for (let dx = -band; dx <= band && !near; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (dx * dx + dy * dy > band * band || xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
          if (mask.data[(yy * width + xx) * mask.channels] > 127) near = true;
        }
      }
      if (!near) {
        count++;
        max = Math.max(max, d);
      }
    }
  }
  return { count, max, band };
}

/** Fraction of the mask's pixels changed by more than the tolerance in some colour channel. */
async function visibleInside(pair: SampleInfo, normalFile: string): Promise<number> {
  const out = await pixels(pair.file);
  const normal = await pixels(normalFile);
  const mask = await maskPixels(pair.maskFile);
  const colours = (p: Pixels) => (p.channels === 2 || p.channels === 4 ? p.channels - 1 : p.channels);
  let inside = 0;
  let visible = 0;
  for (let i = 0; i < normal.width * normal.height; i++) {
    if (mask.data[i * mask.channels] <= 127) continue;
    inside++;
    let d = 0;
    for (let c = 0; c < Math.max(colours(out), colours(normal)); c++) {
      d = Math.max(d, Math.abs(out.data[i * out.channels + Math.min(c, colours(out) - 1)] - normal.data[i * normal.channels + Math.min(c, colours(normal) - 1)]));
    }
    if (d > TOLERANCE) visible++;
  }
  return visible / inside;
}

async function done(engine: Engine, p: Promise<{ jobId: number }>): Promise<void> {
  const f = await engine.waitForJob((await p).jobId);
  expect(f.error).toBeNull();
  expect(f.status).toBe('done');
}

async function allPairs(engine: Engine, categoryId: number): Promise<SampleInfo[]> {
  return (await engine.call('samples.list', { categoryId, limit: 2000 })).items;
}

describe('every pair the demo generates', () => {
  let work: string;
  let engine: Engine;
  let demo: DemoSummary;
  const pairs = new Map<string, SampleInfo[]>();

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'gaa-aligned-'));
    demo = await sharedDemoDataset();
    engine = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
    await engine.call('project.create', { dir: join(work, 'project') });
    await done(engine, engine.call('dataset.import', { source: demo.root, layout: 'mvtec' }));
    const info = await engine.call('project.info', {});
    for (const c of info.categories) await done(engine, engine.call('clusters.run', { categoryId: c.id }));
    await demoRegions(engine, demo.truthPath, work);
    await demoMasks(engine, 6);
    for (const c of info.categories) {
      await done(engine, engine.call('synth.run', { categoryId: c.id, perCluster: 6, seed: 5 }));
      pairs.set(c.name, await allPairs(engine, c.id));
    }
  });
  afterAll(async () => {
    await engine.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('changes no pixel by more than 8 grey levels outside its mask grown by max(1, 0.5 % of the longer side), and records that', async () => {
    let checked = 0;
    for (const [name, list] of pairs) {
      expect(list.length, name).toBeGreaterThan(0);
      for (const p of list) {
        const outside = await changesOutside(p, engine.image(p.normalImageId).sourcePath);
        expect(outside, `${name} pair ${p.id} (${p.cluster}, ${p.blendMode})`).toMatchObject({ count: 0 });
        expect(p.outsideChange, `${name} pair ${p.id}`).not.toBeNull();
        expect(p.outsideChange!.overTolerance).toBe(0);
        expect(p.outsideChange!.max).toBeLessThanOrEqual(TOLERANCE);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(20);
  });

  it('records how much of each mask visibly changed, as a reading of the stored pixels gives it', async () => {
    let checked = 0;
    for (const [name, list] of pairs) {
      for (const p of list) {
        const visible = await visibleInside(p, engine.image(p.normalImageId).sourcePath);
        expect(p.insideVisible, `${name} pair ${p.id} (${p.cluster}, ${p.blendMode})`).toBeCloseTo(visible, 9);
        // Every demo cluster has exemplars of measurable contrast, so every pair has its ratio.
        expect(p.contrastRatio, `${name} pair ${p.id}`).toEqual(expect.any(Number));
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(20);
  });

  it('makes a missing-nuts pair whose compartment looks like the truth renderer’s empty compartment of that box', async () => {
    const truthRecipe = loadRecipe(defaultRecipePath());
    const { seed, scale } = JSON.parse(readFileSync(demo.truthPath, 'utf8')) as { seed: number; scale: number };
    const plan = planDataset(truthRecipe, seed, scale);
    const nutbox = truthRecipe.categories.find((c) => c.name === 'nutbox')!;
    const missing = nutbox.anomalies.find((a) => a.subtype === 'missing_nuts')!;
    const logical = pairs.get('nutbox')!.filter((p) => p.blendMode === 'exemplar-region' || p.blendMode === 'inpaint');
    expect(logical.length).toBeGreaterThanOrEqual(3);
    const ratios: number[] = [];
    for (const p of logical) {
      const rel = relative(demo.root, engine.image(p.normalImageId).sourcePath).split('\\').join('/');
      const item = plan.find((it) => it.relPath === rel);
      expect(item, rel).toBeDefined();
      const box = renderItem(item!, seed);
      // The same box, same light and same sensor noise, drawn with its nuts missing.
      const twin = renderItem({ ...item!, anomaly: missing }, seed);
      const nuts = box.regions!.nuts;
      const out = await pixels(p.file);
      let pairToTwin = 0;
      let normalToTwin = 0;
      let n = 0;
      for (let i = 0; i < nuts.length; i++) {
        if (nuts[i] === 0) continue;
        for (let c = 0; c < 3; c++) {
          pairToTwin += Math.abs(out.data[i * out.channels + c] - twin.pixels[i * 3 + c]);
          normalToTwin += Math.abs(box.pixels[i * 3 + c] - twin.pixels[i * 3 + c]);
        }
        n += 3;
      }
      ratios.push(pairToTwin / normalToTwin);
      // Inside the compartment the pair is much nearer the empty compartment than the full one was.
      expect(pairToTwin / n, `${rel}: mean |pair − empty twin| vs |full − empty twin| = ${(normalToTwin / n).toFixed(1)}`).toBeLessThan(0.5 * (normalToTwin / n));
    }
    expect(ratios.length).toBe(logical.length);
  });
});

/** `../shared/devdata` beside the repository (evaluation-only data, never copied into it). */
const DEVDATA = resolve(__dirname, '../../../shared/devdata');
const devCategories = existsSync(DEVDATA) ? readdirSync(DEVDATA).filter((d) => existsSync(join(DEVDATA, d, 'train', 'good'))) : [];

describe.skipIf(devCategories.length === 0)(
  devCategories.length ? `pairs generated from the real development categories in ${DEVDATA}` : `pairs generated from the real development categories: skipped, ${DEVDATA} is absent on this machine`, () => {
  let work: string;
  let engine: Engine;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'gaa-aligned-dev-'));
    engine = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
    await engine.call('project.create', { dir: join(work, 'project') });
    await done(engine, engine.call('dataset.import', { source: DEVDATA, layout: 'mvtec' }));
  });
  afterAll(async () => {
    await engine.close();
    rmSync(work, { recursive: true, force: true });
  });

  it.each(devCategories)('%s: changes no pixel by more than 8 grey levels outside the grown mask', async (name) => {
    const cat = (await engine.call('project.info', {})).categories.find((c) => c.name === name)!;
    await done(engine, engine.call('clusters.run', { categoryId: cat.id }));
    await done(engine, engine.call('masks.generate', { categoryId: cat.id, count: 2, seed: 1 }));
    await done(engine, engine.call('synth.run', { categoryId: cat.id, perCluster: 2, seed: 1 }));
    const list = await allPairs(engine, cat.id);
    expect(list.length).toBeGreaterThan(0);
    for (const p of list) {
      const outside = await changesOutside(p, engine.image(p.normalImageId).sourcePath);
      expect(outside, `${name} pair ${p.id} (${p.cluster}, ${p.blendMode})`).toMatchObject({ count: 0 });
      expect(p.outsideChange!.overTolerance).toBe(0);
    }
  });
});
