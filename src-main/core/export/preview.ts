/**
 * What an export would write, before it writes (METHOD.md §6): per category and cluster the
 * pairs, per category the normal images, and for each format how many of them it holds, with
 * the number of files in all. Computed from the same request the export takes.
 */
import { HELD_OUT_KEY, plannedFiles } from './export';
import type { ExportFormat, ExportRequest } from './types';

export type PreviewRowKind = 'pairs' | 'normals' | 'heldOutNormals';

export interface PreviewRow {
  category: string;
  /** The cluster's name; `good` for train/good normals, `test/good` for held-out normals. */
  cluster: string;
  kind: PreviewRowKind;
  /** Pairs (pairs rows) or normal images. */
  images: number;
  /** Of a pairs row's pairs, the real few-shot ones. */
  real: number;
  /** Images each chosen format holds of this row. */
  perFormat: Partial<Record<ExportFormat, number>>;
}

export interface ExportPreview {
  formats: ExportFormat[];
  rows: PreviewRow[];
  files: number;
}

/** Which rows a format holds: every format has the pairs, MVTec both normal folders, anomalib Folder the training normals. */
const HOLDS: Record<ExportFormat, ReadonlySet<PreviewRowKind>> = {
  mvtec: new Set(['pairs', 'normals', 'heldOutNormals']),
  folder: new Set(['pairs', 'normals']),
  coco: new Set(['pairs']),
  yolo: new Set(['pairs']),
};

export function previewExport(req: Pick<ExportRequest, 'formats' | 'pairs' | 'normals' | 'heldOutNormals'>): ExportPreview {
  const formats = (['mvtec', 'folder', 'coco', 'yolo'] as const).filter((f) => f === 'mvtec' || req.formats.includes(f));
  const rows = new Map<string, PreviewRow>();
  const row = (category: string, cluster: string, kind: PreviewRowKind): PreviewRow => {
    const key = `${category}\u0000${kind}\u0000${cluster}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { category, cluster, kind, images: 0, real: 0, perFormat: {} }));
    return r;
  };
  for (const p of req.pairs) {
    const r = row(p.category, p.folder ?? p.cluster, 'pairs');
    r.images++;
    if (p.source === 'real') r.real++;
  }
  for (const n of req.normals) row(n.category, 'good', 'normals').images++;
  for (const n of req.heldOutNormals ?? []) row(n.category, HELD_OUT_KEY, 'heldOutNormals').images++;
  const order: Record<PreviewRowKind, number> = { pairs: 0, normals: 1, heldOutNormals: 2 };
  const sorted = [...rows.values()].sort(
    (a, b) => a.category.localeCompare(b.category) || order[a.kind] - order[b.kind] || a.cluster.localeCompare(b.cluster),
  );
  for (const r of sorted) for (const f of formats) r.perFormat[f] = HOLDS[f].has(r.kind) ? r.images : 0;
  return { formats, rows: sorted, files: plannedFiles(req, new Set(formats)) };
}
