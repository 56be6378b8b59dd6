import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoTruth } from '../../../../src-main/core/demo';
import { generateDemoDataset, type DemoSummary } from '../../../../src-main/io/demo-writer';
import { adjustedRandIndex, boxMean, decode, dilate, immerkaerSigma, listFiles, luma, mean, meanOfBox, median, type Decoded } from './image-stats';

/** Properties a photograph of a real part has and a flat-shaded cartoon lacks, measured on the written PNGs. */

let work: string;
let summary: DemoSummary;
let files: string[];
let truth: DemoTruth;
const images = new Map<string, Decoded>();
const load = async (rel: string) => {
  if (!images.has(rel)) images.set(rel, await decode(join(summary.root, rel)));
  return images.get(rel)!;
};
const normals = (cat: string) => files.filter((f) => f.startsWith(`${cat}/`) && f.includes('/good/'));

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'gaa-demo-realism-'));
  summary = await generateDemoDataset(join(work, 'demo'), { scale: 0.15 });
  files = await listFiles(summary.root);
  truth = JSON.parse(readFileSync(summary.truthPath, 'utf8'));
}, 120_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function channel(img: Decoded, c: number): Float64Array {
  const out = new Float64Array(img.width * img.height);
  for (let i = 0; i < out.length; i++) out[i] = img.data[i * img.channels + c];
  return out;
}

