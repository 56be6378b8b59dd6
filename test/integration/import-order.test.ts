import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src-main/engine/engine';
import { writeMvtecFixture } from '../fixtures/mvtec-fixture';

let work: string;
let dataset: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gaa-import-order-'));
  const truth = await writeMvtecFixture(join(work, 'dataset'), { category: 'widget', trainGood: 10, testGood: 3, defects: { crack: 3 } }, false);
  dataset = truth.root;
  // The first file of the listing decodes far slower than the rest, so with parallel decoding
  // the others finish first: ids must still follow the listing.
  const side = 2400;
  const noise = Buffer.alloc(side * side * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
  await sharp(noise, { raw: { width: side, height: side, channels: 3 } }).png({ compressionLevel: 9 }).toFile(join(dataset, 'widget/train/good/000.png'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function importedOrder(name: string): Promise<{ id: number; relPath: string }[]> {
  const engine = new Engine({ host: 'cli', userDataDir: join(work, `ud-${name}`) });
  try {
    await engine.call('project.create', { dir: join(work, name) });
    const { jobId } = await engine.call('dataset.import', { source: dataset, layout: 'mvtec' });
    expect((await engine.waitForJob(jobId)).status).toBe('done');
    return engine.session().db.prepare('SELECT id, rel_path AS relPath FROM images ORDER BY id').all() as { id: number; relPath: string }[];
  } finally {
    await engine.close();
  }
}

describe('import', () => {
  it('stores images in listing order whatever order their decoding finishes in, so ids repeat across imports', async () => {
    const first = await importedOrder('p1');
    const trainGood = first.filter((r) => r.relPath.startsWith('widget/train/good/')).map((r) => r.relPath);
    const listed = readdirSync(join(dataset, 'widget/train/good')).sort().map((f) => `widget/train/good/${f}`);
    expect(trainGood).toEqual(listed);
    expect(await importedOrder('p2')).toEqual(first);
  });
});
