/**
 * concepts.*: the diffusion path's hand-over with an external trainer (METHOD.md §2). Export a
 * concept-training bundle of a category's clusters; import the `gaa-concepts` pack the trainer
 * returns, checked against the category's clusters, and bind it to the category (a project
 * setting) so the synthesis job finds it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../api/contract';
import type { ConceptBundleInfo, ConceptImportReport, ConceptStatus } from '../../api/types';
import type { ConceptBundleCluster } from '../../core/export/concept-bundle';
import { writeConceptBundle } from '../../io/export-writer';
import { ExportError } from '../../core/export/types';
import type { ConceptsPackManifest } from '../../core/onnx/pack-schema';
import { PackError, asSd15Pack, type InstalledPack } from '../../core/onnx/packs';
import { installPack, loadPack, packStaging } from '../../io/packs';
import { getCategory } from '../../store/categories';
import { clusterState } from '../../store/clusters';
import type { Db } from '../../store/db';
import { imageFiles, maskBlob } from '../../store/images';
import { getSetting, setSetting } from '../../store/project';
import type { EngineContext, NamespaceHandlers } from '../context';
import { loadSettings, packsDir } from '../app/settings';
import type { DiffusionSynthParams } from '../synth/job';
import { refusalMessage } from '../packs/handlers';
import { refusePseudoFilesystem } from '../../io/folders';

export interface ConceptBinding {
  pack: string;
  version: string;
}

/** Project setting holding a category's bound concept pack (the pack itself is app-level, in the packs folder). */
export function bindingKey(categoryId: number): string {
  return `concepts.pack.category.${categoryId}`;
}

export function conceptBinding(db: Db, categoryId: number): ConceptBinding | null {
  return getSetting<ConceptBinding | null>(db, bindingKey(categoryId), null);
}

/** How a concept pack's cluster ids match the category's clusters (ids are the project's cluster ids as strings). */
export function matchConcepts(
  packClusterIds: readonly string[],
  clusters: readonly { id: number; name: string }[],
): { unknown: string[]; duplicates: string[]; withoutConcept: { id: number; name: string }[] } {
  const project = new Set(clusters.map((c) => String(c.id)));
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const id of packClusterIds) {
    if (seen.has(id)) duplicates.add(id);
    seen.add(id);
  }
  return {
    unknown: [...seen].filter((id) => !project.has(id)),
    duplicates: [...duplicates],
    withoutConcept: clusters.filter((c) => !seen.has(String(c.id))).map((c) => ({ id: c.id, name: c.name })),
  };
}

