import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs as parseCliArgs } from 'node:util';
import { ApiError, layouts } from '../api/contract';
import { toWireError } from '../api/errors';
import { scorerModels } from '../api/jobs';
import { DEFAULT_REAL_SHARE } from '../api/limits';
import type { DatasetLayout, ExportSelection, JobProgress, KeepSummary, ProjectInfo } from '../api/types';
import { allocations, type Allocation } from '../core/masks/allocation';
import { ClustersUsageError, clustersCommand, regionsListing } from './clusters';
import { Engine } from '../engine/engine';
import { defaultUserDataDir } from '../engine/app/user-data';
import { runDemo } from './demo';
import { evaluateFolders } from './evaluate';
import { waitForJob } from './jobs';
import { exportAndWait, keepWarnings, scoreAndWait, synthAndWait } from './pipeline';
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
  gaa clusters list --project DIR [--category C] [--json]      clusters with size, kind, rule, region, share of the pairs;
                                                        clusters under 3 members are flagged ("small")
  gaa clusters rename <cluster> <name> | merge <cluster> <cluster>... [--name NAME] | lock <cluster> [--unlock]
  gaa clusters set-kind <cluster> structural|logical|combined [--region NAME]
  gaa clusters set-rule <cluster> [--mode learned|inside|edge|centreline] [--region NAME|implicit]
             [--alpha A] [--perturbation P] [--rotation=LOW,HIGH] [--overlap-limit F] [--size mean|exemplars]
                                                        --size: masks scaled toward the cluster's mean area (Eq. 6, the default),
                                                        or toward a drawn exemplar's, so sizes spread as the real defects' do
                                                        <cluster>: its id or its name; each takes --project DIR [--category C] [--json]
  gaa regions list --project DIR --category C [--json]  the region names a rule's --region can use
  gaa regions import --project DIR --category C --from FOLDER [--json]   (files <image-stem>__<region>.png)
  gaa regions propagate --project DIR --category C [--seed S] [--json]
  gaa masks --project DIR --category C [--cluster ID] [--total N [--allocation proportional|equal] | --per-cluster N] [--seed S] [--json]
                                                        --total (default 100 × the clusters) is shared in proportion to cluster
                                                        size (--allocation equal: the same for each); --per-cluster N: N for every cluster
  gaa synth --project DIR --category C [--cluster ID] [--per-cluster N] [--total N [--allocation ...]] [--generator exemplar] [--seed S] [--json]
                                                        one pair per aligned mask, at most --per-cluster (1000) in each cluster, or
                                                        --total shared by cluster size; makes the masks first when there are none
  gaa synth ... --generator diffusion --sd-pack NAME [--steps 50] [--guidance 7.5]   (needs the category's concept pack)
  gaa score --project DIR --category C [--model auto|gaussian|padim|simplenet] [--epochs 20] [--keep-per-cluster 500] [--train-images 64] [--batch-images 4] [--patch-fraction 0.1] [--backbone NAME] [--json]
                                                        --keep-per-cluster: the filter after scoring keeps that many best pairs IN EACH
                                                        cluster (the JSON gives the total); --backbone: an installed backbone pack
  gaa filter --project DIR --category C --keep-per-cluster N [--json]   keeps the N best pairs in each cluster; JSON: totals,
                                                        and the kept share per cluster and per blend mode
  gaa evaluate --pred DIR --gt DIR [--json]   (predicted score maps vs masks, paired by file stem)
  gaa value --project DIR --category C [--seeds 0,1] [--pairs 500] [--selection kept|accepted|all] [--real-share 0.5] [--min-contrast 0.5] [--json]
                                                        "Will this help?": the same pixel classifier trained on the real few-shot
                                                        pairs alone and on what the export would hold, scored on held-out real defects;
                                                        without --selection also on every pair and on the ARS filter's pairs, and it
                                                        chooses the category's export default (kept only where it trained better)
  gaa export --project DIR --out DIR [--category C] [--format mvtec|folder|coco|yolo]... [--selection kept|accepted|all] [--accepted-only]
             [--real-share 0.5] [--min-contrast 0.5] [--folders-by defect-type|cluster] [--name NAME | --exact] [--json]
                                                        selection kept: what the filter kept plus what you accepted (the default,
                                                        unless \`gaa value\` chose one for the category: kept or all);
                                                        accepted: only what you accepted by hand; all: everything not rejected.
                                                        real-share: share of real few-shot pairs (flipped copies) in the export.
                                                        min-contrast: leave out pairs whose defect is under this share of their
                                                        cluster's median exemplar contrast (default 0: keep them).
                                                        folders-by: test/<folder> by imported defect type (default) or by cluster;
                                                        the manifest names both. Writes OUT/gaa-export-<time>/ (or OUT/NAME/);
                                                        --exact writes into OUT itself, which must be empty or absent
  gaa packs list [--json]                               installed model packs (user-data folder; GAA_USER_DATA overrides)
  gaa packs install PATH [--replace] [--json]           install a pack folder or .zip offline; refused packs list every reason
  gaa packs remove NAME [--json]
  gaa concepts export-bundle --project DIR --category C --out DIR [--name NAME] [--json]   few-shot pairs + bundle.json for a trainer
  gaa concepts import --project DIR --category C --pack PATH [--replace] [--json]         install a gaa-concepts pack for the category
  gaa help

Order of the stages: import → cluster → (clusters set-kind / set-rule, regions) → masks → synth → score → filter → export.
Every command takes --json: exactly one JSON document on stdout; progress and logs on stderr.
Exit code 0 only on success.`;

export class UsageError extends Error {}

function scorerModelOption(v: string | undefined): (typeof scorerModels)[number] {
  const m = (v ?? 'auto') as (typeof scorerModels)[number];
  if (!scorerModels.includes(m)) throw new UsageError(`--model must be one of ${scorerModels.join(', ')}, not ${v}`);
  return m;
}

/** A job that ended without finishing (failed or cancelled): exit 1 with its status and reason. */
class JobFailed extends Error {}

/**
 * The one place a failed command reports: the message on stderr and, with --json, exactly one
 * document `{ "error": { "code", "message" } }` on stdout, so a script never parses an empty
 * stdout. Argument errors from node's parseArgs count as usage errors.
 */
function reportFailure(err: unknown, json: boolean, io: CliIo): number {
  const usage = err instanceof UsageError || (err instanceof TypeError && String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS'));
  const { code, message } = usage
    ? { code: 'usage', message: (err as Error).message }
    : err instanceof JobFailed
      ? { code: 'job_failed', message: err.message }
      : toWireError(err);
  if (json) io.out(`${JSON.stringify({ error: { code, message } }, null, 2)}\n`);
  io.err(usage ? `gaa: ${message}\n\n${USAGE}\n` : `gaa: ${message}\n`);
  return usage ? 2 : 1;
}

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Runs one CLI command; returns the exit code. Exported for in-process integration tests. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    return await runCommand(argv, io);
  } catch (err) {
    return reportFailure(err, argv.includes('--json'), io);
  }
}

async function runCommand(argv: string[], io: CliIo): Promise<number> {
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
      count: { type: 'string' },
      total: { type: 'string' },
      allocation: { type: 'string' },
      'per-cluster': { type: 'string' },
      'keep-per-cluster': { type: 'string' },
      mode: { type: 'string' },
      kind: { type: 'string' },
      region: { type: 'string' },
      unlock: { type: 'boolean', default: false },
      alpha: { type: 'string' },
      perturbation: { type: 'string' },
      rotation: { type: 'string' },
      'overlap-limit': { type: 'string' },
      size: { type: 'string' },
      'folders-by': { type: 'string' },
      exact: { type: 'boolean', default: false },
      generator: { type: 'string', default: 'exemplar' },
      epochs: { type: 'string', default: '20' },
      keep: { type: 'string' },
      'train-images': { type: 'string', default: '64' },
      'batch-images': { type: 'string', default: '4' },
      'patch-fraction': { type: 'string', default: '0.1' },
      format: { type: 'string', multiple: true },
      'accepted-only': { type: 'boolean', default: false },
      selection: { type: 'string' },
      'real-share': { type: 'string', default: String(DEFAULT_REAL_SHARE) },
      'min-contrast': { type: 'string', default: '0' },
      seeds: { type: 'string', default: '0,1' },
      pairs: { type: 'string', default: '500' },
      replace: { type: 'boolean', default: false },
      pack: { type: 'string' },
      'sd-pack': { type: 'string' },
      backbone: { type: 'string' },
      model: { type: 'string', default: 'auto' },
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
        if (!summary.ok) {
          io.err(`${JSON.stringify(summary.stages, null, 2)}\n`);
          throw new JobFailed(`demo: a stage did not finish (${unfinishedStages(summary.stages).join(', ')}); its status is above`);
        }
        print(summary, `Demo project ready: ${summary.project}\n${JSON.stringify(summary.stages, null, 2)}`);
        return 0;
      }
      case 'import': {
        const source = rest[0];
        if (!source) throw new UsageError('import needs a dataset folder: gaa import <dataset> --project DIR');
        const project = requireProject(values.project);
        const layout = values.layout as DatasetLayout;
        if (!(layouts as readonly string[]).includes(layout)) throw new UsageError(`--layout must be one of ${layouts.join(', ')}`);
        const sourceDir = resolve(source);
        if (!existsSync(sourceDir)) throw new ApiError('not_found', `dataset folder not found: ${sourceDir}`);
        await engine.call('project.create', { dir: project });
        const report = await importAndWait(engine, sourceDir, layout);
        if (report.status !== 'done') {
          throw new JobFailed(`import ${report.status}${report.error ? `: ${report.error}` : ''} (re-run the same command to resume)`);
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
          throw new JobFailed(`clustering ${report.status}${report.error ? `: ${report.error}` : ''}`);
        }
        // --per-type runs no AMFC round: one cluster per imported defect type.
        const how = values['per-type'] ? 'one per defect type' : `in ${report.rounds} round${report.rounds === 1 ? '' : 's'}`;
        print(report, `${report.category}: ${report.k} clusters ${how}\n${report.clusters.map((c) => `  ${c.name}: ${c.size}`).join('\n')}`);
        return 0;
      }
      case 'clusters': {
        const project = requireProject(values.project);
        await engine.call('project.open', { dir: project });
        const category = await resolveCategory(engine, values.category);
        try {
          const res = await clustersCommand(engine, category, rest, values);
          print(res.doc, res.human);
          return 0;
        } catch (e) {
          if (e instanceof ClustersUsageError) throw new UsageError(e.message);
          throw e;
        }
      }
      case 'regions': {
        const sub = rest[0];
        const project = requireProject(values.project);
        await engine.call('project.open', { dir: project });
        const category = await resolveCategory(engine, values.category);
        if (sub === 'list') {
          const res = await regionsListing(engine, category);
          print(res.doc, res.human);
          return 0;
        }
        if (sub === 'import') {
          if (!values.from) throw new UsageError('regions import needs --from FOLDER');
          const res = await engine.call('regions.importFolder', { categoryId: category.id, folder: resolve(values.from) });
          if (res.imported.length === 0) {
            throw new ApiError('bad_request', `no region masks imported from ${resolve(values.from)}${res.errors.map((e) => `\n  ${e.file}: ${e.reason}`).join('')}`);
          }
          print({ category: category.name, ...res }, `${res.imported.length} region masks imported, ${res.errors.length} refused`);
          return 0;
        }
        if (sub === 'propagate') {
          const rep = await propagateAndWait(engine, category, intOption('seed', values.seed, 0, 2 ** 31 - 1));
          if (rep.status !== 'done') {
            throw new JobFailed(`propagation ${rep.status}${rep.error ? `: ${rep.error}` : ''}`);
          }
          print(rep, `${rep.propagated} images labelled from ${rep.labelled}; ${rep.flagged} flagged for review`);
          return 0;
        }
        throw new UsageError('regions needs a subcommand: list, import or propagate');
      }
      case 'masks': {
        const project = requireProject(values.project);
        await engine.call('project.open', { dir: project });
        const category = await resolveCategory(engine, values.category);
        const clusterId = values.cluster === undefined ? null : intOption('cluster', values.cluster, 1, Number.MAX_SAFE_INTEGER);
        const rep = await masksAndWait(engine, category, {
          clusterId,
          seed: intOption('seed', values.seed, 0, 2 ** 31 - 1),
          ...(await masksCount(engine, category.id, clusterId, values, io)),
        });
        if (rep.status !== 'done') {
          throw new JobFailed(`masks ${rep.status}${rep.error ? `: ${rep.error}` : ''}`);
        }
        for (const w of rep.warnings) io.err(`gaa: warning: ${w}\n`);
        print(
          rep,
          [
            `${rep.made} aligned masks made (${rep.total} in all); ${rep.failed.length} placements could not be satisfied`,
            ...rep.perCluster.map((c) => `  ${c.cluster} (${c.size} member${c.size === 1 ? '' : 's'}${c.small ? ', small' : ''}): ${c.made} of ${c.asked} asked, ${c.total} in all`),
          ].join('\n'),
        );
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
          const keepPerCluster = keepOption(values, null, io);
          const res = await engine.call('samples.filter', { categoryId: category.id, keep: keepPerCluster });
          const warnings = keepWarnings(res);
          for (const w of warnings) io.err(`gaa: warning: ${w}\n`);
          print({ category: category.name, ...res, warnings }, humanKeep(res));
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
        const clusterId = values.cluster === undefined ? null : intOption('cluster', values.cluster, 1, Number.MAX_SAFE_INTEGER);
        const rep =
          command === 'synth'
            ? await synthAndWait(
                engine,
                category,
                {
                  clusterId,
                  perCluster: values['per-cluster'] === undefined ? 1000 : intOption('per-cluster', values['per-cluster'], 1, 100000),
                  seed,
                  ...(values.total !== undefined ? { total: intOption('total', values.total, 1, 1000000), allocation: allocationOption(values.allocation) } : {}),
                },
                diffusion,
                { how: await masksCount(engine, category.id, clusterId, values, io), log: io.err },
              )
            : await scoreAndWait(engine, category, {
                epochs: intOption('epochs', values.epochs, 1, 1000),
                keep: keepOption(values, 500, io),
                maxTrainImages: intOption('train-images', values['train-images'], 1, 10000),
                batchImages: intOption('batch-images', values['batch-images'], 1, 64),
                patchFraction: fractionOption('patch-fraction', values['patch-fraction']),
                model: scorerModelOption(values.model),
                seed,
                ...(values.backbone !== undefined ? { extractor: { backbonePack: values.backbone } } : {}),
              });
        if (rep.status !== 'done') {
          throw new JobFailed(`${command} ${rep.status}${rep.error ? `: ${rep.error}` : ''}`);
        }
        for (const w of rep.warnings) io.err(`gaa: warning: ${w}\n`);
        print(
          rep,
          'made' in rep
            ? `${rep.made} pairs made for ${category.name} (${rep.total} of these masks now have a pair; ${rep.inCategory} pairs in all), ${rep.failed.length} failed`
            : `${rep.scored} pairs scored for ${category.name}; ${rep.keep ? humanKeep(rep.keep) : `${rep.kept} kept`}`,
        );
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
          minContrast: contrastOption(values['min-contrast']),
          maxPairs: intOption('pairs', values.pairs, 10, 5000),
          // Without --selection it also trains on every pair and on the ARS filter's pairs, and
          // chooses the export's default filter from the figures.
          compare: values.selection === undefined,
        });
        const finished = await waitForJob(engine, 'value', jobId);
        if (finished.status !== 'done' || !finished.result) {
          throw new JobFailed(`value ${finished.status}${finished.error ? `: ${finished.error}` : ''}`);
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
                `  the export (${r.filters?.[0]?.selection ?? 'asked'}): pixel AP ${pct(r.export.pixelAp)}, pixel AUROC ${pct(r.export.pixelAuroc)}, image AUROC ${pct(r.export.imageAuroc)}`,
                `  difference: pixel AP ${pct(r.difference.pixelAp)} ± ${pct(r.noise.pixelAp)} (${r.verdict})`,
                ...(r.filters ?? [])
                  .slice(1)
                  .map((f) => `  selection ${f.selection}: pixel AP ${pct(f.export.pixelAp)}, difference ${pct(f.difference.pixelAp)} ± ${pct(f.noise.pixelAp)} (${f.verdict})`),
                ...(r.recommended ? [`  export default: ${r.recommended.selection}: ${r.recommended.why}`] : []),
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
        const foldersBy = values['folders-by'] ?? 'defect-type';
        if (foldersBy !== 'defect-type' && foldersBy !== 'cluster') throw new UsageError(`--folders-by must be defect-type or cluster, not ${foldersBy}`);
        if (values.exact && values.name !== undefined) throw new UsageError('--exact writes into --out itself: leave out --name');
        // Every category unless one is named.
        const only = values.category === undefined ? null : await resolveCategory(engine, values.category);
        const selection = await defaultSelection(engine, values.selection, values['accepted-only'], only?.id ?? null, (m) => io.err(`gaa: ${m}\n`));
        const rep = await exportAndWait(engine, {
          categoryId: only?.id ?? null,
          outDir: resolve(values.out),
          formats: [...new Set(['mvtec' as const, ...formats])],
          selection,
          realShare: shareOption(values['real-share']),
          minContrast: contrastOption(values['min-contrast']),
          name: values.name ?? null,
          layout: foldersBy,
          exact: values.exact,
        });
        if (rep.status !== 'done') {
          throw new JobFailed(`export ${rep.status}${rep.error ? `: ${rep.error}` : ''}`);
        }
        for (const w of rep.warnings) io.err(`gaa: warning: ${w}\n`);
        // The root is a new folder inside --out unless --exact: say where, whatever the output mode.
        io.err(`gaa: export written to ${rep.root}\n`);
        print(rep, `Exported ${rep.files} files (${rep.synthetic.pairs} synthetic pairs, ${rep.real.copies} real) to\n  ${rep.root}`);
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
    return reportFailure(err, values.json, io);
  } finally {
    await engine.close();
  }
}