describe('demo photographs', () => {
  it('carry sensor noise of a plausible strength in every image', async () => {
    for (const rel of files.filter((f) => !f.includes('ground_truth'))) {
      const img = await load(rel);
      // Green channel: read noise is 1.6-3 levels in the recipe; texture adds a little.
      const sigma = immerkaerSigma(channel(img, 1), img.width, img.height);
      expect(sigma, rel).toBeGreaterThan(1);
      expect(sigma, rel).toBeLessThan(10);
    }
  });

  it('are lit unevenly, as under a real lamp', async () => {
    for (const rel of normals('tile')) {
      const img = await load(rel);
      const v = boxMean(luma(img), img.width, img.height, 7);
      const { width: w, height: h } = img;
      const q = Math.floor(w / 4);
      const m = mean(v);
      const left = meanOfBox(v, w, 0, 0, q, h);
      const right = meanOfBox(v, w, w - q, 0, w, h);
      const top = meanOfBox(v, w, 0, 0, w, q);
      const bottom = meanOfBox(v, w, 0, h - q, w, h);
      const centre = meanOfBox(v, w, q + q / 2, q + q / 2, w - q - q / 2, h - q - q / 2);
      const corners = (meanOfBox(v, w, 0, 0, q, q) + meanOfBox(v, w, w - q, 0, w, q) + meanOfBox(v, w, 0, h - q, q, h) + meanOfBox(v, w, w - q, h - q, w, h)) / 4;
      const unevenness = Math.max(Math.abs(left - right), Math.abs(top - bottom), centre - corners) / m;
      expect(unevenness, rel).toBeGreaterThan(0.03);
      expect(centre, rel).toBeGreaterThan(corners);
    }
  });

  it('show a surface texture well above the sensor noise on every tile', async () => {
    for (const rel of normals('tile')) {
      const img = await load(rel);
      const l = luma(img);
      const sigma = immerkaerSigma(l, img.width, img.height);
      const fine = boxMean(l, img.width, img.height, 1);
      const coarse = boxMean(l, img.width, img.height, 7);
      let varTex = 0;
      for (let i = 0; i < l.length; i++) varTex += (fine[i] - coarse[i]) ** 2;
      varTex /= l.length;
      // A 3×3 mean leaves noise variance σ²/9; what remains beyond that is the surface.
      expect(varTex, rel).toBeGreaterThan((4 * sigma * sigma) / 9);
    }
  });

  it('vary the colour balance from shot to shot, within a camera\'s range', async () => {
    const ratios: number[] = [];
    for (const rel of normals('tile')) {
      const img = await load(rel);
      ratios.push(mean(channel(img, 0)) / mean(channel(img, 1)));
    }
    expect(Math.max(...ratios) - Math.min(...ratios)).toBeGreaterThan(0.005);
    for (const r of ratios) expect(Math.abs(r - 1)).toBeLessThan(0.15);
  });

  it('blend defects into the surface: just outside a mask is closer to the background than inside', async () => {
    let softer = 0;
    const anomalies = Object.entries(truth.categories.tile.anomalies);
    for (const [rel, a] of anomalies) {
      const img = await load(rel);
      const m = await decode(join(summary.root, a.mask));
      const { width: w, height: h } = img;
      const mask = Uint8Array.from({ length: w * h }, (_, i) => (m.data[i * m.channels] ? 1 : 0));
      const d2 = dilate(mask, w, h, 2);
      const d6 = dilate(mask, w, h, 6);
      const d12 = dilate(mask, w, h, 12);
      const l = luma(img);
      const background: number[] = [];
      for (let i = 0; i < l.length; i++) if (d12[i] && !d6[i]) background.push(l[i]);
      const bg = median(background);
      const dev = (sel: (i: number) => boolean) => {
        let s = 0, n = 0;
        for (let i = 0; i < l.length; i++) if (sel(i)) {
          s += Math.abs(l[i] - bg);
          n++;
        }
        return s / n;
      };
      const inside = dev((i) => mask[i] === 1);
      const ring = dev((i) => d2[i] === 1 && mask[i] === 0);
      const far = dev((i) => d12[i] === 1 && d6[i] === 0);
      expect(ring, `${rel} (${a.subtype})`).toBeLessThan(inside);
      if (ring > far) softer++;
    }
    // No hard step: for most defects the ring just outside still carries some of the defect.
    expect(softer / anomalies.length).toBeGreaterThan(0.7);
  });

  it('keep the pooled tile subtypes separable by colour and shape, and varied within each', async () => {
    const feats: number[][] = [];
    const labels: string[] = [];
    const areas = new Map<string, number[]>();
    for (const [rel, a] of Object.entries(truth.categories.tile.anomalies)) {
      const img = await load(rel);
      const m = await decode(join(summary.root, a.mask));
      const { width: w, height: h } = img;
      const mask = Uint8Array.from({ length: w * h }, (_, i) => (m.data[i * m.channels] ? 1 : 0));
      const ring = dilate(mask, w, h, 4);
      let n = 0, sx = 0, sy = 0;
      for (let i = 0; i < mask.length; i++) if (mask[i]) {
        n++;
        sx += i % w;
        sy += Math.floor(i / w);
      }
      const cx = sx / n, cy = sy / n;
      let xx = 0, yy = 0, xy = 0;
      for (let i = 0; i < mask.length; i++) if (mask[i]) {
        const dx = (i % w) - cx, dy = Math.floor(i / w) - cy;
        xx += dx * dx;
        yy += dy * dy;
        xy += dx * dy;
      }
      const tr = (xx + yy) / n, det = (xx * yy - xy * xy) / (n * n);
      const l1 = tr / 2 + Math.sqrt(Math.max(0, (tr * tr) / 4 - det));
      const l2 = Math.max(0.05, tr / 2 - Math.sqrt(Math.max(0, (tr * tr) / 4 - det)));
      // Fill: area against the ellipse of the same second moments (1 for a disc, ≪ 1 for a branching line).
      const fill = n / (4 * Math.PI * Math.sqrt(l1 * l2));
      const lum = luma(img);
      const r = channel(img, 0), b = channel(img, 2);
      const inOut = (v: Float64Array) => {
        let si = 0, so = 0, no = 0;
        for (let i = 0; i < mask.length; i++) {
          if (mask[i]) si += v[i];
          else if (ring[i]) {
            so += v[i];
            no++;
          }
        }
        return si / n - so / no;
      };
      const warm = new Float64Array(r.length);
      for (let i = 0; i < warm.length; i++) warm[i] = r[i] - b[i];
      feats.push([Math.log(n), Math.log(l1 / l2), fill, inOut(lum) / 40, inOut(warm) / 10]);
      labels.push(a.subtype);
      areas.set(a.subtype, [...(areas.get(a.subtype) ?? []), n]);
    }
    const k = new Set(labels).size;
    const ari = adjustedRandIndex(labels, kmeans(zscore(feats), k));
    expect(ari).toBeGreaterThanOrEqual(0.8);
    for (const [subtype, list] of areas) {
      if (list.length >= 3) expect(Math.max(...list) / Math.min(...list), subtype).toBeGreaterThan(1.25);
    }
  });

  it('photograph the tray in a different pose each time', async () => {
    const centres: number[] = [];
    const angles: number[] = [];
    for (const [rel, regions] of Object.entries(truth.categories.nutbox.regions.images)) {
      const union = new Map<number, boolean>();
      let w = 0;
      for (const name of truth.categories.nutbox.regions.names) {
        const m = await decode(join(summary.root, '..', 'truth', regions[name]));
        w = m.width;
        for (let i = 0; i < m.width * m.height; i++) if (m.data[i * m.channels]) union.set(i, true);
      }
      let n = 0, sx = 0, sy = 0, xx = 0, yy = 0, xy = 0;
      for (const i of union.keys()) {
        n++;
        sx += i % w;
        sy += Math.floor(i / w);
      }
      const cx = sx / n, cy = sy / n;
      for (const i of union.keys()) {
        const dx = (i % w) - cx, dy = Math.floor(i / w) - cy;
        xx += dx * dx;
        yy += dy * dy;
        xy += dx * dy;
      }
      centres.push(cx / w);
      angles.push((0.5 * Math.atan2(2 * xy, xx - yy) * 180) / Math.PI);
      expect(rel.startsWith('nutbox/')).toBe(true);
    }
    expect(Math.max(...centres) - Math.min(...centres)).toBeGreaterThan(0.02);
    expect(Math.max(...angles) - Math.min(...angles)).toBeGreaterThan(4);
    for (const a of angles) expect(Math.abs(a)).toBeLessThan(12);
  });
});

