import { deriveSeed } from '../random';
import { createMask, maskArea, type Mask, type Raster } from '../image/raster';
import { computeFilterBank, type FilterBank } from './filter-bank';
import { classifyPixels, trainPixelClassifier, type PixelClassifier, type PixelClassifierOptions } from './pixel-classifier';
import { inverseMap, prepareReference, registerToBest, type Registration, type RegistrationReference, type SimilarityTransform } from './registration';
import { cleanRegions, regionShapeStats, type RegionShapeStats } from './cleanup';
import { gaussianBlur, sampleBilinear } from './planes';

/**
 * Region propagation (METHOD.md §4, the paper's §3.3 without SAM/SegGPT weights): the target is
 * registered to its nearest labelled exemplar, whose region masks, warped, are the prior; a
 * forest trained on all exemplars refines the prior pixel by pixel; the label map is cleaned
 * with the shapes the exemplars show; every result carries a confidence.
 */

export interface LabelledExemplar {
  image: Raster;
  /** Region name → mask at the image's size. All exemplars name the same regions. */
  regions: Record<string, Mask>;
}

export interface PropagationOptions {
  /** Longer side of the working copy the classifier sees. Default 256. */
  workSide?: number;
  /** Side of the registration frame (power of two). Default 128. */
  frameSize?: number;
  classifier?: PixelClassifierOptions;
  /** Opening/closing radius in working pixels (scaled to each image). Default 1.5. */
  cleanRadius?: number;
  /** Components smaller than this fraction of the region's expected area are dropped. Default 0.1. */
  minComponentFraction?: number;
  /** A result whose confidence is below this is flagged for review. Default 0.5. */
  flagBelow?: number;
  /**
   * Floor ε of the prior in the final posterior p(c) ∝ p_forest(c)·(ε + prior(c)): 1 ignores
   * the prior at the end, small values make the forest need strong evidence to contradict the
   * registration. Default 0.1.
   */
  priorFloor?: number;
  /** Smoothing of the prior in that product, working pixels (registration uncertainty). Default 2. */
  priorSigma?: number;
}

/** A trained propagator: reuse it for every target of the category; nothing is retrained. */
export interface RegionPropagator {
  regionNames: string[];
  exemplars: { width: number; height: number; masks: Float64Array[] }[];
  references: RegistrationReference[];
  classifier: PixelClassifier;
  /** Shapes of the exclusive classes (region minus the smaller regions it overlaps). */
  shapes: RegionShapeStats[];
  /** nested[r]: the regions lying inside region r in every exemplar (≥ 90 % of their pixels). */
  nested: number[][];
  options: Required<Omit<PropagationOptions, 'classifier'>>;
}

export interface PropagationResult {
  regions: Record<string, Mask>;
  /**
   * 0..1: mean per-region confidence × registration agreement (both must hold, so a product),
   * the agreement being the colour NCC of the aligned frames clamped to [0, 1]. The NCC, not
   * the phase-correlation peak, because two shots of one product share their layout but not
   * their contents, so the peak stays small on true matches; the NCC is ≈ 0.9-1 on those,
   * ≈ 0.4 on another product of similar colours and ≈ 0.1 on noise.
   */
  confidence: number;
  /**
   * Per region: the mean posterior probability of that region over its propagated pixels
   * (0 when empty); the posterior is the forest's times the prior's (see `priorFloor`).
   */
  perRegionConfidence: Record<string, number>;
  registration: Registration & { exemplar: number };
  flagged: boolean;
}

function resolveOptions(options: PropagationOptions = {}): RegionPropagator['options'] {
  return {
    workSide: options.workSide ?? 256,
    frameSize: options.frameSize ?? 128,
    cleanRadius: options.cleanRadius ?? 1.5,
    minComponentFraction: options.minComponentFraction ?? 0.1,
    flagBelow: options.flagBelow ?? 0.5,
    priorFloor: options.priorFloor ?? 0.1,
    priorSigma: options.priorSigma ?? 2,
  };
}

/**
 * The prior of each class (background first, then the regions) at the working pixels of a
 * target: the exemplar's region coverage carried through `t` (exemplar → target pixels).
 */
function warpedPrior(masks: Float64Array[], ew: number, eh: number, t: SimilarityTransform, tw: number, th: number, bank: FilterBank): Float64Array[] {
  const n = bank.width * bank.height;
  const fx = bank.width / tw;
  const fy = bank.height / th;
  const prior = [new Float64Array(n), ...masks.map(() => new Float64Array(n))];
  for (let y = 0; y < bank.height; y++) {
    for (let x = 0; x < bank.width; x++) {
      const i = y * bank.width + x;
      const [ex, ey] = inverseMap(t, (x + 0.5) / fx - 0.5, (y + 0.5) / fy - 0.5);
      let sum = 0;
      for (let r = 0; r < masks.length; r++) {
        const v = sampleBilinear(masks[r], ew, eh, ex, ey, 0);
        prior[r + 1][i] = v;
        sum += v;
      }
      prior[0][i] = Math.max(0, 1 - sum);
    }
  }
  return prior;
}

