import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import type { ExportFormat, ExportPair } from '../../src-main/core/export';
import { exportDataset } from '../../src-main/io/export-writer';

const round = (x: number) => Math.round(x * 100) / 100;

/** A textured RGB image, different per seed. */
function imagePixels(side: number, seed: number): Buffer {
  const data = Buffer.alloc(side * side * 3);
  let s = (seed * 2654435761) >>> 0;
  for (let i = 0; i < side * side; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const v = 110 + 40 * Math.sin(i * 0.021 + seed) + ((s >>> 24) & 31);
    data[i * 3] = v;
    data[i * 3 + 1] = v * 0.9;
    data[i * 3 + 2] = v * 0.75;
  }
  return data;
}

/** Two elliptic defects (two COCO instances, two YOLO polygons) placed by the seed. */
function maskPixels(side: number, seed: number): Buffer {
  const data = Buffer.alloc(side * side);
  const blobs = [
    { cx: side * (0.25 + 0.1 * (seed % 3)), cy: side * 0.3, rx: side * 0.08, ry: side * 0.04 },
    { cx: side * 0.7, cy: side * (0.6 + 0.05 * (seed % 4)), rx: side * 0.05, ry: side * 0.1 },
  ];
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      if (blobs.some((b) => ((x + 0.5 - b.cx) / b.rx) ** 2 + ((y + 0.5 - b.cy) / b.ry) ** 2 <= 1)) data[y * side + x] = 255;
    }
  }
  return data;
}

/**
 * Export throughput per format, pairs/s over generated image/mask PNG files read from disk as
 * the export job does (MVTec is always written, so each other format's figure includes it).
 * `npm run bench -- export [--pairs 300] [--side 256]`
 */
export async function benchExport(argv: string[]): Promise<unknown> {
  const { values } = parseArgs({ args: argv, options: { pairs: { type: 'string', default: '300' }, side: { type: 'string', default: '256' } }, allowPositionals: true });
  const n = Number(values.pairs);
  const side = Number(values.side);
  if (!(n >= 1) || !(side >= 8)) throw new Error('export bench: --pairs must be ≥ 1 and --side ≥ 8');
  const work = mkdtempSync(join(tmpdir(), 'gaa-bench-export-'));
  try {
    const src = join(work, 'blobs');
    mkdirSync(src);
    const pairs: ExportPair[] = [];
    for (let i = 0; i < n; i++) {
      const image = join(src, `${i}.png`);
      const mask = join(src, `${i}_mask.png`);
      writeFileSync(image, await sharp(imagePixels(side, i), { raw: { width: side, height: side, channels: 3 } }).png().toBuffer());
      writeFileSync(mask, await sharp(maskPixels(side, i), { raw: { width: side, height: side, channels: 1 } }).png().toBuffer());
      pairs.push({
        category: 'bench',
        cluster: ['crack', 'hole', 'stain'][i % 3],
        image: { path: image },
        mask: { path: mask },
        normalImage: join(src, 'normal.png'),
        generator: 'exemplar@bench',
        seed: i,
        ars: i / n,
        source: 'synthetic',
      });
    }
    const results = [];
    for (const format of ['mvtec', 'folder', 'coco', 'yolo'] as ExportFormat[]) {
      const t = performance.now();
      const r = await exportDataset({ outDir: join(work, 'out'), name: format, formats: [format], pairs, normals: [] });
      const seconds = (performance.now() - t) / 1000;
      results.push({ format: format === 'mvtec' ? 'mvtec' : `mvtec+${format}`, pairs: n, files: r.files, seconds: round(seconds), pairsPerSecond: round(n / seconds) });
    }
    return { side, results, peakRssMiB: round(process.resourceUsage().maxRSS / 1024) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
