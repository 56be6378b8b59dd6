/**
 * Image references: the only way the renderer names a picture. Zod-free so the renderer and the
 * preload can import it without pulling the schemas into their bundles.
 */

/** Images the renderer may display; resolved by the engine against the project's own records only. */
export type ImageRef =
  | { kind: 'image'; imageId: number }
  | { kind: 'thumb'; imageId: number }
  | { kind: 'mask'; maskId: number }
  | { kind: 'regionMask'; id: number }
  | { kind: 'alignedMask'; id: number }
  | { kind: 'sample'; id: number }
  /** A generated pair's label: its aligned mask, or the part of it its exemplar covers. */
  | { kind: 'sampleMask'; id: number }
  | { kind: 'scoreMap'; id: number };

/** `image/12`, `thumb/12`, `mask/7`: the path part shared by both image routes. */
export function imageRefPath(ref: ImageRef): string {
  switch (ref.kind) {
    case 'mask':
      return `mask/${ref.maskId}`;
    case 'regionMask':
      return `region-mask/${ref.id}`;
    case 'alignedMask':
      return `aligned-mask/${ref.id}`;
    case 'sample':
      return `sample/${ref.id}`;
    case 'sampleMask':
      return `sample-mask/${ref.id}`;
    case 'scoreMap':
      return `score-map/${ref.id}`;
    default:
      return `${ref.kind}/${ref.imageId}`;
  }
}

/** Inverse of imageRefPath; null for anything that is not exactly one of the known shapes. */
export function parseImageRefPath(p: string): ImageRef | null {
  const m = /^(image|thumb|mask|region-mask|aligned-mask|sample|sample-mask|score-map)\/([1-9][0-9]{0,15})$/.exec(p);
  if (!m) return null;
  const n = Number(m[2]);
  if (!Number.isSafeInteger(n)) return null;
  switch (m[1]) {
    case 'mask':
      return { kind: 'mask', maskId: n };
    case 'region-mask':
      return { kind: 'regionMask', id: n };
    case 'aligned-mask':
      return { kind: 'alignedMask', id: n };
    case 'sample':
      return { kind: 'sample', id: n };
    case 'sample-mask':
      return { kind: 'sampleMask', id: n };
    case 'score-map':
      return { kind: 'scoreMap', id: n };
    default:
      return { kind: m[1] as 'image' | 'thumb', imageId: n };
  }
}