/** The regions made exclusive: a pixel in several belongs to the smallest (ties: the later name). */
function exclusiveMasks(masks: Mask[]): Mask[] {
  const areas = masks.map(maskArea);
  const order = masks.map((_, r) => r).sort((p, q) => areas[q] - areas[p] || p - q);
  const owner = new Int32Array(masks[0].data.length).fill(-1);
  for (const r of order) for (let i = 0; i < owner.length; i++) if (masks[r].data[i] !== 0) owner[i] = r;
  return masks.map((m, r) => {
    const out = createMask(m.width, m.height);
    for (let i = 0; i < owner.length; i++) if (owner[i] === r) out.data[i] = 255;
    return out;
  });
}

/** For each region, the regions that lie (≥ 90 % of their pixels) inside it in every exemplar. */
function nestedRegions(perExemplar: Mask[][]): number[][] {
  const R = perExemplar[0].length;
  return Array.from({ length: R }, (_, r) =>
    Array.from({ length: R }, (_, q) => q).filter((q) => {
      if (q === r) return false;
      return perExemplar.every((masks) => {
        let inside = 0;
        let area = 0;
        for (let i = 0; i < masks[q].data.length; i++) if (masks[q].data[i] !== 0) {
          area++;
          if (masks[r].data[i] !== 0) inside++;
        }
        return area > 0 && inside >= 0.9 * area && area < maskArea(masks[r]);
      });
    }),
  );
}

/** Class per working pixel: 0 background, r + 1 for region r; where regions overlap the smaller one wins. */
function workingLabels(masks: Float64Array[], w: number, h: number, bank: FilterBank): Uint8Array {
  const areas = masks.map((m) => m.reduce((s, v) => s + v, 0));
  const order = masks.map((_, r) => r).sort((p, q) => areas[q] - areas[p]);
  const labels = new Uint8Array(bank.width * bank.height);
  for (let y = 0; y < bank.height; y++) {
    const sy = Math.min(h - 1, Math.max(0, Math.round(((y + 0.5) * h) / bank.height - 0.5)));
    for (let x = 0; x < bank.width; x++) {
      const sx = Math.min(w - 1, Math.max(0, Math.round(((x + 0.5) * w) / bank.width - 0.5)));
      for (const r of order) if (masks[r][sy * w + sx] >= 0.5) labels[y * bank.width + x] = r + 1;
    }
  }
  return labels;
}

/** Trains a propagator from 1+ labelled exemplars (METHOD.md asks for 3-5). Deterministic for a seed. */
export function trainPropagator(exemplars: LabelledExemplar[], seed: number, options: PropagationOptions = {}): RegionPropagator {
  if (exemplars.length === 0) throw new Error('region propagation: at least one labelled exemplar is needed');
  const opts = resolveOptions(options);
  const regionNames = Object.keys(exemplars[0].regions).sort();
  if (regionNames.length === 0) throw new Error('region propagation: the exemplars name no regions');
  for (const [k, ex] of exemplars.entries()) {
    const names = Object.keys(ex.regions).sort();
    if (names.join('\u0000') !== regionNames.join('\u0000')) throw new Error(`region propagation: exemplar ${k} names regions ${names.join(', ')}, not ${regionNames.join(', ')}`);
    for (const name of names) {
      const m = ex.regions[name];
      if (m.width !== ex.image.width || m.height !== ex.image.height) throw new Error(`region propagation: exemplar ${k} region "${name}" is ${m.width}×${m.height}, its image ${ex.image.width}×${ex.image.height}`);
    }
  }
  // Classes are exclusive: where drawn regions overlap, the smaller one owns the pixel, and a
  // region that holds another (a tray around its compartments) gets it back at the end.
  const exclusive = exemplars.map((ex) => exclusiveMasks(regionNames.map((name) => ex.regions[name])));
  const stored = exemplars.map((ex, k) => ({
    width: ex.image.width,
    height: ex.image.height,
    masks: exclusive[k].map((m) => Float64Array.from(m.data, (v) => (v !== 0 ? 1 : 0))),
  }));
  const nested = nestedRegions(exemplars.map((ex) => regionNames.map((name) => ex.regions[name])));
  const references = exemplars.map((ex) => prepareReference(ex.image, { frameSize: opts.frameSize }));
  const training = exemplars.map((ex, k) => {
    const bank = computeFilterBank(ex.image, opts.workSide);
    const own = stored[k];
    // Leave-one-out prior: the prior this exemplar would get from another exemplar, with that
    // registration's real errors, so the forest learns how far to trust a prior.
    let prior: Float64Array[];
    if (exemplars.length > 1) {
      const reg = registerToBest(references, ex.image, k);
      const src = stored[reg.exemplar];
      prior = warpedPrior(src.masks, src.width, src.height, reg, own.width, own.height, bank);
    } else {
      prior = warpedPrior(own.masks, own.width, own.height, { rotation: 0, scale: 1, tx: 0, ty: 0 }, own.width, own.height, bank);
    }
    return { bank, prior, labels: workingLabels(own.masks, own.width, own.height, bank) };
  });
  const classifier = trainPixelClassifier(training, regionNames.length + 1, deriveSeed(seed, 'regions', 'forest'), options.classifier);
  const shapes = regionNames.map((_, r) => regionShapeStats(exclusive.map((masks) => masks[r])));
  return { regionNames, exemplars: stored, references, classifier, shapes, nested, options: opts };
}

