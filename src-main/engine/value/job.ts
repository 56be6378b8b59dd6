/**
 * The value check job (issue 11, "Will this help?"): the same pixel classifier trained twice —
 * on the real few-shot pairs alone (flipped and half-turned copies) and on what the export would
 * contain (the selected synthetic pairs that keep the alignment rule, plus the real pairs at the
 * export's share) — and scored on the category's held-out real anomalies and held-out normal
 * images, for each seed. Images are read one at a time; nothing is written to the project.
 */
import type { JobParams } from '../../api/jobs';
import type { ValueFilterFigures, ValueJobResult, ValueMetrics } from '../../api/types';
import type { ExportSelection } from '../../store/exports';
import type { Mask, Raster } from '../../core/image/raster';
import { createRng } from '../../core/random';
import { augmentPair, chooseSelection, runValueCheck, type ImageList, type LabelledImage } from '../../core/value/value-check';
import { getCategory } from '../../store/categories';
import { getImage, heldOutImages, normalTrainingImages } from '../../store/images';
import { scoredPairCount } from '../../store/samples';
import { trainingSet } from '../export/training-set';
import type { JobBody } from '../jobs/runner';
import { loadMask, loadRasterFitting, MAX_INPUT_PIXELS } from '../../io/image-codec';
import type { ProjectSession } from '../session';

export type ValueParams = JobParams<'value'>;

/** Fewer held-out real anomalies than this give figures too noisy to act on. */
export const MIN_HELD_OUT_ANOMALIES = 5;
/** Normal images the classifiers learn the background from (a seeded draw of the training normals). */
const TRAINING_NORMALS = 40;
/** The classifier's working side (px), as runValueCheck's default. */
const VALUE_WORK_SIDE = 160;

const zero: ValueMetrics = { pixelAp: 0, pixelAuroc: 0, imageAuroc: 0 };

