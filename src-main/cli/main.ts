import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs as parseCliArgs } from 'node:util';
import { ApiError, layouts } from '../api/contract';
import type { DatasetLayout, JobProgress, ProjectInfo } from '../api/types';
import { Engine } from '../engine/engine';
import { defaultUserDataDir } from '../engine/app/user-data';
import { runDemo } from './demo';
import { evaluateFolders } from './evaluate';
import { waitForJob } from './jobs';
import { exportAndWait, scoreAndWait, synthAndWait } from './pipeline';
import { masksAndWait, propagateAndWait } from './regions-masks';
import { clusterAndWait, importAndWait, projectReport, resolveCategory } from './commands';
import { PacksUsageError, packsCommand } from './packs';
import { ConceptsUsageError, conceptsCommand } from './concepts';

const USAGE = `gaa — GAA Workbench command line (same engine as the app)

Usage:
  gaa demo [--out DIR] [--json]                         generate the demo dataset, import it, run every stage
  gaa import <dataset> --project DIR [--layout auto|mvtec|loco|folder] [--json]
  gaa info --project DIR [--json]
  gaa cluster --project DIR [--category C] [--per-type] [--rounds 1-3] [--seed S] [--backbone NAME] [--json]
  gaa regions import --project DIR --category C --from FOLDER [--json]   (files <image-stem>__<region>.png)
  gaa regions propagate --project DIR --category C [--seed S] [--json]
  gaa masks --project DIR --category C [--cluster ID] --count N [--seed S] [--json]
  gaa synth --project DIR --category C [--cluster ID] --per-cluster N [--generator exemplar] [--seed S] [--json]
  gaa synth ... --generator diffusion --sd-pack NAME [--steps 50] [--guidance 7.5]   (needs the category's concept pack)
  gaa score --project DIR --category C [--epochs 160] [--keep 500] [--train-images 64] [--batch-images 4] [--patch-fraction 1] [--backbone NAME] [--json]
                                                        --backbone: an installed backbone pack (deep block / patch features)
  gaa filter --project DIR --category C --keep N [--json]
  gaa evaluate --pred DIR --gt DIR [--json]   (predicted score maps vs masks, paired by file stem)
  gaa value --project DIR --category C [--seeds 0,1] [--pairs 500] [--selection kept|accepted|all] [--real-share 0.25] [--json]
                                                        "Will this help?": the same pixel classifier trained on the real few-shot
                                                        pairs alone and on what the export would hold, scored on held-out real defects
  gaa export --project DIR --out DIR [--format mvtec|folder|coco|yolo]... [--selection kept|accepted|all] [--accepted-only]
             [--real-share 0.25] [--name NAME] [--json]   real-share: share of real few-shot pairs (flipped copies) in the export
  gaa packs list [--json]                               installed model packs (user-data folder; GAA_USER_DATA overrides)
  gaa packs install PATH [--replace] [--json]           install a pack folder or .zip offline; refused packs list every reason
  gaa packs remove NAME [--json]
  gaa concepts export-bundle --project DIR --category C --out DIR [--name NAME] [--json]   few-shot pairs + bundle.json for a trainer
  gaa concepts import --project DIR --category C --pack PATH [--replace] [--json]         install a gaa-concepts pack for the category
  gaa help

Every command takes --json: exactly one JSON document on stdout; progress and logs on stderr.
Exit code 0 only on success.`;

