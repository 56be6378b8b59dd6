import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { srgb8ToLab } from '../../../src-main/core/image/colour';
import { Engine } from '../../../src-main/engine/engine';
import { upsertCategory } from '../../../src-main/store/categories';

/** CIE76 ΔE between two #rrggbb colours. */
function deltaE(a: string, b: string): number {
  const lab = (h: string) => srgb8ToLab(...([1, 3, 5].map((i) => Number.parseInt(h.slice(i, i + 2), 16)) as [number, number, number]));
  const [x, y] = [lab(a), lab(b)];
  return Math.hypot(x[0] - y[0], x[1] - y[1], x[2] - y[2]);
}

function closest(colours: string[]): number {
  let min = Infinity;
  for (let i = 0; i < colours.length; i++) for (let j = i + 1; j < colours.length; j++) min = Math.min(min, deltaE(colours[i], colours[j]));
  return min;
}

let work: string;
let engine: Engine;
let categoryId: number;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gaa-region-colours-'));
  engine = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
  await engine.call('project.create', { dir: join(work, 'project') });
  categoryId = upsertCategory(engine.session().db, 'nutbox');
});
afterAll(async () => {
  await engine.close();
  rmSync(work, { recursive: true, force: true });
});

describe('colours of new regions (issue 12, item 13)', () => {
  it('keeps a dozen regions of a category clearly apart (ΔE ≥ 30 between any two)', async () => {
    let colours: string[] = [];
    for (let i = 0; i < 12; i++) colours = (await engine.call('regions.create', { categoryId, name: `part ${i}` })).regions.map((r) => r.colour);
    expect(colours).toHaveLength(12);
    expect(closest(colours)).toBeGreaterThanOrEqual(30);
  });

  it('chooses away from a colour the user picked', async () => {
    const other = upsertCategory(engine.session().db, 'tile');
    // Close to the sky blue a fixed cycle would give the second region.
    await engine.call('regions.create', { categoryId: other, name: 'grout', colour: '#58B6EA' });
    const { regions } = await engine.call('regions.create', { categoryId: other, name: 'glaze' });
    expect(deltaE(regions[0].colour, regions[1].colour)).toBeGreaterThanOrEqual(30);
  });
});