/** Paths (`synth.tile`) of the demo stages whose status is set and is not `done`. */
function unfinishedStages(stages: Record<string, unknown>, prefix = ''): string[] {
  const out: string[] = [];
  for (const [name, v] of Object.entries(stages)) {
    if (!v || typeof v !== 'object' || Array.isArray(v)) continue;
    const status = (v as { status?: unknown }).status;
    if (typeof status === 'string') {
      if (status !== 'done') out.push(`${prefix}${name}: ${status}`);
    } else out.push(...unfinishedStages(v as Record<string, unknown>, `${prefix}${name}.`));
  }
  return out;
}

function intOption(name: string, raw: string | undefined, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
  return n;
}

function allocationOption(raw: string | undefined): Allocation {
  const a = raw ?? 'proportional';
  if (!(allocations as readonly string[]).includes(a)) throw new UsageError(`--allocation must be proportional or equal, not ${a}`);
  return a as Allocation;
}

/** Masks to make: --per-cluster N each (--count is its old name), or --total N by allocation (default 100 × the clusters in scope). */
async function masksCount(
  api: Engine,
  categoryId: number,
  clusterId: number | null,
  values: { count?: string; total?: string; allocation?: string; 'per-cluster'?: string },
  io: CliIo,
): Promise<{ perCluster: number } | { total: number; allocation: Allocation }> {
  if (values.count !== undefined) io.err('gaa: --count is now --per-cluster (the same count for every cluster)\n');
  const perCluster = values['per-cluster'] ?? values.count;
  if (perCluster !== undefined && values.total !== undefined) throw new UsageError('give either --total or --per-cluster, not both');
  if (perCluster !== undefined) return { perCluster: intOption('per-cluster', perCluster, 1, 100000) };
  if (values.total !== undefined) return { total: intOption('total', values.total, 1, 1000000), allocation: allocationOption(values.allocation) };
  const clusters = (await api.call('clusters.get', { categoryId })).clusters.filter((c) => (clusterId === null || c.id === clusterId) && c.size > 0);
  return { total: 100 * Math.max(1, clusters.length), allocation: allocationOption(values.allocation) };
}

