/**
 * packs.*: app-level model packs in `<userDataDir>/packs` (ARCHITECTURE.md "Models"). The
 * install and checks live in io/packs and core/onnx/pack-validate.ts; this turns their outcome into the contract's
 * plain results and user-facing errors.
 */
import { promises as fsp } from 'node:fs';
import { basename, join } from 'node:path';
import { ApiError } from '../../api/contract';
import type { PackInfo, PackListInfo } from '../../api/types';
import { PackError, type InstalledPack } from '../../core/onnx/packs';
import { DEFAULT_MAX_PACK_BYTES, installPack, listPacks, removePack, sweepPackStagings } from '../../io/packs';
import type { EngineContext, NamespaceHandlers } from '../context';
import { loadSettings, packsDir } from '../app/settings';

/** Total bytes of the plain files under `dir` (links are not followed; packs contain none). */
async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) total += await folderBytes(full);
    else if (entry.isFile()) total += (await fsp.stat(full)).size;
  }
  return total;
}

async function fileBytes(path: string): Promise<number | null> {
  try {
    return (await fsp.stat(path)).size;
  } catch {
    return null;
  }
}

async function packInfo(pack: InstalledPack): Promise<PackInfo> {
  const m = pack.manifest;
  return {
    name: pack.name,
    kind: pack.kind,
    version: m.version,
    licence: m.licence,
    description: m.description ?? null,
    dir: pack.dir,
    sizeBytes: await folderBytes(pack.dir),
    files: await Promise.all(m.files.map(async (f) => ({ path: f.path, sha256: f.sha256, bytes: await fileBytes(join(pack.dir, f.path)) }))),
    models: Object.keys(m.models),
  };
}

/** A refused pack as one message with every reason on its own line, for the UI and the CLI alike. */
export function refusalMessage(problems: readonly string[]): string {
  return `model pack refused (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`;
}

export async function packListing(userDataDir: string): Promise<PackListInfo> {
  const dir = packsDir(userDataDir);
  const listing = await listPacks(dir);
  return { packsDir: dir, packs: await Promise.all(listing.packs.map(packInfo)), broken: listing.broken };
}

const PROGRESS_INTERVAL_MS = 100;

export function packHandlers(ctx: Pick<EngineContext, 'emit'>, userDataDir: string): NamespaceHandlers<'packs'> {
  const installs = new Set<AbortController>();
  // What installs killed mid-way left (a staging folder can be gigabytes) goes when the engine
  // starts; the pack requests wait for it, so even a one-shot `gaa packs list` completes it.
  const startupSweep = sweepPackStagings(packsDir(userDataDir)).catch(() => []);
  return {
    'packs.list': async () => {
      await startupSweep;
      return packListing(userDataDir);
    },
    'packs.install': async (a) => {
      await startupSweep;
      const controller = new AbortController();
      installs.add(controller);
      let last = 0;
      try {
        const pack = await installPack(a.source, packsDir(userDataDir), {
          replace: a.replace,
          signal: controller.signal,
          maxBytes: loadSettings(userDataDir).settings.maxPackBytes ?? DEFAULT_MAX_PACK_BYTES,
          onProgress: (p) => {
            const now = Date.now();
            if (now - last < PROGRESS_INTERVAL_MS && p.done < p.total && p.done > 0) return;
            last = now;
            ctx.emit('packs.installProgress', p);
          },
        });
        return await packInfo(pack);
      } catch (e) {
        if (e instanceof PackError) throw new ApiError('bad_request', refusalMessage(e.problems));
        throw e;
      } finally {
        installs.delete(controller);
      }
    },
    'packs.cancelInstall': () => {
      for (const c of installs) c.abort();
      return { cancelled: installs.size };
    },
    'packs.remove': async (a) => {
      const dir = packsDir(userDataDir);
      const listing = await listPacks(dir);
      if (listing.packs.some((p) => p.name === a.name)) {
        await removePack(dir, a.name);
        return packListing(userDataDir);
      }
      // A broken folder can be removed too: that is how the user gets rid of a damaged pack. It
      // may be named anything, so it goes by the exact path the listing found, never one built from input.
      const broken = listing.broken.find((b) => basename(b.dir) === a.name);
      if (!broken) throw new ApiError('not_found', `no pack named '${a.name}' is installed in ${dir}`);
      await fsp.rm(broken.dir, { recursive: true, force: true });
      return packListing(userDataDir);
    },
  };
}
