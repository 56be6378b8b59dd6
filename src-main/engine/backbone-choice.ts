/**
 * A backbone model pack chosen for a job (AMFC's deep block, the scorer's F_β): resolved and
 * checked when the job starts, stored with the job's parameters (so a resumed job runs on the
 * same pack and runtime settings), opened inside the job.
 */
import { join } from 'node:path';
import { ApiError } from '../api/contract';
import type { Backbone } from '../core/onnx/backbone';
import type { ProviderRequest } from '../core/onnx/runtime';
import { openBackbone } from '../io/onnx-runtime';
import { loadPack } from '../io/packs';
import type { Raster } from '../core/image/raster';
import { createHandcraftedExtractor, scoreMapFromGrid, type PatchGrid, type ScoreModel } from '../core/score';
import type { ScoreMap } from '../core/metrics';
import { loadSettings, packsDir } from './app/settings';

export interface BackboneChoice {
  packsDir: string;
  pack: string;
  provider: ProviderRequest;
  intraOpThreads: number | null;
}

/** Checks that `name` is an installed backbone pack and captures the app's runtime settings with it. */
export async function resolveBackboneChoice(userDataDir: string, name: string): Promise<BackboneChoice> {
  const dir = packsDir(userDataDir);
  let kind: string;
  try {
    kind = (await loadPack(join(dir, name))).kind;
  } catch (e) {
    throw new ApiError('bad_request', `backbone pack '${name}' is not installed in ${dir} (${e instanceof Error ? e.message : String(e)})`);
  }
  if (kind !== 'backbone') throw new ApiError('bad_request', `pack '${name}' is a ${kind} pack, not a backbone`);
  const { settings } = loadSettings(userDataDir);
  return { packsDir: dir, pack: name, provider: settings.executionProvider, intraOpThreads: settings.intraOpThreads };
}

export async function openBackboneChoice(choice: BackboneChoice): Promise<Backbone> {
  let pack;
  try {
    pack = await loadPack(join(choice.packsDir, choice.pack));
  } catch (e) {
    throw new Error(`backbone pack '${choice.pack}' cannot be loaded: ${e instanceof Error ? e.message : String(e)}`);
  }
  return openBackbone(pack, { provider: choice.provider, ...(choice.intraOpThreads !== null ? { intraOpThreads: choice.intraOpThreads } : {}) });
}

/** F_β as the score job uses it: patch grids produced asynchronously, so an ONNX backbone fits beside the built-in extractor. */
export interface GridExtractor {
  readonly id: string;
  grid(image: Raster): Promise<PatchGrid>;
}

/** The built-in hand-crafted extractor, or the chosen backbone pack's (METHOD.md §5). */
export async function scoreExtractor(backbone: BackboneChoice | undefined): Promise<GridExtractor> {
  if (!backbone) {
    const handcrafted = createHandcraftedExtractor();
    return { id: handcrafted.id, grid: async (image) => handcrafted.extract(image) };
  }
  const b = await openBackboneChoice(backbone);
  return { id: b.id, grid: (image) => b.patchGrid(image) };
}

/** The image-size score map S (§3.4), refusing a scorer trained with another extractor. */
export async function scoreMapWith(model: ScoreModel, extractor: GridExtractor, image: Raster): Promise<ScoreMap> {
  if (extractor.id !== model.extractorId) throw new Error(`scorer was trained with "${model.extractorId}", not "${extractor.id}"`);
  return scoreMapFromGrid(model, await extractor.grid(image), image.width, image.height);
}
