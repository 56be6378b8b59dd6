import { createRng } from '../random';
import type { FilterBank } from './filter-bank';
import { predictForest, trainForest, type ForestOptions, type RandomForest } from './forest';
import { gaussianBlur } from './planes';

/**
 * Few-shot pixel classification (ilastik-style): a random forest on the filter bank, trained
 * on class-balanced samples of the labelled images' pixels. The registration prior (each
 * class's warped exemplar coverage, at two smoothings) enters as extra features, so the forest
 * learns where appearance should override the prior and where it should not.
 */

export interface PixelClassifierOptions extends ForestOptions {
  /** Training pixels per class, across all images. Default 4000. */
  samplesPerClass?: number;
}

export interface PixelClassifier {
  forest: RandomForest;
  classes: number;
  featureNames: string[];
}

export interface TrainingImage {
  bank: FilterBank;
  /** Per class, the prior probability of every working pixel; null when there is no prior. */
  prior: Float64Array[] | null;
  /** Class of every working pixel; 255 = unlabelled. */
  labels: Uint8Array;
}

const PRIOR_SIGMAS = [1.5, 6];

function featurePlanes(bank: FilterBank, prior: Float64Array[] | null): { names: string[]; planes: Float32Array[] } {
  const names = [...bank.names];
  const planes = [...bank.planes];
  if (prior) {
    prior.forEach((p, c) => {
      for (const sigma of PRIOR_SIGMAS) {
        names.push(`prior ${c} σ${sigma}`);
        planes.push(Float32Array.from(gaussianBlur(p, bank.width, bank.height, sigma)));
      }
    });
  }
  return { names, planes };
}

function rows(planes: Float32Array[], pixels: ArrayLike<number>, out: Float32Array, offset: number): void {
  const f = planes.length;
  for (let k = 0; k < pixels.length; k++) {
    const p = pixels[k];
    const o = (offset + k) * f;
    for (let j = 0; j < f; j++) out[o + j] = planes[j][p];
  }
}

export function trainPixelClassifier(images: TrainingImage[], classes: number, seed: number, options: PixelClassifierOptions = {}): PixelClassifier {
  const perClass = options.samplesPerClass ?? 4000;
  const banks = images.map((im) => featurePlanes(im.bank, im.prior));
  const f = banks[0].planes.length;
  if (banks.some((b) => b.planes.length !== f)) throw new Error('trainPixelClassifier: images have different feature sets');
  // Every labelled pixel as (image, pixel), grouped by class.
  const byClass: { img: number[]; px: number[] }[] = Array.from({ length: classes }, () => ({ img: [], px: [] }));
  images.forEach((im, k) => {
    for (let i = 0; i < im.labels.length; i++) {
      const c = im.labels[i];
      if (c < classes) {
        byClass[c].img.push(k);
        byClass[c].px.push(i);
      }
    }
  });
  const rng = createRng(seed);
  const chosen: { img: number; px: number; c: number }[] = [];
  byClass.forEach((list, c) => {
    const n = list.px.length;
    const take = Math.min(n, perClass);
    const order = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < take; i++) {
      const r = i + rng.int(n - i);
      const t = order[r];
      order[r] = order[i];
      order[i] = t;
      chosen.push({ img: list.img[t], px: list.px[t], c });
    }
  });
  const x = new Float32Array(chosen.length * f);
  const y = new Uint8Array(chosen.length);
  chosen.forEach((s, k) => {
    rows(banks[s.img].planes, [s.px], x, k);
    y[k] = s.c;
  });
  const forest = trainForest(x, y, classes, seed ^ 0x5bd1e995, options);
  return { forest, classes, featureNames: banks[0].names };
}

/** Per-pixel class probabilities of one image: width·height·classes values, pixel-major. */
export function classifyPixels(classifier: PixelClassifier, bank: FilterBank, prior: Float64Array[] | null): Float32Array {
  const { planes } = featurePlanes(bank, prior);
  if (planes.length !== classifier.forest.features) throw new Error('classifyPixels: feature set differs from training');
  const n = bank.width * bank.height;
  const x = new Float32Array(n * planes.length);
  const all = Int32Array.from({ length: n }, (_, i) => i);
  rows(planes, all, x, 0);
  return predictForest(classifier.forest, x);
}
