import { readdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { Mask } from '../core/image/raster';
import { imageAuroc, pixelMetrics, proScore, type ScoreMap } from '../core/metrics';
import { loadFirstBand16 } from '../io/image-codec';

export interface EvaluateReport {
  pairs: number;
  pixelAuroc: number;
  pixelAp: number;
  pixelF1Max: number;
  /** Per-region overlap integrated to FPR 0.3, normalised (METHOD.md §7). */
  pro: number;
  /** Image score = the map's maximum; an image is anomalous when its mask is not empty. */
  imageAuroc: number;
  errors: { file: string; reason: string }[];
}

const IMAGE = /\.(png|tif|tiff)$/i;

/** Mask file for a prediction stem: `<stem>_mask.png` or `<stem>.png` in the ground-truth folder. */
function maskFor(gtFiles: Map<string, string>, stem: string): string | undefined {
  return gtFiles.get(`${stem}_mask`) ?? gtFiles.get(stem);
}

/**
 * `gaa evaluate`: localisation metrics of a folder of predicted score maps (gray PNG/TIFF, 8 or
 * 16 bit, higher = more anomalous) against a folder of ground-truth masks, paired by file stem.
 */
export async function evaluateFolders(predDir: string, gtDir: string): Promise<EvaluateReport> {
  const stemOf = (f: string) => basename(f, extname(f));
  const gtFiles = new Map(readdirSync(gtDir).filter((f) => IMAGE.test(f)).map((f) => [stemOf(f), join(gtDir, f)]));
  const maps: ScoreMap[] = [];
  const masks: Mask[] = [];
  const errors: EvaluateReport['errors'] = [];
  for (const f of readdirSync(predDir).filter((x) => IMAGE.test(x)).sort()) {
    const file = join(predDir, f);
    const gt = maskFor(gtFiles, stemOf(f));
    if (!gt) {
      errors.push({ file, reason: `no ground-truth mask named ${stemOf(f)}_mask.png or ${stemOf(f)}.png in ${gtDir}` });
      continue;
    }
    try {
      const p = await loadFirstBand16(file);
      const m = await loadFirstBand16(gt);
      if (p.width !== m.width || p.height !== m.height) {
        throw new Error(`map is ${p.width}×${p.height} but its mask ${basename(gt)} is ${m.width}×${m.height}`);
      }
      const pv = p.data;
      const mv = m.data;
      let max = 0;
      for (const v of mv) if (v > max) max = v;
      // METHOD.md §0: a mask pixel is on at half of that mask's maximum or more.
      const on = new Uint8Array(mv.length);
      if (max > 0) for (let i = 0; i < mv.length; i++) on[i] = mv[i] * 2 >= max ? 1 : 0;
      maps.push({ width: p.width, height: p.height, data: Float32Array.from(pv) });
      masks.push({ width: m.width, height: m.height, data: on });
    } catch (err) {
      errors.push({ file, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  if (maps.length === 0) throw new Error(`no predicted map in ${predDir} could be paired with a mask in ${gtDir}`);
  const pixel = pixelMetrics(maps, masks);
  const imageScores = maps.map((m) => m.data.reduce((a, v) => (v > a ? v : a), -Infinity));
  const imageLabels = masks.map((m) => (m.data.some((v) => v !== 0) ? 1 : 0));
  return {
    pairs: maps.length,
    pixelAuroc: pixel.auroc,
    pixelAp: pixel.ap,
    pixelF1Max: pixel.f1Max.f1,
    pro: proScore(maps, masks),
    imageAuroc: imageAuroc(imageScores, imageLabels),
    errors,
  };
}