/** Propagates the propagator's regions to one target normal image. */
export function propagateWith(model: RegionPropagator, target: Raster): PropagationResult {
  const { regionNames, options: opts } = model;
  const { width: W, height: H } = target;
  const reg = registerToBest(model.references, target);
  const src = model.exemplars[reg.exemplar];
  const bank = computeFilterBank(target, opts.workSide);
  const prior = warpedPrior(src.masks, src.width, src.height, reg, W, H, bank);
  const probs = classifyPixels(model.classifier, bank, prior);
  const C = regionNames.length + 1;
  const nWork = bank.width * bank.height;
  const smoothPrior = prior.map((p) => gaussianBlur(p, bank.width, bank.height, opts.priorSigma));
  for (let i = 0; i < nWork; i++) {
    let z = 0;
    for (let c = 0; c < C; c++) {
      probs[i * C + c] *= opts.priorFloor + smoothPrior[c][i];
      z += probs[i * C + c];
    }
    if (z > 0) for (let c = 0; c < C; c++) probs[i * C + c] /= z;
  }

  // Class probabilities at full resolution (bilinear from the working grid), then argmax.
  const plane = new Float64Array(bank.width * bank.height);
  const full = Array.from({ length: C }, () => new Float32Array(W * H));
  const fx = bank.width / W;
  const fy = bank.height / H;
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < plane.length; i++) plane[i] = probs[i * C + c];
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) full[c][y * W + x] = sampleBilinear(plane, bank.width, bank.height, (x + 0.5) * fx - 0.5, (y + 0.5) * fy - 0.5, 0);
  }
  const raw = regionNames.map(() => createMask(W, H));
  for (let i = 0; i < W * H; i++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (full[c][i] > full[best][i]) best = c;
    if (best > 0) raw[best - 1].data[i] = 255;
  }
  const radius = opts.cleanRadius / Math.min(fx, fy);
  const clean = cleanRegions(raw, full.slice(1), model.shapes, {
    radius,
    minComponentFraction: opts.minComponentFraction,
    // The registered exemplar's areas carried by the registration's scale.
    expectedAreas: src.masks.map((m) => m.reduce((a, v) => a + v, 0) * reg.scale * reg.scale),
  });

  const regions: Record<string, Mask> = {};
  const perRegionConfidence: Record<string, number> = {};
  let sum = 0;
  const whole = clean.map((m, r) => {
    if (model.nested[r].length === 0) return m;
    const out = createMask(W, H);
    for (let i = 0; i < W * H; i++) if (m.data[i] !== 0 || model.nested[r].some((q) => clean[q].data[i] !== 0)) out.data[i] = 255;
    return out;
  });
  regionNames.forEach((name, r) => {
    regions[name] = whole[r];
    let p = 0;
    let n = 0;
    for (let i = 0; i < W * H; i++) if (whole[r].data[i] !== 0) {
      // A region's own pixels and those of the regions inside it all count for it.
      let own = full[r + 1][i];
      for (const q of model.nested[r]) own += full[q + 1][i];
      p += own;
      n++;
    }
    perRegionConfidence[name] = n > 0 ? p / n : 0;
    sum += perRegionConfidence[name];
  });
  const classConfidence = sum / regionNames.length;
  const confidence = classConfidence * Math.min(1, Math.max(0, reg.ncc));
  return { regions, confidence, perRegionConfidence, registration: reg, flagged: confidence < opts.flagBelow };
}

/** One-shot form: trains on the exemplars and propagates to one target. */
export function propagateRegions(input: { exemplars: LabelledExemplar[]; target: Raster; seed: number; options?: PropagationOptions }): PropagationResult {
  return propagateWith(trainPropagator(input.exemplars, input.seed, input.options), input.target);
}
