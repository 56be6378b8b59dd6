import { readdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { ApiError } from '../../api/contract';
import { binariseMask } from '../../core/dataset/mask';
import { usableNormalImages } from '../../store/images';
import { distinctColour } from '../../core/regions/colours';
import { listRegions, putRegionMask, upsertRegion } from '../../store/regions';
import { encodeMaskBlobPng, loadMask } from '../../io/image-codec';
import type { ProjectSession } from '../session';

export interface RegionImportResult {
  imported: { file: string; image: string; region: string; area: number }[];
  errors: { file: string; reason: string }[];
}

/**
 * Region labels supplied as files instead of drawn: `<image-stem>__<region>.png`, one per region
 * and labelled image, matched to the category's training normal images by file stem.
 */
export async function importRegionFolder(session: ProjectSession, categoryId: number, folder: string): Promise<RegionImportResult> {
  const { db, blobs } = session;
  let names: string[];
  try {
    names = readdirSync(folder).filter((n) => /\.png$/i.test(n) && n.includes('__'));
  } catch (err) {
    throw new ApiError('not_found', `cannot read region folder ${folder}: ${(err as Error).message}`);
  }
  if (names.length === 0) throw new ApiError('bad_request', `${folder} holds no <image-stem>__<region>.png files`);
  const normals = usableNormalImages(db, categoryId);
  const result: RegionImportResult = { imported: [], errors: [] };
  for (const name of names.sort()) {
    const file = join(folder, name);
    const stem = basename(name, extname(name));
    const cut = stem.lastIndexOf('__');
    const imageStem = stem.slice(0, cut);
    const region = stem.slice(cut + 2).trim();
    const stemOf = (p: string) => basename(p, extname(p));
    const matches = normals.filter((n) => stemOf(n.relPath) === imageStem);
    const preferred = matches.filter((m) => m.origin === 'train');
    const chosen = preferred.length === 1 ? preferred : matches;
    if (!region) {
      result.errors.push({ file, reason: 'no region name after "__"' });
      continue;
    }
    if (chosen.length !== 1) {
      result.errors.push({
        file,
        reason: chosen.length === 0 ? `no normal image with stem "${imageStem}" in this category` : `stem "${imageStem}" matches ${chosen.length} images: ${chosen.map((c) => c.relPath).join(', ')}`,
      });
      continue;
    }
    const target = chosen[0];
    try {
      const label = await loadMask(file);
      if (label.width !== target.width || label.height !== target.height) {
        throw new Error(`region mask is ${label.width}×${label.height} but ${target.relPath} is ${target.width}×${target.height}`);
      }
      const bin = binariseMask(label.data);
      if (bin.area === 0) throw new Error('region mask is empty');
      const png = await encodeMaskBlobPng({ width: label.width, height: label.height, data: bin.data });
      const blob = blobs.put(png, 'png');
      db.transaction(() => {
        const regionId = upsertRegion(db, categoryId, region, distinctColour(listRegions(db, categoryId).map((r) => r.colour)));
        putRegionMask(db, { imageId: target.id, regionId, source: 'label', vectors: null, blob, area: bin.area, confidence: 1 });
      })();
      result.imported.push({ file, image: target.relPath, region, area: bin.area });
    } catch (err) {
      result.errors.push({ file, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return result;
}
