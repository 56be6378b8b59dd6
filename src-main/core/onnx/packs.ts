/** An installed model pack as the models see it, and the error a refused pack is reported with. */
import type { ConceptsPackManifest, PackKind, PackManifest, Sd15PackManifest } from './pack-schema';

export interface InstalledPack<M extends PackManifest = PackManifest> {
  name: string;
  kind: PackKind;
  /** Absolute folder the pack lives in; every path in the manifest is relative to it. */
  dir: string;
  manifest: M;
}

export type Sd15Pack = InstalledPack<Sd15PackManifest>;
export type ConceptsPack = InstalledPack<ConceptsPackManifest>;

/** Thrown when a pack is refused; `problems` says exactly why, one line each. */
export class PackError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`model pack refused: ${problems.join('; ')}`);
    this.name = 'PackError';
    this.problems = problems;
  }
}

export function asSd15Pack(pack: InstalledPack): Sd15Pack {
  if (pack.manifest.kind !== 'sd15-onnx') throw new Error(`pack '${pack.name}' is a ${pack.kind} pack, not sd15-onnx`);
  return pack as Sd15Pack;
}

export function asConceptsPack(pack: InstalledPack): ConceptsPack {
  if (pack.manifest.kind !== 'gaa-concepts') throw new Error(`pack '${pack.name}' is a ${pack.kind} pack, not gaa-concepts`);
  return pack as ConceptsPack;
}