export class UsageError extends Error {}

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Runs one CLI command; returns the exit code. Exported for in-process integration tests. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCliArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      project: { type: 'string' },
      layout: { type: 'string', default: 'auto' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      category: { type: 'string' },
      'per-type': { type: 'boolean', default: false },
      rounds: { type: 'string', default: '3' },
      seed: { type: 'string', default: '0' },
      from: { type: 'string' },
      cluster: { type: 'string' },
      count: { type: 'string', default: '100' },
      'per-cluster': { type: 'string', default: '1000' },
      generator: { type: 'string', default: 'exemplar' },
      epochs: { type: 'string', default: '160' },
      keep: { type: 'string', default: '500' },
      'train-images': { type: 'string', default: '64' },
      'batch-images': { type: 'string', default: '4' },
      'patch-fraction': { type: 'string', default: '1' },
      format: { type: 'string', multiple: true },
      'accepted-only': { type: 'boolean', default: false },
      selection: { type: 'string' },
      'real-share': { type: 'string', default: '0.25' },
      seeds: { type: 'string', default: '0,1' },
      pairs: { type: 'string', default: '500' },
      replace: { type: 'boolean', default: false },
      pack: { type: 'string' },
      'sd-pack': { type: 'string' },
      backbone: { type: 'string' },
      steps: { type: 'string', default: '50' },
      guidance: { type: 'string', default: '7.5' },
      name: { type: 'string' },
      pred: { type: 'string' },
      gt: { type: 'string' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command || command === 'help') {
    io.out(`${USAGE}\n`);
    return command || values.help ? 0 : 2;
  }
  const print = (doc: unknown, human: string) => io.out(values.json ? `${JSON.stringify(doc, null, 2)}\n` : `${human}\n`);
  const engine = new Engine({ host: 'cli', userDataDir: defaultUserDataDir() });
  engine.onEvent((event, payload) => {
    if (event === 'job.progress') io.err(progressLine(payload as JobProgress));
  });
  try {
    switch (command) {
      case 'demo': {
        const summary = await runDemo(engine, resolve(values.out ?? '.demo'), io);
        print(summary, `Demo project ready: ${summary.project}\n${JSON.stringify(summary.stages, null, 2)}`);
        return summary.ok ? 0 : 1;
      }
      case 'import': {
        const source = rest[0];
        if (!source) throw new UsageError('import needs a dataset folder: gaa import <dataset> --project DIR');
        const project = requireProject(values.project);
        const layout = values.layout as DatasetLayout;
        if (!(layouts as readonly string[]).includes(layout)) throw new UsageError(`--layout must be one of ${layouts.join(', ')}`);
        const sourceDir = resolve(source);
        if (!existsSync(sourceDir)) throw new Error(`dataset folder not found: ${sourceDir}`);
        await engine.call('project.create', { dir: project });
        const report = await importAndWait(engine, sourceDir, layout);
        if (report.status !== 'done') {
          io.err(`gaa: import ${report.status}${report.error ? `: ${report.error}` : ''} (re-run the same command to resume)\n`);
          return 1;
        }
        print(report, humanImport(report.info, report.failed, report.status));
        return 0;
      }
      case 'info': {
        const project = requireProject(values.project);
        // Read-only: works while the app or another command writes the project.
        await engine.call('project.open', { dir: project, readOnly: true });
        const report = await projectReport(engine);
        print(report, humanInfo(report.project));
        return 0;
      }
      case 'cluster': {
        const project = requireProject(values.project);
        const rounds = intOption('rounds', values.rounds, 1, 3);
        const seed = intOption('seed', values.seed, 0, 2 ** 31 - 1);
        await engine.call('project.open', { dir: project });
        const category = await resolveCategory(engine, values.category);
        const report = await clusterAndWait(engine, category, {
          perType: values['per-type'],
          rounds,
          seed,
          ...(values.backbone !== undefined ? { backbonePack: values.backbone } : {}),
        });
        if (report.status !== 'done') {
          io.err(`gaa: clustering ${report.status}${report.error ? `: ${report.error}` : ''}\n`);
          return 1;
        }
        print(report, `${report.category}: ${report.k} clusters in ${report.rounds} round(s)\n${report.clusters.map((c) => `  ${c.name}: ${c.size}`).join('\n')}`);
        return 0;
      }
      case 'regions': {
        const sub = rest[0];
        const project = requireProject(values.project);
        await engine.call('project.open', { dir: project });
        const category = await resolveCategory(engine, values.category);
        if (sub === 'import') {
          if (!values.from) throw new UsageError('regions import needs --from FOLDER');
          const res = await engine.call('regions.importFolder', { categoryId: category.id, folder: resolve(values.from) });
          print({ category: category.name, ...res }, `${res.imported.length} region masks imported, ${res.errors.length} refused`);
          return res.imported.length > 0 ? 0 : 1;
        }
        if (sub === 'propagate') {
          const rep = await propagateAndWait(engine, category, intOption('seed', values.seed, 0, 2 ** 31 - 1));
          if (rep.status !== 'done') {
            io.err(`gaa: propagation ${rep.status}${rep.error ? `: ${rep.error}` : ''}\n`);
            return 1;
          }
          print(rep, `${rep.propagated} images labelled from ${rep.labelled}; ${rep.flagged} flagged for review`);
          return 0;
        }
        throw new UsageError('regions needs a subcommand: import or propagate');
      }
      case 'masks': {
        const project = requireProject(values.project);
        await engine.call('project.open', { dir: project });
        const category = await resolveCategory(engine, values.category);
        const rep = await masksAndWait(engine, category, {
          clusterId: values.cluster === undefined ? null : intOption('cluster', values.cluster, 1, Number.MAX_SAFE_INTEGER),
          count: intOption('count', values.count, 1, 100000),
          seed: intOption('seed', values.seed, 0, 2 ** 31 - 1),
        });
        if (rep.status !== 'done') {
          io.err(`gaa: masks ${rep.status}${rep.error ? `: ${rep.error}` : ''}\n`);
          return 1;
        }
        print(rep, `${rep.made} aligned masks; ${rep.failed.length} placements could not be satisfied`);
        return 0;
      }
      case 'synth':
      case 'score':
      case 'filter': {
        const project = requireProject(values.project);
        await engine.call('project.open', { dir: project });
        const category = await resolveCategory(engine, values.category);
        const seed = intOption('seed', values.seed, 0, 2 ** 31 - 1);
        if (command === 'filter') {
          const res = await engine.call('samples.filter', { categoryId: category.id, keep: intOption('keep', values.keep, 1, 100000) });
          print({ category: category.name, ...res }, `${res.kept} pairs kept`);
          return 0;
        }
        if (command === 'synth' && values.generator !== 'exemplar' && values.generator !== 'diffusion') {
          throw new UsageError(`--generator must be exemplar or diffusion, not ${values.generator}`);
        }
        if (command === 'synth' && values.generator === 'diffusion' && !values['sd-pack']) throw new UsageError('--generator diffusion needs --sd-pack NAME (see gaa packs list)');
        const guidance = Number(values.guidance);
        if (!(guidance >= 0 && guidance <= 50)) throw new UsageError('--guidance must be a number from 0 to 50');
        const diffusion =
          values.generator === 'diffusion' ? { sd15Pack: values['sd-pack']!, steps: intOption('steps', values.steps, 1, 1000), guidance } : undefined;
        const rep =
          command === 'synth'
            ? await synthAndWait(engine, category, {
                clusterId: values.cluster === undefined ? null : intOption('cluster', values.cluster, 1, Number.MAX_SAFE_INTEGER),
                perCluster: intOption('per-cluster', values['per-cluster'], 1, 100000),
                seed,
              }, diffusion)
            : await scoreAndWait(engine, category, {
                epochs: intOption('epochs', values.epochs, 1, 1000),
                keep: intOption('keep', values.keep, 1, 100000),
                maxTrainImages: intOption('train-images', values['train-images'], 1, 10000),
                batchImages: intOption('batch-images', values['batch-images'], 1, 64),
                patchFraction: fractionOption('patch-fraction', values['patch-fraction']),
                seed,
                ...(values.backbone !== undefined ? { extractor: { backbonePack: values.backbone } } : {}),
              });
        if (rep.status !== 'done') {
          io.err(`gaa: ${command} ${rep.status}${rep.error ? `: ${rep.error}` : ''}\n`);
          return 1;
        }
        print(rep, `${command} done for ${category.name}`);
        return 0;
      }
      case 'evaluate': {
        if (!values.pred || !values.gt) throw new UsageError('evaluate needs --pred DIR and --gt DIR');
        const rep = await evaluateFolders(resolve(values.pred), resolve(values.gt));
        print(rep, `pixel AUROC ${rep.pixelAuroc.toFixed(4)}, AP ${rep.pixelAp.toFixed(4)}, F1-max ${rep.pixelF1Max.toFixed(4)}, PRO ${rep.pro.toFixed(4)}, image AUROC ${rep.imageAuroc.toFixed(4)} over ${rep.pairs} pairs`);
        return 0;
      }
      case 'value': {
        const project = requireProject(values.project);
        await engine.call('project.open', { dir: project });
        const category = await resolveCategory(engine, values.category);
        const seeds = (values.seeds ?? '0,1').split(',').map((x) => intOption('seeds', x.trim(), 0, 2 ** 31 - 1));
        const { jobId } = await engine.call('value.run', {
          categoryId: category.id,
          seeds,
          selection: exportSelection(values.selection, false),
          realShare: shareOption(values['real-share']),
          maxPairs: intOption('pairs', values.pairs, 10, 5000),
        });
        const finished = await waitForJob(engine, 'value', jobId);
        if (finished.status !== 'done' || !finished.result) {
          io.err(`gaa: value ${finished.status}${finished.error ? `: ${finished.error}` : ''}\n`);
          return 1;
        }
        const r = finished.result;
        const pct = (v: number) => (100 * v).toFixed(1);
        print(
          r,
          r.insufficient
            ? `No value check for ${r.category}: ${r.insufficient}`
            : [
                `Value check for ${r.category} on ${r.heldOutAnomalies} held-out real anomalies and ${r.heldOutNormals} normals (seeds ${r.seeds.join(', ')}):`,
                `  real pairs only: pixel AP ${pct(r.realOnly.pixelAp)}, pixel AUROC ${pct(r.realOnly.pixelAuroc)}, image AUROC ${pct(r.realOnly.imageAuroc)}`,
                `  the export:      pixel AP ${pct(r.export.pixelAp)}, pixel AUROC ${pct(r.export.pixelAuroc)}, image AUROC ${pct(r.export.imageAuroc)}`,
                `  difference: pixel AP ${pct(r.difference.pixelAp)} ± ${pct(r.noise.pixelAp)} (${r.verdict})`,
              ].join('\n'),
        );
        return 0;
      }
      case 'export': {
        const project = requireProject(values.project);
        if (!values.out) throw new UsageError('export needs --out DIR');
        const formats = (values.format ?? ['mvtec']) as ('mvtec' | 'folder' | 'coco' | 'yolo')[];
        for (const f of formats) if (!['mvtec', 'folder', 'coco', 'yolo'].includes(f)) throw new UsageError(`unknown --format ${f}`);
        await engine.call('project.open', { dir: project });
        const rep = await exportAndWait(engine, {
          outDir: resolve(values.out),
          formats: [...new Set(['mvtec' as const, ...formats])],
          selection: exportSelection(values.selection, values['accepted-only']),
          realShare: shareOption(values['real-share']),
          name: values.name ?? null,
        });
        if (rep.status !== 'done') {
          io.err(`gaa: export ${rep.status}${rep.error ? `: ${rep.error}` : ''}\n`);
          return 1;
        }
        print(rep, `Exported ${rep.files} files to ${rep.root}`);
        return 0;
      }
      case 'packs': {
        try {
          const res = await packsCommand(engine, rest, { replace: values.replace });
          print(res.doc, res.human);
          return 0;
        } catch (e) {
          if (e instanceof PacksUsageError) throw new UsageError(e.message);
          throw e;
        }
      }
      case 'concepts': {
        try {
          const res = await conceptsCommand(engine, rest, { ...values, replace: values.replace });
          print(res.doc, res.human);
          return 0;
        } catch (e) {
          if (e instanceof ConceptsUsageError) throw new UsageError(e.message);
          throw e;
        }
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`gaa: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    io.err(`gaa: ${err instanceof ApiError || err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    await engine.close();
  }
}

function intOption(name: string, raw: string | undefined, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
  return n;
}

function fractionOption(name: string, raw: string | undefined): number {
  const n = Number(raw);
  if (!(n > 0 && n <= 1)) throw new UsageError(`--${name} must be a number greater than 0 and at most 1`);
  return n;
}

/** kept: the filter's choice plus what the user accepted (default); accepted: only those; all: every pair not rejected. */
function exportSelection(raw: string | undefined, acceptedOnly: boolean | undefined): 'kept' | 'accepted' | 'all' {
  if (raw === undefined) return acceptedOnly ? 'accepted' : 'kept';
  if (raw !== 'kept' && raw !== 'accepted' && raw !== 'all') throw new UsageError(`--selection must be kept, accepted or all, not ${raw}`);
  if (acceptedOnly && raw !== 'accepted') throw new UsageError('--accepted-only and --selection disagree');
  return raw;
}

function shareOption(raw: string | undefined): number {
  const n = Number(raw);
  if (!(n >= 0 && n <= 0.9)) throw new UsageError('--real-share must be a number from 0 to 0.9');
  return n;
}

function requireProject(p: string | undefined): string {
  if (!p) throw new UsageError('--project DIR is required');
  return resolve(p);
}

let lastProgressAt = 0;
function progressLine(p: JobProgress): string {
  const now = Date.now();
  if (now - lastProgressAt < 1000 && p.done < p.total) return '';
  lastProgressAt = now;
  const eta = p.etaMs === null ? '' : `, ~${Math.ceil(p.etaMs / 1000)} s left`;
  return `[${p.kind} #${p.jobId}] ${p.done}/${p.total}${p.failed ? ` (${p.failed} failed)` : ''}${eta} ${p.message}\n`;
}

function humanInfo(info: ProjectInfo): string {
  const lines = [`Project ${info.name} (${info.dir}), schema v${info.schemaVersion}`];
  for (const c of info.categories) {
    lines.push(`  ${c.name}: ${c.counts.normal} normal, ${c.counts.anomaly} anomaly, ${c.counts.masks} masks, ${c.counts.errors} with errors`);
    for (const t of c.defectTypes) lines.push(`    ${t.defectType}: ${t.anomaly} images (${t.fewShot} few-shot, ${t.heldOut} held out)`);
  }
  return lines.join('\n');
}

function humanImport(info: ProjectInfo, failed: number, status: string): string {
  return `Import ${status}: ${failed} item(s) with errors\n${humanInfo(info)}`;
}

if (require.main === module) {
  const io: CliIo = { out: (t) => process.stdout.write(t), err: (t) => t && process.stderr.write(t) };
  runCli(process.argv.slice(2), io).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`gaa: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(2);
    },
  );
}
