/**
 * ONNX Runtime behind the core's models: sessions (sessions.ts), a PackRuntime reading pack
 * files from disk, and the core's model factories bound to them, so callers name a pack and
 * options only.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openBackbone as openBackboneOn, type Backbone, type BackboneOptions } from '../../core/onnx/backbone';
import {
  createDiffusionGenerator as createDiffusionGeneratorOn,
  type DiffusionGenerator,
  type DiffusionOptions,
} from '../../core/onnx/diffusion-generator';
import type { ConceptsPack, InstalledPack, Sd15Pack } from '../../core/onnx/packs';
import type { PackRuntime } from '../../core/onnx/runtime';
import { openSegmenter as openSegmenterOn, type Segmenter, type SegmenterOptions } from '../../core/onnx/segmenter';
import { sessionCache, type SessionCache } from './sessions';

export { createSession, cudaProviderLibrary, onnxRuntimeVersion, SessionCache, sessionCache, supportedBackends } from './sessions';

/** Pack files from disk and sessions from `sessions` (the process-wide cache by default). */
export function packRuntime(sessions: SessionCache = sessionCache): PackRuntime {
  return {
    session: (packDir, file, options) => sessions.get(join(packDir, file), options),
    readFile: async (packDir, file) => new Uint8Array(await readFile(join(packDir, file))),
  };
}

/** Options of a model opened on ONNX Runtime: the core's, with an optional session cache instead of a runtime. */
type OnOrt<O extends { runtime: PackRuntime }> = Omit<O, 'runtime'> & { sessions?: SessionCache };

export function openBackbone(pack: InstalledPack, options: OnOrt<BackboneOptions> = {}): Backbone {
  const { sessions, ...rest } = options;
  return openBackboneOn(pack, { ...rest, runtime: packRuntime(sessions) });
}

export function openSegmenter(pack: InstalledPack, options: OnOrt<SegmenterOptions> = {}): Segmenter {
  const { sessions, ...rest } = options;
  return openSegmenterOn(pack, { ...rest, runtime: packRuntime(sessions) });
}

export function createDiffusionGenerator(
  pack: Sd15Pack,
  concepts: { pack: ConceptsPack; clusterId: string },
  options: OnOrt<DiffusionOptions> = {},
): DiffusionGenerator {
  const { sessions, ...rest } = options;
  return createDiffusionGeneratorOn(pack, concepts, { ...rest, runtime: packRuntime(sessions) });
}
