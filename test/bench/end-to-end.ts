import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_SCORER } from '../../src-main/cli/demo-stages';
import { Engine } from '../../src-main/engine/engine';
import { DEFAULT_CATEGORY, DEFAULT_DATA_ROOT } from './devdata';

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/**
 * `npm run bench -- pipeline [--data DIR] [--category C] [--per-cluster N] [--epochs E]`: one
 * devdata category through the engine end to end, as the app runs it: import, AMFC, then the
 * timed part, aligned masks (RAMS) + generation (exemplar generator on its worker pool) + ARS
 * scoring (the demo's quick scorer settings unless given) + an MVTec export of the kept pairs.
 * Pairs/s is pairs made over the timed part; peak RSS covers the whole process (engine, worker
 * threads, sharp). The category is read in place (the devdata may not be copied).
 */
export async function benchPipeline(argv: string[]): Promise<unknown> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string', default: DEFAULT_DATA_ROOT },
      category: { type: 'string', default: DEFAULT_CATEGORY },
      'per-cluster': { type: 'string', default: '100' },
      epochs: { type: 'string', default: String(DEMO_SCORER.epochs) },
      seed: { type: 'string', default: '0' },
    },
    allowPositionals: true,
  });
  const perCluster = Number(values['per-cluster']);
  const epochs = Number(values.epochs);
  const seed = Number(values.seed);
  const source = join(resolve(values.data), values.category);
  const work = mkdtempSync(join(tmpdir(), 'gaa-bench-pipeline-'));
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
  const loadBefore = loadavg().map((x) => round(x));
  const engine = new Engine({ host: 'cli', userDataDir: join(work, 'userdata') });
  const seconds: Record<string, number> = {};
  const timed = async <T>(stage: string, run: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const r = await run();
    seconds[stage] = round((performance.now() - t) / 1000);
    return r;
  };
  const job = async (started: Promise<{ jobId: number }>) => {
    const finished = await engine.waitForJob((await started).jobId);
    if (finished.status !== 'done') throw new Error(`job ${finished.kind} ${finished.status}: ${finished.error}`);
    return finished.result as unknown as Record<string, unknown>;
  };
  try {
    await engine.call('project.create', { dir: join(work, 'project') });
    await timed('import', () => job(engine.call('dataset.import', { source, layout: 'mvtec' })));
    const info = await engine.call('project.info', {});
    const category = info.categories[0];
    await timed('cluster', () => job(engine.call('clusters.run', { categoryId: category.id, seed })));
    const masks = await timed('masks', () => job(engine.call('masks.generate', { categoryId: category.id, count: perCluster, seed })));
    const synth = await timed('generate', () => job(engine.call('synth.run', { categoryId: category.id, perCluster, seed })));
    const score = await timed('score', () =>
      job(engine.call('score.run', { ...DEMO_SCORER, categoryId: category.id, epochs, keep: Math.max(1, Math.floor(perCluster / 2)) })),
    );
    const exported = await timed('write', () => job(engine.call('export.run', { outDir: join(work, 'export'), formats: ['mvtec'], categoryId: category.id })));
    const pairs = Number(synth.made ?? 0);
    const endToEnd = seconds.masks + seconds.generate + seconds.score + seconds.write;
    return {
      data: source,
      images: category.counts,
      perCluster,
      scorer: { ...DEMO_SCORER, epochs },
      masks: { made: masks.made, failed: Array.isArray(masks.failed) ? masks.failed.length : masks.failed },
      pairs,
      scored: score.scored,
      exportedFiles: exported.files,
      seconds,
      pairsPerSecondEndToEnd: round(pairs / endToEnd),
      pairsPerSecondGenerate: round(pairs / seconds.generate),
      masksPerSecond: round(Number(masks.made ?? 0) / seconds.masks),
      peakRssMiB: round(Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 2 ** 20),
      loadAverage: { before: loadBefore, after: loadavg().map((x) => round(x)) },
      target: 'at least 40 pairs/s end to end at 256² on 2 cores (issue 16)',
    };
  } finally {
    clearInterval(sampler);
    await engine.close();
    rmSync(work, { recursive: true, force: true });
  }
}
