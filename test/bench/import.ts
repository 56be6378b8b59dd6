import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { Engine } from '../../src-main/engine/engine';

/**
 * Import throughput incl. hashing, decoding, mask binarisation and thumbnails.
 * `npm run bench -- import --count 20000 --size 256` for the large run (about 2.5 GB of temp files
 * at 1024²; ~200 MB at 256²).
 */
export async function benchImport(argv: string[]): Promise<unknown> {
  const { values } = parseArgs({
    args: argv,
    options: { count: { type: 'string', default: '2000' }, size: { type: 'string', default: '256' }, keep: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const work = mkdtempSync(join(tmpdir(), 'gaa-bench-import-'));
  try {
    const made = await importedBenchProject(work, Number(values.count), Number(values.size));
    return { ...made.stats, ...(values.keep ? { kept: work } : {}) };
  } finally {
    if (!values.keep) rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Writes `count` distinct noise images of `size`² (5 % of them anomalies with a band mask) under
 * `work`/dataset in MVTec layout, imports them into a new project `work`/project and returns the
 * project's folder with the import's rate and peak RSS (import runs in this process).
 */
export async function importedBenchProject(work: string, count: number, size: number): Promise<{ projectDir: string; stats: Record<string, unknown> }> {
  const anomalies = Math.max(1, Math.round(count * 0.05));
  const root = join(work, 'dataset', 'bench');
  for (const d of ['train/good', 'test/defect', 'ground_truth/defect']) mkdirSync(join(root, d), { recursive: true });
  const t0 = performance.now();
  // Distinct noise per image (no duplicates to skip); a few template buffers varied by one pixel row.
  const base = Buffer.alloc(size * size * 3);
  for (let i = 0; i < base.length; i++) base[i] = (i * 2654435761) >>> 24;
  for (let i = 0; i < count; i++) {
    base.writeUInt32LE(i, 0);
    const png = await sharp(base, { raw: { width: size, height: size, channels: 3 } }).png({ compressionLevel: 1 }).toBuffer();
    if (i < anomalies) {
      writeFileSync(join(root, 'test/defect', `${i}.png`), png);
      const m = Buffer.alloc(size * size);
      m.fill(255, (size * size) / 2, (size * size) / 2 + size * 8);
      writeFileSync(join(root, 'ground_truth/defect', `${i}_mask.png`), await sharp(m, { raw: { width: size, height: size, channels: 1 } }).png().toBuffer());
    } else writeFileSync(join(root, 'train/good', `${i}.png`), png);
  }
  const tWrite = performance.now();
  const projectDir = join(work, 'project');
  const engine = new Engine({ host: 'cli', userDataDir: join(work, 'userdata') });
  await engine.call('project.create', { dir: projectDir });
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const tImport = performance.now();
  const { jobId } = await engine.call('dataset.import', { source: join(work, 'dataset'), layout: 'mvtec' });
  const finished = await engine.waitForJob(jobId);
  const seconds = (performance.now() - tImport) / 1000;
  clearInterval(sampler);
  const info = await engine.call('project.info', {});
  await engine.close();
  return {
    projectDir,
    stats: {
      images: count,
      size: `${size}x${size}`,
      status: finished.status,
      imported: info.totals.normal + info.totals.anomaly,
      seconds: round(seconds),
      imagesPerSecond: round(count / seconds),
      peakRssMiB: round(peakRss / 2 ** 20),
      rssGrowthMiB: round((peakRss - rssBefore) / 2 ** 20),
      datasetWriteSeconds: round((tWrite - t0) / 1000),
    },
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