/** The filter's count: --keep-per-cluster (--keep is its old name). */
function keepOption(values: { keep?: string; 'keep-per-cluster'?: string }, fallback: number | null, io: CliIo): number {
  if (values.keep !== undefined) io.err('gaa: --keep is now --keep-per-cluster (the filter keeps that many in each cluster)\n');
  const raw = values['keep-per-cluster'] ?? values.keep ?? (fallback === null ? undefined : String(fallback));
  if (raw === undefined) throw new UsageError('filter needs --keep-per-cluster N (the best N pairs of each cluster are kept)');
  return intOption('keep-per-cluster', raw, 1, 100000);
}

function humanKeep(k: KeepSummary): string {
  const pct = (s: number) => `${(100 * s).toFixed(0)} %`;
  return [
    `${k.kept} of ${k.total} pairs kept${k.keepPerCluster !== null ? ` (up to ${k.keepPerCluster} per cluster)` : ''}`,
    ...k.perCluster.map((c) => `  cluster ${c.cluster}: ${c.kept} of ${c.pairs} (${pct(c.share)})`),
    ...k.perBlendMode.map((m) => `  blend ${m.blendMode}: ${m.kept} of ${m.pairs} (${pct(m.share)})`),
  ].join('\n');
}

function fractionOption(name: string, raw: string | undefined): number {
  const n = Number(raw);
  if (!(n > 0 && n <= 1)) throw new UsageError(`--${name} must be a number greater than 0 and at most 1`);
  return n;
}

