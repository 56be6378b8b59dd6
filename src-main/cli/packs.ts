/**
 * `gaa packs install|list|remove`: the same engine requests as the Settings screen, on the
 * user-data folder of this machine (GAA_USER_DATA overrides it).
 */
import { resolve } from 'node:path';
import { formatBytes } from '../api/format';
import type { PackInfo, PackListInfo } from '../api/types';
import type { ApiClient } from '../api/contract';

export class PacksUsageError extends Error {}

export interface PacksCommandResult {
  doc: unknown;
  human: string;
}

function humanPack(p: PackInfo): string {
  return `${p.name}  ${p.kind}  v${p.version}  ${p.licence}  ${formatBytes(p.sizeBytes)}  (${p.files.length} file${p.files.length === 1 ? '' : 's'})`;
}

export function humanListing(l: PackListInfo): string {
  const lines = [`Model packs in ${l.packsDir}:`];
  if (l.packs.length === 0) lines.push('  (none installed)');
  for (const p of l.packs) lines.push(`  ${humanPack(p)}`);
  for (const b of l.broken) lines.push(`  BROKEN ${b.dir}: ${b.reason}`);
  return lines.join('\n');
}

/** Runs one `packs` subcommand; a refused install or unknown pack throws the engine's error (exit 1). */
export async function packsCommand(api: ApiClient, args: string[], opts: { replace: boolean }): Promise<PacksCommandResult> {
  const [sub, target, ...extra] = args;
  if (extra.length > 0) throw new PacksUsageError(`packs ${sub}: unexpected argument "${extra[0]}"`);
  switch (sub) {
    case 'list': {
      if (target !== undefined) throw new PacksUsageError(`packs list takes no argument (got "${target}")`);
      const listing = await api.call('packs.list', {});
      return { doc: listing, human: humanListing(listing) };
    }
    case 'install': {
      if (!target) throw new PacksUsageError('packs install needs a pack folder or .zip: gaa packs install PATH [--replace]');
      const pack = await api.call('packs.install', { source: resolve(target), replace: opts.replace });
      return { doc: pack, human: `Installed ${humanPack(pack)}\n  into ${pack.dir}` };
    }
    case 'remove': {
      if (!target) throw new PacksUsageError('packs remove needs a pack name: gaa packs remove NAME');
      const listing = await api.call('packs.remove', { name: target });
      return { doc: { removed: target, ...listing }, human: `Removed ${target}\n${humanListing(listing)}` };
    }
    default:
      throw new PacksUsageError(sub ? `unknown packs subcommand "${sub}" (install, list or remove)` : 'packs needs a subcommand: install, list or remove');
  }
}
