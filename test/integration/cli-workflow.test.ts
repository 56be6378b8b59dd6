/**
 * The scripted pipeline of issue 17 through `gaa` in-process, on a small generated dataset:
 * cluster settings from the command line, synth before masks, per-cluster counts with totals,
 * exports that say what they leave out, folders by imported defect type, `--exact`.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/main';
import { writeMvtecFixture } from '../fixtures/mvtec-fixture';

let work: string;
let project: string;

async function cli(...args: string[]): Promise<{ code: number; doc: any; stderr: string; stdout: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli([...args, '--project', project, '--json'], { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  let doc: unknown = null;
  try {
    doc = JSON.parse(stdout);
  } catch {
    doc = null;
  }
  return { code, doc, stderr, stdout };
}

const SCORER = ['--epochs', '1', '--train-images', '4', '--batch-images', '1', '--patch-fraction', '0.25'];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gaa-cli-workflow-'));
  process.env.GAA_USER_DATA = join(work, 'userdata');
  project = join(work, 'project');
  // Few-shot split: a third of each type, at least one: crack 4 of 12, hole 1 of 3.
  const truth = await writeMvtecFixture(join(work, 'dataset'), { category: 'widget', trainGood: 8, testGood: 2, defects: { crack: 12, hole: 3 } }, false);
  expect((await cli('import', truth.root)).code).toBe(0);
  // One cluster per imported type: crack (4 members) and hole (1).
  expect((await cli('cluster', '--per-type', '--rounds', '1')).code).toBe(0);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('gaa cluster', () => {
  it('says a per-type clustering made one cluster per defect type, not "0 rounds"', async () => {
    let out = '';
    const code = await runCli(['cluster', '--per-type', '--project', project], { out: (t) => (out += t), err: () => undefined });
    expect(code).toBe(0);
    expect(out).toContain('widget: 2 clusters one per defect type');
    expect(out).not.toMatch(/round/);
  });
});

describe('gaa clusters and gaa regions', () => {
  it('lists the clusters with their share of the pairs and flags the one under 3 members', async () => {
    const r = await cli('clusters', 'list');
    expect(r.code).toBe(0);
    const sizes = r.doc.clusters.map((c: { size: number }) => c.size).sort();
    expect(sizes).toEqual([1, 4]);
    const hole = r.doc.clusters.find((c: { size: number }) => c.size === 1);
    const crack = r.doc.clusters.find((c: { size: number }) => c.size === 4);
    expect(hole).toMatchObject({ small: true, share: 0.2, defectTypes: { hole: 1 } });
    expect(crack).toMatchObject({ small: false, share: 0.8, defectTypes: { crack: 4 } });
    expect(r.doc.warnings).toHaveLength(1);
    expect(r.doc.warnings[0]).toContain(hole.name);
  });

  it('renames, sets the kind and the placement rule, and refuses a region the category lacks', async () => {
    const list = (await cli('clusters', 'list')).doc;
    const crack = list.clusters.find((c: { size: number }) => c.size === 4);
    const hole = list.clusters.find((c: { size: number }) => c.size === 1);
    expect((await cli('clusters', 'rename', String(crack.id), 'cracks')).code).toBe(0);
    expect((await cli('clusters', 'rename', String(hole.id), 'holes')).code).toBe(0);

    // By name; a logical cluster's mode is logical, and back to structural it takes the first structural mode.
    let r = await cli('clusters', 'set-kind', 'holes', 'logical');
    expect(r.code).toBe(0);
    expect(r.doc.clusters.find((c: { id: number }) => c.id === hole.id)).toMatchObject({ kind: 'logical', rule: { mode: 'logical' } });
    r = await cli('clusters', 'set-kind', 'holes', 'structural');
    expect(r.doc.clusters.find((c: { id: number }) => c.id === hole.id)).toMatchObject({ kind: 'structural', rule: { mode: 'learned' } });

    r = await cli('clusters', 'set-rule', 'cracks', '--mode', 'edge', '--region', 'rim');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no region "rim" in this category/);
    // Name a region: imported as a label file, it is then listed and accepted by a rule.
    const labels = join(work, 'labels');
    mkdirSync(labels, { recursive: true });
    const mask = Buffer.alloc(48 * 48);
    for (let i = 0; i < 48 * 10; i++) mask[i] = 255;
    await sharp(mask, { raw: { width: 48, height: 48, channels: 1 } }).png().toFile(join(labels, '001__rim.png'));
    expect((await cli('regions', 'import', '--category', 'widget', '--from', labels)).code).toBe(0);
    expect((await cli('regions', 'list', '--category', 'widget')).doc.regions.map((x: { name: string }) => x.name)).toEqual(['rim']);
    r = await cli('clusters', 'set-rule', 'cracks', '--mode', 'edge', '--region', 'rim', '--rotation=-20,20', '--alpha', '0.5', '--size', 'exemplars');
    expect(r.code).toBe(0);
    expect(r.doc.clusters.find((c: { id: number }) => c.id === crack.id).rule).toMatchObject({ mode: 'edge', region: 'rim', rotation: [-20, 20], alpha: 0.5, size: 'exemplars' });
    expect((await cli('clusters', 'set-rule', 'cracks', '--size', 'median')).code).toBe(2);
    // A structural cluster cannot take the logical mode: a usage error.
    expect((await cli('clusters', 'set-rule', 'cracks', '--mode', 'logical')).code).toBe(2);
    // Back to the implicit region for the masks below (no image but one is labelled).
    r = await cli('clusters', 'set-rule', 'cracks', '--mode', 'inside', '--region', 'implicit');
    expect(r.doc.clusters.find((c: { id: number }) => c.id === crack.id).rule).toMatchObject({ mode: 'inside', region: null });
  });
});

describe('masks, synth, score and filter count per cluster and say so', () => {
  it('synth before masks makes the masks first, shared by cluster size, and says so', async () => {
    const r = await cli('synth', '--total', '10');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/no aligned masks yet: making them first/);
    // 10 by size 4 : 1 → 8 and 2 (an equal share would be 5 and 5).
    const asked = Object.fromEntries(r.doc.masksMadeFirst.perCluster.map((c: { cluster: string; asked: number }) => [c.cluster, c.asked]));
    expect(asked).toEqual({ cracks: 8, holes: 2 });
    expect(r.doc.allocation.allocation).toBe('proportional');
    expect(r.doc.made).toBe(r.doc.samples.length);
    expect(r.doc.made).toBe(r.doc.masksMadeFirst.made);
    expect(r.doc.total).toBe(r.doc.made);
    expect(r.doc.warnings.join(' ')).toContain('"holes" has only 1 member');
  });

  it('reports made (this run) and total (now) apart: a second run makes nothing new', async () => {
    const r = await cli('synth', '--total', '10');
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/making them first/);
    expect(r.doc.made).toBe(0);
    expect(r.doc.total).toBe(r.doc.samples.length);
    expect(r.doc.total).toBeGreaterThan(0);
  });

  it('masks --per-cluster gives each cluster the same count, and --count still works and names its new name', async () => {
    let r = await cli('masks', '--per-cluster', '3', '--seed', '5');
    expect(r.code).toBe(0);
    expect(r.doc.allocation.allocation).toBe('perCluster');
    expect(r.doc.perCluster.map((c: { asked: number }) => c.asked)).toEqual([3, 3]);
    expect(r.doc.made).toBe(r.doc.perCluster.reduce((n: number, c: { made: number }) => n + c.made, 0));
    expect(r.doc.total).toBe(r.doc.masks.length);
    // The rule set from the command line is the one the masks were placed by.
    const cracks = r.doc.masks.filter((m: { cluster: string }) => m.cluster === 'cracks');
    expect(cracks.length).toBeGreaterThan(0);
    for (const m of cracks) expect([m.mode, m.region]).toEqual(['inside', null]);
    r = await cli('masks', '--count', '1', '--seed', '6');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/--count is now --per-cluster/);
    expect(r.doc.perCluster.map((c: { asked: number }) => c.asked)).toEqual([1, 1]);
  });

  it('score says the filter keeps per cluster, with the totals, and warns when it keeps every pair', async () => {
    await cli('synth');
    const r = await cli('score', ...SCORER);
    expect(r.code).toBe(0);
    expect(r.doc.keepPerCluster).toBe(500);
    expect(r.doc.kept).toBe(r.doc.scored);
    expect(r.doc.keep.total).toBe(r.doc.scored);
    expect(r.doc.warnings[0]).toMatch(/kept every pair .*500 per cluster/);
    expect(r.stderr).toMatch(/warning: the filter kept every pair/);
  });

  it('filter --keep-per-cluster keeps that many in each cluster and reports the share per cluster and blend mode', async () => {
    const r = await cli('filter', '--keep-per-cluster', '2');
    expect(r.code).toBe(0);
    const per = r.doc.perCluster as { cluster: string; pairs: number; kept: number; share: number }[];
    expect(per.map((c) => c.kept)).toEqual(per.map((c) => Math.min(2, c.pairs)));
    expect(r.doc.kept).toBe(per.reduce((n, c) => n + c.kept, 0));
    expect(r.doc.total).toBe(per.reduce((n, c) => n + c.pairs, 0));
    const modes = r.doc.perBlendMode as { pairs: number; kept: number; share: number }[];
    expect(modes.reduce((n, m) => n + m.kept, 0)).toBe(r.doc.kept);
    expect(modes.reduce((n, m) => n + m.pairs, 0)).toBe(r.doc.total);
    for (const m of modes) expect(m.share).toBeCloseTo(m.kept / m.pairs, 3);
    const old = await cli('filter', '--keep', '2');
    expect(old.code).toBe(0);
    expect(old.stderr).toMatch(/--keep is now --keep-per-cluster/);
    expect((await cli('filter')).code).toBe(2);
  });
});

describe('gaa export', () => {
  it('says so, in the JSON and on stderr, when it leaves out every synthetic pair', async () => {
    const r = await cli('export', '--out', join(work, 'ex-accepted'), '--accepted-only');
    expect(r.code).toBe(0);
    expect(r.doc.synthetic.pairs).toBe(0);
    expect(r.doc.synthetic.inProject).toBeGreaterThan(0);
    expect(r.doc.warnings[0]).toMatch(/holds no synthetic pairs: none of the \d+ generated pairs was accepted/);
    expect(r.stderr).toMatch(/warning: this export holds no synthetic pairs/);
    // The filter's result, exported as kept: no warning.
    const kept = await cli('export', '--out', join(work, 'ex-kept'), '--selection', 'kept');
    expect(kept.doc.synthetic.pairs).toBeGreaterThan(0);
    expect(kept.doc.warnings).toEqual([]);
  });

  it('puts pairs in folders of their imported defect type by default, the cluster in the manifest', async () => {
    const r = await cli('export', '--out', join(work, 'ex-types'), '--name', 'by-type');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`export written to ${join(work, 'ex-types', 'by-type')}`);
    const root = r.doc.root as string;
    expect(readdirSync(join(root, 'widget/test')).sort()).toEqual(['crack', 'good', 'hole']);
    const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
    for (const f of manifest.files) {
      expect(f.image.split('/')[2], f.image).toBe(f.defectType);
      expect(['cracks', 'holes']).toContain(f.cluster);
    }
    const real = manifest.files.filter((f: { source: string }) => f.source === 'real');
    expect(real.length).toBeGreaterThan(0);
    expect(manifest.parameters.layout).toBe('defect-type');

    const byCluster = await cli('export', '--out', join(work, 'ex-types'), '--name', 'by-cluster', '--folders-by', 'cluster');
    expect(readdirSync(join(byCluster.doc.root, 'widget/test')).sort()).toEqual(['cracks', 'good', 'holes']);
  });

  it('--exact writes into --out itself when it is empty, and refuses one that is not', async () => {
    const out = join(work, 'exact');
    mkdirSync(out);
    const r = await cli('export', '--out', out, '--exact');
    expect(r.code).toBe(0);
    expect(r.doc.root).toBe(out);
    expect(existsSync(join(out, 'manifest.json'))).toBe(true);
    expect(existsSync(join(out, 'widget/train/good'))).toBe(true);
    const again = await cli('export', '--out', out, '--exact');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is not empty/);
    const fresh = join(work, 'exact-new', 'deeper');
    expect((await cli('export', '--out', fresh, '--exact')).doc.root).toBe(fresh);
    writeFileSync(join(work, 'x.txt'), 'x');
    expect((await cli('export', '--out', out, '--exact', '--name', 'n')).code).toBe(2);
  });
});

describe('gaa clusters lock and merge', () => {
  it('refuses to merge a locked cluster, and merges once unlocked', async () => {
    expect((await cli('clusters', 'lock', 'holes')).doc.clusters.find((c: { name: string }) => c.name === 'holes').locked).toBe(true);
    const refused = await cli('clusters', 'merge', 'cracks', 'holes');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/locked/);
    expect((await cli('clusters', 'lock', 'holes', '--unlock')).code).toBe(0);
    const merged = await cli('clusters', 'merge', 'cracks', 'holes', '--name', 'defects');
    expect(merged.code).toBe(0);
    expect(merged.doc.clusters).toHaveLength(1);
    expect(merged.doc.clusters[0]).toMatchObject({ name: 'defects', size: 5, small: false });
    expect(merged.doc.warnings).toEqual([]);
  });
});
