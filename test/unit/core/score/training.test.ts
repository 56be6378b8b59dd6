import { beforeAll, describe, expect, it } from 'vitest';
import type { Mask, Raster } from '../../../../src-main/core/image/raster';
import type { ScoreMap } from '../../../../src-main/core/metrics/score-map';
import { auroc } from '../../../../src-main/core/metrics/classification';
import { anomalyRegionScore } from '../../../../src-main/core/score/ars';
import { createHandcraftedExtractor, HANDCRAFTED_V1 } from '../../../../src-main/core/score/patch-features';
import { maxScore, scoreImage } from '../../../../src-main/core/score/scoring';
import { deserialiseScorer, serialiseScorer } from '../../../../src-main/core/score/serialise';
import { batchRows, trainScorer, type TrainedScorer } from '../../../../src-main/core/score/train';
import { createRng } from '../../../../src-main/core/random';

// Synthetic category: a warm woven-looking texture (two sinusoids with random phase) plus
// per-pixel noise; anomalies are a dark disc pasted on an otherwise normal image.
const SIDE = 64;

function lcg(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return a / 4294967296;
  };
}

function normalImage(seed: number): Raster {
  const r = lcg(seed);
  const data = new Uint8Array(SIDE * SIDE * 3);
  const px = r() * 2 * Math.PI;
  const py = r() * 2 * Math.PI;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const weave = 20 * Math.sin(0.7 * x + px) + 12 * Math.sin(0.45 * y + py);
      for (let c = 0; c < 3; c++) {
        const grain = (r() + r() + r() - 1.5) * 20;
        data[(y * SIDE + x) * 3 + c] = Math.max(0, Math.min(255, Math.round([150, 125, 95][c] + weave + grain)));
      }
    }
  }
  return { width: SIDE, height: SIDE, channels: 3, data };
}

function discMask(cx: number, cy: number, radius: number): Mask {
  const data = new Uint8Array(SIDE * SIDE);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= radius * radius) data[y * SIDE + x] = 255;
  }
  return { width: SIDE, height: SIDE, data };
}

function pasteDarkBlob(image: Raster, mask: Mask): Raster {
  const data = image.data.slice();
  for (let p = 0; p < mask.data.length; p++) if (mask.data[p]) data.set([45, 35, 30], p * 3);
  return { ...image, data };
}

describe('scorer trained on normal images only', () => {
  // The first descriptor: these tests pin SimpleNet's training, and its 72 dimensions train in seconds.
  const extractor = createHandcraftedExtractor(HANDCRAFTED_V1);
  const heldOut = Array.from({ length: 8 }, (_, i) => normalImage(500 + i));
  const blobs = Array.from({ length: 8 }, (_, i) => discMask(16 + 4 * i, 20 + 3 * (i % 4), 7));
  const anomalous = blobs.map((m, i) => pasteDarkBlob(normalImage(700 + i), m));
  let model: TrainedScorer;
  let normalMaps: ScoreMap[];
  let anomalousMaps: ScoreMap[];

  beforeAll(() => {
    // One image per step so a few epochs still make a few hundred Adam steps at the paper's rates.
    model = trainScorer(
      Array.from({ length: 20 }, (_, i) => normalImage(100 + i)),
      extractor,
      { epochs: 8, batchImages: 1, seed: 5 },
    );
    normalMaps = heldOut.map((img) => scoreImage(model, extractor, img));
    anomalousMaps = anomalous.map((img) => scoreImage(model, extractor, img));
    // A few seconds of training alone; the unit tests' 60 s, not the 10 s hook default, on a busy machine.
  }, 60_000);

  it('lowers its truncated-L1 loss while training', () => {
    expect(model.lossHistory).toHaveLength(8);
    expect(model.lossHistory[7]).toBeLessThan(model.lossHistory[0]);
  });

  it('separates images with a dark blob from held-out normals by the maximum of S', () => {
    const scores = [...normalMaps, ...anomalousMaps].map(maxScore);
    const labels = [...normalMaps.map(() => 0), ...anomalousMaps.map(() => 1)];
    expect(auroc(scores, labels)).toBeGreaterThanOrEqual(0.9);
  });

  it('gives the blob region a higher ARS than the same region of a normal image', () => {
    for (let i = 0; i < blobs.length; i++) {
      expect(anomalyRegionScore(anomalousMaps[i], blobs[i])).toBeGreaterThan(anomalyRegionScore(normalMaps[i], blobs[i]));
    }
  });

  it('scores identically after a JSON round trip of the trained weights', () => {
    const copy = deserialiseScorer(JSON.parse(JSON.stringify(serialiseScorer(model))));
    const a = scoreImage(model, extractor, anomalous[0]);
    const b = scoreImage(copy, extractor, anomalous[0]);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
  });

  it('refuses features from a different extractor and a malformed serialisation', () => {
    expect(() => scoreImage(model, createHandcraftedExtractor({ stride: 4 }), heldOut[0])).toThrow(/trained with/);
    const broken = { ...serialiseScorer(model), discWeight2: [1, 2] };
    expect(() => deserialiseScorer(broken)).toThrow(/discWeight2/);
    expect(() => trainScorer([], extractor)).toThrow(/no normal images/);
  });
});

describe('patchFraction: a random share of each image\'s patches per step', () => {
  const dim = 3;
  // Image k has 8 rows; row r holds (k, r, k·8 + r), so every picked row can be traced back.
  const images = [0, 1].map((k) => Float64Array.from({ length: 8 * dim }, (_, i) => [k, Math.floor(i / dim), k * 8 + Math.floor(i / dim)][i % dim]));

  it('takes every row in order at fraction 1', () => {
    const x = batchRows(images, dim, 1, createRng(1));
    expect(Array.from(x)).toEqual([...images[0], ...images[1]]);
  });

  it('takes round(rows × fraction) distinct whole rows of each image at a smaller fraction', () => {
    const x = batchRows(images, dim, 0.25, createRng(7));
    expect(x.length).toBe(2 * 2 * dim);
    const rows = Array.from({ length: 4 }, (_, i) => Array.from(x.subarray(i * dim, (i + 1) * dim)));
    // Two rows from image 0, then two from image 1, each an intact row of its image.
    rows.forEach((row, i) => {
      const k = i < 2 ? 0 : 1;
      expect(row[0]).toBe(k);
      expect(row[2]).toBe(k * 8 + row[1]);
    });
    expect(rows[0][1]).not.toBe(rows[1][1]);
    expect(rows[2][1]).not.toBe(rows[3][1]);
  });

  it('keeps at least one row per image and refuses fractions outside (0, 1]', () => {
    expect(batchRows(images, dim, 0.01, createRng(1)).length).toBe(2 * dim);
    const img = [normalImage(1)];
    expect(() => trainScorer(img, createHandcraftedExtractor(), { epochs: 1, patchFraction: 0 })).toThrow(/patchFraction/);
    expect(() => trainScorer(img, createHandcraftedExtractor(), { epochs: 1, patchFraction: 1.5 })).toThrow(/patchFraction/);
  });
});
