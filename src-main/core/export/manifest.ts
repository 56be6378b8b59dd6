/** manifest.json: the provenance of every exported pair (ARCHITECTURE.md, "manifest.json"). */
import type { ExportFormat, ExportPair } from './types';

export const MANIFEST_VERSION = 1;

export interface ManifestFile {
  image: string;
  mask: string;
  normalImage: string | null;
  category: string;
  cluster: string;
  /** The imported defect type (real pairs) or that of the exemplar (synthetic); absent when unknown. */
  defectType?: string | null;
  generator: string;
  seed: number | null;
  ars: number | null;
  source: 'synthetic' | 'real';
  /** Synthetic pairs: how far the pair strays outside its mask (the alignment rule). */
  outsideChange?: { max: number; overTolerance: number } | null;
  /** Synthetic pairs: the fraction of the mask visibly changed (the label shows its defect). */
  insideVisible?: number | null;
  /** Synthetic pairs: the defect's contrast over its cluster's median exemplar's. */
  contrastRatio?: number | null;
  provenance?: Record<string, unknown>;
}

export interface ManifestNormal {
  image: string;
  category: string;
  sourceImage: string;
}

export interface Manifest {
  version: number;
  createdAt: string;
  formats: ExportFormat[];
  parameters: Record<string, unknown>;
  counts: Record<string, Record<string, number>>;
  files: ManifestFile[];
  normals: ManifestNormal[];
}

export function manifestFile(pair: ExportPair, image: string, mask: string): ManifestFile {
  const entry: ManifestFile = {
    image,
    mask,
    normalImage: pair.normalImage,
    category: pair.category,
    cluster: pair.cluster,
    generator: pair.generator,
    seed: pair.seed,
    ars: pair.ars,
    source: pair.source,
  };
  if (pair.defectType !== undefined) entry.defectType = pair.defectType;
  if (pair.outsideChange !== undefined) entry.outsideChange = pair.outsideChange;
  if (pair.contrastRatio !== undefined) entry.contrastRatio = thousandths(pair.contrastRatio);
  if (pair.insideVisible !== undefined) entry.insideVisible = thousandths(pair.insideVisible);
  if (pair.provenance !== undefined) entry.provenance = pair.provenance;
  return entry;
}

/** A recorded fraction as the manifest writes it: three decimals, null kept. */
function thousandths(v: number | null): number | null {
  return v === null ? null : Math.round(1000 * v) / 1000;
}