async function loadBoundPack(dir: string, binding: ConceptBinding): Promise<{ pack: InstalledPack | null; problem: string | null }> {
  const packDir = join(dir, binding.pack);
  if (!existsSync(packDir)) return { pack: null, problem: `concept pack '${binding.pack}' is no longer installed in ${dir}` };
  try {
    const pack = await loadPack(packDir);
    if (pack.manifest.kind !== 'gaa-concepts') return { pack: null, problem: `pack '${binding.pack}' is a ${pack.kind} pack, not gaa-concepts` };
    return { pack, problem: null };
  } catch (e) {
    return { pack: null, problem: `concept pack '${binding.pack}' cannot be read: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export async function conceptStatus(db: Db, categoryId: number, userDataDir: string): Promise<ConceptStatus> {
  const clusters = clusterState(db, categoryId).clusters;
  const binding = conceptBinding(db, categoryId);
  const loaded = binding ? await loadBoundPack(packsDir(userDataDir), binding) : { pack: null, problem: null };
  const ids = new Set(loaded.pack?.manifest.kind === 'gaa-concepts' ? loaded.pack.manifest.clusters.map((c) => c.id) : []);
  return {
    categoryId,
    pack: loaded.pack ? { name: loaded.pack.name, version: loaded.pack.manifest.version, dir: loaded.pack.dir } : null,
    problem: loaded.problem,
    clusters: clusters.map((c) => ({ id: c.id, name: c.name, concept: ids.has(String(c.id)) })),
  };
}

/** Same pack: same name, version and file hashes (a re-import of what is installed). */
function samePack(a: InstalledPack, b: InstalledPack): boolean {
  const files = (p: InstalledPack) => JSON.stringify([...p.manifest.files].sort((x, y) => x.path.localeCompare(y.path)).map((f) => [f.path, f.sha256]));
  return a.name === b.name && a.manifest.version === b.manifest.version && files(a) === files(b);
}

/**
 * Installs the pack at `source` for the category: validated first in a hidden folder of the
 * packs folder (hashes, model metadata, e_f shapes, by installPack), then against the
 * category's clusters, and only then moved into place and bound. A refused pack leaves nothing.
 */
export async function importConcepts(
  db: Db,
  categoryId: number,
  source: string,
  userDataDir: string,
  replace: boolean,
): Promise<ConceptImportReport> {
  const dir = packsDir(userDataDir);
  const clusters = clusterState(db, categoryId).clusters;
  if (clusters.length === 0) throw new ApiError('bad_request', 'the category has no clusters: run the clustering first');
  // Marked as this process's, so a kill mid-check leaves nothing the next start does not sweep.
  const staging = await packStaging(dir, '.concepts-import-');
  const checking = staging.dir;
  try {
    let candidate: InstalledPack;
    try {
      candidate = await installPack(source, checking);
    } catch (e) {
      if (e instanceof PackError) throw new ApiError('bad_request', refusalMessage(e.problems));
      throw e;
    }
    if (candidate.manifest.kind !== 'gaa-concepts') {
      throw new ApiError('bad_request', refusalMessage([`'${candidate.name}' is a ${candidate.kind} pack; a concept pack has kind gaa-concepts`]));
    }
    const manifest: ConceptsPackManifest = candidate.manifest;
    const match = matchConcepts(
      manifest.clusters.map((c) => c.id),
      clusters,
    );
    const problems: string[] = [];
    for (const id of match.duplicates) problems.push(`cluster id '${id}' appears more than once in pack.json`);
    for (const id of match.unknown) {
      problems.push(`cluster id '${id}' is not a cluster of this category (its clusters: ${clusters.map((c) => `${c.id} ${c.name}`).join(', ')})`);
    }
    if (problems.length) throw new ApiError('bad_request', refusalMessage(problems));

    const target = join(dir, candidate.name);
    let installed: InstalledPack;
    let alreadyInstalled = false;
    if (existsSync(target)) {
      const current = await loadPack(target).catch(() => null);
      if (current && samePack(current, candidate)) {
        installed = current;
        alreadyInstalled = true;
      } else if (replace) {
        const old = join(dir, `.removing-${candidate.name}-${randomBytes(4).toString('hex')}`);
        await fsp.rename(target, old);
        await fsp.rename(candidate.dir, target);
        await fsp.rm(old, { recursive: true, force: true });
        installed = { ...candidate, dir: target };
      } else {
        const version = current ? ` (version ${current.manifest.version})` : '';
        throw new ApiError('conflict', `a different pack named '${candidate.name}'${version} is already installed in ${dir}; import with replace (--replace) or give the new pack another name`);
      }
    } else {
      await fsp.rename(candidate.dir, target);
      installed = { ...candidate, dir: target };
    }
    setSetting(db, bindingKey(categoryId), { pack: installed.name, version: installed.manifest.version } satisfies ConceptBinding);
    const ids = new Set(manifest.clusters.map((c) => c.id));
    return {
      categoryId,
      pack: { name: installed.name, version: installed.manifest.version, dir: installed.dir },
      problem: null,
      alreadyInstalled,
      clusters: clusters.map((c) => ({ id: c.id, name: c.name, concept: ids.has(String(c.id)) })),
      withoutConcept: match.withoutConcept,
    };
  } finally {
    await staging.release();
  }
}

/**
 * The diffusion part of a synthesis job's parameters, resolved when the job is started: the
 * sd15 pack must be installed and the category must have a usable bound concept pack. Stored
 * with the job, so a resumed job runs with the same packs and runtime settings.
 */
export async function resolveDiffusion(
  db: Db,
  categoryId: number,
  userDataDir: string,
  a: { sd15Pack?: string; steps: number; guidance: number },
): Promise<DiffusionSynthParams> {
  const dir = packsDir(userDataDir);
  if (!a.sd15Pack) throw new ApiError('bad_request', 'the diffusion generator needs an sd15-onnx pack (sd15Pack)');
  const sdDir = join(dir, a.sd15Pack);
  if (!existsSync(sdDir)) throw new ApiError('not_found', `no pack named '${a.sd15Pack}' is installed in ${dir}`);
  try {
    asSd15Pack(await loadPack(sdDir));
  } catch (e) {
    throw new ApiError('bad_request', `pack '${a.sd15Pack}' cannot be used: ${e instanceof Error ? e.message : String(e)}`);
  }
  const binding = conceptBinding(db, categoryId);
  const name = getCategory(db, categoryId)?.name ?? String(categoryId);
  if (!binding) throw new ApiError('bad_request', `category '${name}' has no concept pack: export a bundle, train it, then import the pack (gaa concepts import)`);
  const bound = await loadBoundPack(dir, binding);
  if (!bound.pack) throw new ApiError('bad_request', `category '${name}': ${bound.problem}`);
  const { settings } = loadSettings(userDataDir);
  return {
    packsDir: dir,
    sd15Pack: a.sd15Pack,
    conceptsPack: bound.pack.name,
    steps: a.steps,
    guidance: a.guidance,
    provider: settings.executionProvider,
    intraOpThreads: settings.intraOpThreads,
  };
}

export function conceptHandlers(ctx: EngineContext, userDataDir: string): NamespaceHandlers<'concepts'> {
  return {
    'concepts.exportBundle': async (a): Promise<ConceptBundleInfo> => {
      const s = ctx.session();
      const categoryId = ctx.category(a.categoryId);
      const category = getCategory(s.db, categoryId)!.name;
      const clusters: ConceptBundleCluster[] = [];
      for (const c of clusterState(s.db, categoryId).clusters) {
        if (c.members.length === 0) continue;
        clusters.push({
          id: String(c.id),
          name: c.name,
          kind: c.kind,
          members: c.members.map((m) => {
            const image = imageFiles(s.db, m.imageId);
            const blob = maskBlob(s.db, m.maskId);
            if (!image || !blob) throw new ApiError('internal', `few-shot image ${m.relPath} has no image or mask record`);
            return { image: image.sourcePath, mask: s.blobs.path(blob), relPath: m.relPath, defectType: m.defectType };
          }),
        });
      }
      if (clusters.length === 0) throw new ApiError('bad_request', `category '${category}' has no clusters with few-shot members: run the clustering first`);
      await refusePseudoFilesystem(a.outDir);
      try {
        const res = await writeConceptBundle({ outDir: a.outDir, name: a.name, category, clusters, project: s.dir });
        return { category, ...res };
      } catch (e) {
        if (e instanceof ExportError) throw new ApiError(e.kind === 'already-exists' ? 'conflict' : 'io', e.message);
        throw e;
      }
    },
    'concepts.import': (a) => importConcepts(ctx.session().db, ctx.category(a.categoryId), a.source, userDataDir, a.replace),
    'concepts.get': (a) => conceptStatus(ctx.session().db, ctx.category(a.categoryId), userDataDir),
  };
}