export function valueJob(session: ProjectSession, params: ValueParams): JobBody<ValueJobResult> {
  return async (ctx) => {
    const t0 = Date.now();
    const { db, blobs } = session;
    const category = getCategory(db, params.categoryId)?.name ?? String(params.categoryId);
    const heldOut = heldOutImages(db, params.categoryId);
    const anomalies = heldOut.filter((h) => h.kind === 'anomaly');
    const normalsHeld = heldOut.filter((h) => h.kind === 'normal');
    const base = {
      categoryId: params.categoryId,
      category,
      seeds: params.seeds,
      heldOutAnomalies: anomalies.length,
      heldOutNormals: normalsHeld.length,
    };
    // The selection asked for first; with `compare`, also every pair (`all`) and the ARS filter's
    // pairs (`kept`, where any pair is scored), so the export's default filter can follow the figures.
    const scored = scoredPairCount(db, params.categoryId) > 0;
    const others: ExportSelection[] = params.compare ? ['all', ...(scored ? (['kept'] as const) : [])] : [];
    const selections = [...new Set<ExportSelection>([params.selection, ...others])];
    const allSets = selections.map((selection) => ({
      selection,
      set: trainingSet(db, { categoryId: params.categoryId, selection, includeReal: true, realShare: params.realShare, minContrast: params.minContrast ?? 0 }),
    }));
    // A filter that keeps every pair trains on the same set as `all`: measured once, as `all`.
    const idsOf = (sel: ExportSelection) => allSets.find((c) => c.selection === sel)?.set.synthetic.map((p) => p.id).join(',');
    const keptIsAll = params.compare && scored && idsOf('kept') === idsOf('all');
    const sets = allSets.filter((c) => !(keptIsAll && c.selection === 'kept'));
    const set = sets[0].set;
    const lacks = [
      anomalies.length < MIN_HELD_OUT_ANOMALIES
        ? `only ${anomalies.length} held-out real anomalies (at least ${MIN_HELD_OUT_ANOMALIES} are needed): import more defect images, or hold more of them out of the few-shot split`
        : null,
      normalsHeld.length === 0 ? 'no held-out normal images: import some normal images as test/good' : null,
      set.realPairs === 0 ? 'no real few-shot pairs to compare with' : null,
      sets.every((c) => c.set.synthetic.length === 0) ? `no synthetic pairs in the "${params.selection}" selection: generate pairs (and score them for "kept")` : null,
    ].filter((x): x is string => x !== null);
    if (lacks.length) {
      return {
        ...base,
        insufficient: lacks.join('; '),
        realOnly: { ...zero, pairs: set.realPairs },
        export: { ...zero, syntheticPairs: set.synthetic.length, realCopies: set.real.length },
        difference: zero,
        noise: zero,
        perSeed: [],
        verdict: null,
        filters: [],
        recommended: null,
        seconds: (Date.now() - t0) / 1000,
      };
    }
    // Images are decoded already shrunk to the classifier's working side (libvips shrinks while
    // decoding): the check never converts a full-size image it would only downsample.
    const image = (id: number): Promise<Raster> => loadRasterFitting(getImage(db, id)!.sourcePath, VALUE_WORK_SIDE, MAX_INPUT_PIXELS);
    const unionMask = async (id: number): Promise<Mask> => {
      const m = getImage(db, id)!.masks.find((x) => x.role === 'union');
      if (!m) throw new Error(`held-out anomaly ${id} has no mask`);
      return loadMask(blobs.path(m.blob));
    };
    const realPairs = [...new Map(set.real.map((r) => [r.pair.id, r.pair])).values()];
    const realOf = async (id: number, blob: string, augmentation: 0 | 1 | 2 | 3): Promise<LabelledImage> =>
      augmentPair({ image: await image(id), mask: await loadMask(blobs.path(blob)) }, augmentation);
    const realOnly: ImageList<LabelledImage> = {
      count: realPairs.length * 4,
      load: (i) => realOf(realPairs[i % realPairs.length].id, realPairs[i % realPairs.length].blob, Math.floor(i / realPairs.length) as 0 | 1 | 2 | 3),
    };
    // What each selection's export would hold, as its classifier sees it: a seeded draw of at most
    // maxPairs synthetic pairs, and the real copies in the same proportion. A selection with no
    // synthetic pairs (nothing kept yet) is left out, so the figures lead with the first that has some.
    const exports = sets
      .filter((c) => c.set.synthetic.length > 0)
      .map(({ selection, set: s }) => {
        const rng = createRng(params.seeds[0] ^ 0x9e3779b9);
        const synthetic = [...s.synthetic];
        for (let i = synthetic.length - 1; i > 0; i--) {
          const j = rng.int(i + 1);
          [synthetic[i], synthetic[j]] = [synthetic[j], synthetic[i]];
        }
        synthetic.length = Math.min(synthetic.length, params.maxPairs);
        const realCopies = s.real.filter((r) => synthetic.length >= s.synthetic.length || rng.next() < synthetic.length / s.synthetic.length);
        const pairs: ImageList<LabelledImage> = {
          count: synthetic.length + realCopies.length,
          load: async (i) => {
            if (i >= synthetic.length) {
              const r = realCopies[i - synthetic.length];
              return realOf(r.pair.id, r.pair.blob, r.augmentation);
            }
            const p = synthetic[i];
            return { image: await loadRasterFitting(blobs.path(p.image_blob), VALUE_WORK_SIDE, MAX_INPUT_PIXELS), mask: await loadMask(blobs.path(p.mask_blob)) };
          },
        };
        return { selection, syntheticPairs: synthetic.length, realCopies: realCopies.length, pairs };
      });
    const trainNormals = normalTrainingImages(db, params.categoryId);
    const normalIds = trainNormals.map((n) => n.id).filter((_, k) => k % Math.max(1, Math.ceil(trainNormals.length / TRAINING_NORMALS)) === 0);
    const res = await runValueCheck({
      sources: [{ name: 'realOnly', pairs: realOnly }, ...exports.map((e) => ({ name: e.selection, pairs: e.pairs }))],
      normals: { count: normalIds.length, load: (i) => image(normalIds[i]) },
      heldOutAnomalies: { count: anomalies.length, load: async (i) => ({ image: await image(anomalies[i].id), mask: await unionMask(anomalies[i].id) }) },
      heldOutNormals: { count: normalsHeld.length, load: (i) => image(normalsHeld[i].id) },
      seeds: params.seeds,
      workSide: VALUE_WORK_SIDE,
      signal: ctx.signal,
      onProgress: (done, total, message) => {
        ctx.setTotal(total);
        ctx.progress(done);
        ctx.message(message);
      },
    }).catch((e: unknown) => {
      if (ctx.signal.aborted) return null;
      throw e;
    });
    if (!res) return null;
    const [real, ...measured] = res.sources;
    const filters: ValueFilterFigures[] = measured.map((m, k) => {
      const per = (key: keyof ValueMetrics) => res.seeds.map((_, i) => m.perSeed[i][key] - real.perSeed[i][key]);
      const spread = (key: keyof ValueMetrics) => (Math.max(...per(key)) - Math.min(...per(key))) / 2;
      const mean = (key: keyof ValueMetrics) => m.mean[key] - real.mean[key];
      const difference: ValueMetrics = { pixelAp: mean('pixelAp'), pixelAuroc: mean('pixelAuroc'), imageAuroc: mean('imageAuroc') };
      const noise: ValueMetrics = { pixelAp: spread('pixelAp'), pixelAuroc: spread('pixelAuroc'), imageAuroc: spread('imageAuroc') };
      const margin = Math.max(noise.pixelAp, 0.01);
      return {
        selection: exports[k].selection,
        export: { ...m.mean, syntheticPairs: exports[k].syntheticPairs, realCopies: exports[k].realCopies },
        difference,
        noise,
        perSeed: m.perSeed,
        verdict: difference.pixelAp > margin ? 'helps' : difference.pixelAp < -margin ? 'hurts' : 'unclear',
      };
    });
    const asked = filters[0];
    return {
      ...base,
      insufficient: null,
      realOnly: { ...real.mean, pairs: realPairs.length },
      export: asked.export,
      difference: asked.difference,
      noise: asked.noise,
      perSeed: res.seeds.map((seed, i) => ({ seed, realOnly: real.perSeed[i], export: asked.perSeed[i] })),
      verdict: asked.verdict,
      filters,
      recommended: params.compare
        ? chooseSelection(
            filters.map((f) => ({ selection: f.selection, pixelApPerSeed: f.perSeed.map((p) => p.pixelAp) })),
            scored,
          )
        : null,
      seconds: (Date.now() - t0) / 1000,
    };
  };
}
