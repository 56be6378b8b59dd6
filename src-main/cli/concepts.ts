/**
 * `gaa concepts export-bundle|import`: the diffusion path's hand-over with an external trainer
 * (METHOD.md §2). The bundle goes out with a category's few-shot pairs per cluster; the trained
 * gaa-concepts pack comes back, is checked against the category's clusters, installed in the
 * user-data packs folder and bound to the category.
 */
import { resolve } from 'node:path';
import type { ConceptBundleInfo, ConceptImportReport } from '../api/types';
import type { ApiClient } from '../api/contract';
import { resolveCategory } from './commands';

export class ConceptsUsageError extends Error {}

export interface ConceptsCommandResult {
  doc: unknown;
  human: string;
}

export interface ConceptsOptions {
  project?: string;
  category?: string;
  out?: string;
  pack?: string;
  name?: string;
  replace: boolean;
}

function humanBundle(b: ConceptBundleInfo): string {
  const lines = [`Concept-training bundle for ${b.category}: ${b.root} (${b.files} files)`];
  for (const c of b.clusters) lines.push(`  cluster ${c.id} ${c.name}: ${c.members} pair${c.members === 1 ? '' : 's'}`);
  lines.push('Train it outside the workbench (see README.md in the bundle), then: gaa concepts import --pack PATH');
  return lines.join('\n');
}

function humanImport(r: ConceptImportReport): string {
  const lines = [
    `Concept pack ${r.pack.name} v${r.pack.version} ${r.alreadyInstalled ? 'was already installed' : 'installed'} (${r.pack.dir}) and bound to the category`,
  ];
  for (const c of r.clusters) lines.push(`  cluster ${c.id} ${c.name}: ${c.concept ? 'concept' : 'no concept (exemplar generator only)'}`);
  return lines.join('\n');
}

/** Runs one `concepts` subcommand; an engine refusal (unknown cluster id, bad shapes) throws its error (exit 1). */
export async function conceptsCommand(api: ApiClient, args: string[], o: ConceptsOptions): Promise<ConceptsCommandResult> {
  const sub = args[0];
  if (sub !== 'export-bundle' && sub !== 'import') throw new ConceptsUsageError('concepts needs a subcommand: export-bundle or import');
  if (!o.project) throw new ConceptsUsageError('--project DIR is required');
  if (sub === 'export-bundle' && !o.out) throw new ConceptsUsageError('concepts export-bundle needs --out DIR');
  if (sub === 'import' && !o.pack) throw new ConceptsUsageError('concepts import needs --pack PATH (a gaa-concepts pack folder or .zip)');
  await api.call('project.open', { dir: resolve(o.project) });
  const category = await resolveCategory(api, o.category);
  if (sub === 'export-bundle') {
    const res = await api.call('concepts.exportBundle', { categoryId: category.id, outDir: resolve(o.out!), name: o.name });
    return { doc: res, human: humanBundle(res) };
  }
  const res = await api.call('concepts.import', { categoryId: category.id, source: resolve(o.pack!), replace: o.replace });
  return { doc: { category: category.name, ...res }, human: humanImport(res) };
}