/**
 * The export's selection: the one asked for; without one, the filter the newest value check of
 * each exported category chose (issue 11 item 7) where every category has one and they agree,
 * else `kept`. `say` tells the user where a chosen default came from.
 */
async function defaultSelection(
  engine: Engine,
  raw: string | undefined,
  acceptedOnly: boolean | undefined,
  categoryId: number | null,
  say: (message: string) => void,
): Promise<ExportSelection> {
  if (raw !== undefined || acceptedOnly) return exportSelection(raw, acceptedOnly);
  const ids = categoryId !== null ? [categoryId] : (await engine.call('project.info', {})).categories.map((c) => c.id);
  const recs = await Promise.all(ids.map((id) => engine.call('value.recommendation', { categoryId: id })));
  const first = recs[0];
  if (!first || recs.some((r) => r?.selection !== first.selection)) return exportSelection(undefined, false);
  say(`selection ${first.selection}, from the value check (job ${recs.map((r) => r!.jobId).join(', ')}): ${first.why}`);
  return first.selection;
}

/** kept: the filter's choice plus what the user accepted (default); accepted: only those; all: every pair not rejected. */
function exportSelection(raw: string | undefined, acceptedOnly: boolean | undefined): ExportSelection {
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

function contrastOption(raw: string | undefined): number {
  const n = Number(raw);
  if (!(n >= 0 && n <= 1)) throw new UsageError('--min-contrast must be a number from 0 to 1 (a share of the cluster\'s median exemplar contrast)');
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
  // Before a job knows its size it has nothing to count: no "0/0".
  if (p.total === 0 && p.done === 0) return p.message ? `[${p.kind} #${p.jobId}] ${p.message}\n` : '';
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
