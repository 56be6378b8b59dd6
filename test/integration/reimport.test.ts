import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src-main/engine/engine';
import { writeMvtecFixture } from '../fixtures/mvtec-fixture';

// Issue 12, item 9: an existing project takes more images (a re-import that adds).
let work: string;
let engine: Engine;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gaa-reimport-'));
  engine = new Engine({ host: 'cli', userDataDir: join(work, 'ud') });
});
afterAll(async () => {
  await engine.close();
  rmSync(work, { recursive: true, force: true });
});

const done = async (p: Promise<{ jobId: number }>) => expect((await engine.waitForJob((await p).jobId)).status).toBe('done');

describe('adding images to a project', () => {
  it('a second dataset folder adds its images to the same category, draws the few-shot split for its anomalies and keeps everything before', async () => {
    const first = await writeMvtecFixture(join(work, 'a'), { category: 'widget', trainGood: 6, testGood: 2, defects: { crack: 6 }, size: 48 }, false);
    // Other sizes give other pixels: none of these images is a duplicate of the first folder's.
    const second = await writeMvtecFixture(join(work, 'b'), { category: 'widget', trainGood: 4, testGood: 1, defects: { crack: 3, hole: 3 }, size: 56 }, false);
    await engine.call('project.create', { dir: join(work, 'project') });
    await done(engine.call('dataset.import', { source: first.root, layout: 'mvtec' }));
    const before = (await engine.call('project.info', {})).categories.find((c) => c.name === 'widget')!;
    const split = new Map(before.defectTypes.map((t) => [t.defectType, t]));
    expect(split.get('crack')).toMatchObject({ anomaly: 6, fewShot: 2 });

    await done(engine.call('dataset.import', { source: second.root, layout: 'mvtec' }));
    const info = await engine.call('project.info', {});
    expect(info.categories.filter((c) => c.name === 'widget')).toHaveLength(1);
    const after = info.categories.find((c) => c.name === 'widget')!;
    expect(after.id).toBe(before.id);
    expect(after.counts.normal).toBe(6 + 2 + 4 + 1);
    expect(after.counts.anomaly).toBe(6 + 3 + 3);
    const types = new Map(after.defectTypes.map((t) => [t.defectType, t]));
    // Every anomaly has its place in the split: few-shot or held out.
    for (const t of after.defectTypes) expect(t.fewShot + t.heldOut, t.defectType).toBe(t.anomaly);
    expect(types.get('hole')!.fewShot).toBeGreaterThanOrEqual(1);
    expect(types.get('crack')!.anomaly).toBe(9);

    // The same folder again adds nothing.
    await done(engine.call('dataset.import', { source: second.root, layout: 'mvtec' }));
    const again = (await engine.call('project.info', {})).categories.find((c) => c.name === 'widget')!;
    expect(again.counts).toEqual(after.counts);
  });
});