function zscore(rows: number[][]): number[][] {
  const d = rows[0].length;
  const mu = Array.from({ length: d }, (_, j) => mean(rows.map((r) => r[j])));
  const sd = Array.from({ length: d }, (_, j) => Math.sqrt(mean(rows.map((r) => (r[j] - mu[j]) ** 2))) || 1);
  return rows.map((r) => r.map((v, j) => (v - mu[j]) / sd[j]));
}

/** Lloyd's k-means, k-means++ seeding from a fixed LCG, best of 10 restarts. */
function kmeans(rows: number[][], k: number): number[] {
  let state = 12345;
  const rand = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296);
  const dist = (a: number[], b: number[]) => a.reduce((s, v, j) => s + (v - b[j]) ** 2, 0);
  let best: number[] = [];
  let bestInertia = Infinity;
  for (let restart = 0; restart < 10; restart++) {
    const centres = [rows[Math.floor(rand() * rows.length)]];
    while (centres.length < k) {
      const d = rows.map((r) => Math.min(...centres.map((c) => dist(r, c))));
      let t = rand() * d.reduce((s, v) => s + v, 0);
      let pick = 0;
      while (pick < rows.length - 1 && (t -= d[pick]) > 0) pick++;
      centres.push(rows[pick]);
    }
    let assign = rows.map(() => 0);
    for (let it = 0; it < 50; it++) {
      assign = rows.map((r) => centres.reduce((bi, c, i) => (dist(r, c) < dist(r, centres[bi]) ? i : bi), 0));
      for (let c = 0; c < k; c++) {
        const members = rows.filter((_, i) => assign[i] === c);
        if (members.length) centres[c] = members[0].map((_, j) => mean(members.map((m) => m[j])));
      }
    }
    const inertia = rows.reduce((s, r, i) => s + dist(r, centres[assign[i]]), 0);
    if (inertia < bestInertia) {
      bestInertia = inertia;
      best = assign;
    }
  }
  return best;
}
