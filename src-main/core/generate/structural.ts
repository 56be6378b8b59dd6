/**
 * Structural anomalies, aligned by construction (METHOD.md §2b). The exemplar's defect layer
 * (defect-layer.ts) is warped with the aligned mask's transform T and put on the target's own
 * surface, and only pixels of the aligned mask M change:
 *
 * - opaque (compact defects): the masked exemplar replaces the surface where the warped exemplar
 *   mask (grown ≤ 1 px) and M overlap: out = S_t + g·(E − S_e), S_t the target's surface under M
 *   (membrane fill from its surroundings), E the exemplar, S_e its surface (the same fill on the
 *   exemplar), so a defect pasted back onto its own image with the identity transform changes
 *   nothing; the whole masked region travels, as a real label's region shows what it labels;
 * - mixed (thin marks): Pérez's mixed-gradient Poisson solve on Ω = M with the target as
 *   Dirichlet data just outside M, guided by the stronger of the gradients of T and of
 *   T + a·g·(E − S_e), a the exemplar's matte (defect-layer.ts): the mark darkens or lightens the
 *   target's own surface, and a generous mask around a thin crack carries the crack, not the
 *   exemplar's grain; the solve's change is then scaled back up to the mark's own strength, per
 *   LAB channel (markStrengthRestore), since on a grainy surface the grain wins most of a faint mark;
 * - soft (large faint areas): out = T + α·g·blur(E − S_e), α rising from 0 on M's edge over a band
 *   that follows the defect's size, so the falloff is the defect's own, never a polygon edge; the
 *   layer is blurred to the scale of that band, since a soft defect is a slow change and the
 *   exemplar's own fine texture must not be laid over the target's.
 *
 * g is the contrast gain of the pair (variation within what the cluster's exemplars show).
 * Everything outside M is the normal image, byte for byte.
 *
 * The pair's label is where the exemplar's own mask lands inside M (its warped coverage ≥ ½), not
 * all of M: M is the polygon of the closed source mask (Eq. 5), and for a scratch annotated as a
 * broken thin line that closing makes a blob many times the line's area. Labelling the blob marked
 * unchanged surface as defect (devdata macaroni1: the mixed scratches changed 0.34 of their mask on
 * average) and taught the segmenter to flag plain pasta. Pixels change only within 1 px of the
 * label, so the pair stays aligned by construction against its label.
 */
import { labToSrgbInto } from '../image/colour';
import { dilate, insideDistance } from '../image/morphology';
import { createMask, type Mask, type Raster } from '../image/raster';
import type { MaskTransform } from '../masks/transform';
import { boxHeight, boxWidth, growBox, maskBox, type Box } from './box';
import type { PreparedExemplar } from './defect-layer';
import { colourChannels, lToGray, rasterToLab } from './lab';
import { gaussianBlur } from '../regions/planes';
import { blendMixed, membraneFill } from './poisson';
import { sampleBilinear, sampleMaskCoverage, sourceCoordinates } from './warp';

export type StructuralBlend = 'opaque' | 'mixed' | 'soft';

export interface StructuralInput {
  normal: Raster;
  alignedMask: Mask;
  exemplar: PreparedExemplar;
  transform: MaskTransform;
  mode: StructuralBlend;
  /** Scales the defect layer (its contrast to the surface); 1 = as in the exemplar. */
  contrastGain: number;
}

/** Margin (px) of target around M: the surface fill reads the ring just outside M grown by 1 px. */
const SURFACE_MARGIN = 3;

export interface StructuralOutput {
  image: Raster;
  /** The pair's label (0/255, image size): M where the warped exemplar mask covers at least half a pixel. */
  label: Mask;
}

export function composeStructural(input: StructuralInput): StructuralOutput {
  const { normal, alignedMask: m, exemplar: ex, transform, mode, contrastGain: gain } = input;
  const tight = maskBox(m);
  if (!tight) throw new Error('aligned mask is empty');
  const box = growBox(tight, SURFACE_MARGIN, normal.width, normal.height);
  const w = boxWidth(box);
  const h = boxHeight(box);
  const n = w * h;

  // Exemplar planes warped into the box: its LAB, its surface, and its mask's coverage.
  const coords = sourceCoordinates(transform, box);
  const plane = { x0: ex.box.x0, y0: ex.box.y0, width: boxWidth(ex.box), height: boxHeight(ex.box), channels: 3 };
  const e = sampleBilinear({ ...plane, data: ex.lab }, ex.image.width, ex.image.height, coords);
  const se = sampleBilinear({ ...plane, data: ex.surface }, ex.image.width, ex.image.height, coords);
  const matte = sampleBilinear({ ...plane, channels: 1, data: ex.matte }, ex.image.width, ex.image.height, coords).values;
  const coverage = sampleMaskCoverage(ex.mask, coords);

  const inM = new Uint8Array(n);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) inM[y * w + x] = m.data[(box.y0 + y) * m.width + box.x0 + x] !== 0 ? 1 : 0;
  // The label: M where the exemplar's own mask lands (coverage ≥ ½); where it lands nowhere that
  // fully (a defect of a pixel or two shrunk by the scale), wherever it touches M; else M itself.
  const label = new Uint8Array(n);
  let labelled = 0;
  for (let k = 0; k < n; k++) if (inM[k] && e.valid[k] && coverage[k] >= 0.5) (label[k] = 1), labelled++;
  if (labelled === 0) for (let k = 0; k < n; k++) if (inM[k] && e.valid[k] && coverage[k] > 0) (label[k] = 1), labelled++;
  if (labelled === 0) label.set(inM);
  // What may change: the label grown by 1 px, within M. The exemplar contributes only within its
  // own mask grown by ≤ 1 px (bilinear coverage > 0), and only where T maps into the exemplar image.
  const near = dilate({ width: w, height: h, data: label }, 1).data;
  const domain = new Uint8Array(n);
  for (let k = 0; k < n; k++) domain[k] = inM[k] && near[k] ? 1 : 0;
  const support = new Uint8Array(n);
  for (let k = 0; k < n; k++) support[k] = domain[k] && e.valid[k] && coverage[k] > 0 ? 1 : 0;

  const target = rasterToLab(normal, box.x0, box.y0, w, h);

  // The defect layer on the target: deviation from the exemplar's surface, scaled by the gain.
  const layer = new Float64Array(n * 3);
  for (let k = 0; k < n; k++) {
    if (!support[k]) continue;
    for (let c = 0; c < 3; c++) layer[3 * k + c] = gain * (e.values[3 * k + c] - se.values[3 * k + c]);
  }

  const out = Float64Array.from(target);
  if (mode === 'opaque') {
    const surface = surfaceUnder(target, domain, w, h);
    for (let k = 0; k < n; k++) {
      if (!support[k]) continue;
      for (let c = 0; c < 3; c++) out[3 * k + c] = surface[3 * k + c] + layer[3 * k + c];
    }
  } else if (mode === 'soft') {
    const { alpha, band } = softAlpha(label, w, h);
    const slow = [0, 1, 2].map((c) => {
      const plane = new Float64Array(n);
      for (let k = 0; k < n; k++) plane[k] = layer[3 * k + c];
      return gaussianBlur(plane, w, h, Math.max(1, band / 2));
    });
    for (let k = 0; k < n; k++) {
      if (!support[k]) continue;
      for (let c = 0; c < 3; c++) out[3 * k + c] = target[3 * k + c] + alpha[k] * slow[c][k];
    }
  } else {
    const source = Float64Array.from(target);
    for (let k = 0; k < n; k++) {
      if (!support[k]) continue;
      for (let c = 0; c < 3; c++) source[3 * k + c] = target[3 * k + c] + matte[k] * layer[3 * k + c];
    }
    const solved = blendMixed({ width: w, height: h, channels: 3, source, target, domain }).image;
    // Each LAB channel is restored to its own shift. One factor read off L* and applied to a* and
    // b* too overshot the colour wherever the solve kept more of the mark's colour than of its
    // lightness, e.g. when the exemplar's ring reaches a darker background and asks for a large
    // L* rise: devdata macaroni1's mixed pairs reached Δb* −33 (a bluish white) where their
    // exemplar's own shift was −11; per channel the worst is −21 and none leaves the real range.
    // A solved change whose lighter and darker parts cancel is bounded by the mark's own energy.
    // With no shift wanted (a* and b* of a grey image) the restore is 1 whatever the bound, so
    // the balance's blur is skipped.
    const s = [0, 1, 2].map((c) => {
      const wantedShift = gain * (ex.insideMean[c] - ex.ringMean[c]);
      const cancels = wantedShift !== 0 && changeBalance(target, solved, domain, c, w, h) < CANCELLING_CHANGE;
      return markStrengthRestore(target, solved, domain, wantedShift, c, cancels ? changeEnergy(target, source, domain, c) : Infinity);
    });
    for (let k = 0; k < n; k++) {
      if (!domain[k]) continue;
      for (let c = 0; c < 3; c++) out[3 * k + c] = target[3 * k + c] + s[c] * (solved[3 * k + c] - target[3 * k + c]);
    }
  }
  const full = createMask(normal.width, normal.height);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (label[y * w + x]) full.data[(box.y0 + y) * normal.width + box.x0 + x] = 255;
  return { image: writeBack(normal, box, domain, out), label: full };
}

/**
 * The target's surface under the pixels that change (opaque mode only): the membrane fill of them
 * grown by 1 px from the pixels around it, the same definition as the exemplar's (prepareExemplar).
 * They lie in M, at least SURFACE_MARGIN px inside the box (or on the image's edge), so growing
 * their crop is growing them.
 */
function surfaceUnder(target: Float64Array, changed: Uint8Array, w: number, h: number): Float64Array {
  const grown = dilate({ width: w, height: h, data: changed }, 1);
  const known = new Uint8Array(w * h);
  for (let k = 0; k < known.length; k++) known[k] = grown.data[k] === 0 ? 1 : 0;
  return membraneFill(target, w, h, 3, known);
}

/** Most a mixed solve's change is scaled up to restore the mark's strength. */
export const MAX_MARK_RESTORE = 4;

/**
 * How much the mixed solve's change to one LAB channel (`channel`, 0 = L*) of the target must be
 * scaled so the mark keeps the strength
 * the pair asked for. The solve keeps the target's gradient wherever it is the stronger, and on
 * a grainy surface that gives most of a faint mark back to the grain: on devdata macaroni1 the
 * mixed scratches kept a median 0.31 of their cluster's exemplar contrast (0.16 of their mask
 * visibly changed), the same scratches pasted opaque 0.88, and a label with no visible defect
 * teaches a segmenter to flag plain texture. The solve decides the mark's shape; this restores
 * its strength: the channel's mean change of (solved − target) over M is brought to `wantedShift`
 * (the exemplar's inside-minus-ring value of that channel, times the gain: for L* the same measure
 * as its contrast), never scaled down, at most ×4, and left alone where the solve turned the
 * mark's sign.
 *
 * Nor does the scale take the change's energy over M, Σ(solved − target)², past `wantedEnergy`
 * (Infinity: no bound). The caller passes the mark's own energy where the solved change is both
 * lighter and darker in blobs that cancel in its mean (changeBalance): there the mean measures
 * nothing, and devdata macaroni1's similar-colour spots (a dark pit in a pale patch) kept a mean
 * change of 0.2 L* against a wanted 6, took the full ×4 and came out as near-black pits in white
 * halos.
 */
export function markStrengthRestore(target: Float64Array, solved: Float64Array, inM: Uint8Array, wantedShift: number, channel = 0, wantedEnergy = Infinity): number {
  let got = 0;
  let gotEnergy = 0;
  let count = 0;
  for (let k = 0; k < inM.length; k++) {
    if (!inM[k]) continue;
    const d = solved[3 * k + channel] - target[3 * k + channel];
    got += d;
    gotEnergy += d * d;
    count++;
  }
  if (count === 0 || wantedShift === 0 || got === 0 || Math.sign(wantedShift) !== Math.sign(got)) return 1;
  const byShift = (wantedShift * count) / got;
  const byEnergy = wantedEnergy === Infinity ? Infinity : Math.sqrt(wantedEnergy / gotEnergy);
  return Math.min(MAX_MARK_RESTORE, Math.max(1, Math.min(byShift, byEnergy)));
}

/** Below this changeBalance the solved change's lighter and darker parts cancel in its mean. */
export const CANCELLING_CHANGE = 0.5;
/** Blur (px) of the change before its signs are weighed (changeBalance). */
const BALANCE_BLUR = 2;

/**
 * |Σ b| / Σ |b| over M of (after − before) in one LAB channel of a `w`×`h` box, b being that
 * change blurred at 2 px: 1 when the change is all one sign (a scratch, a crack: devdata
 * macaroni1's mixed scratches have a median of 1.0), near 0 when lighter and darker blobs balance
 * (its pit-in-pale-patch spots: median 0.25). The blur keeps pixel grain out of it, which is of both
 * signs by nature: a faint one-signed mark under strong grain reads 0.18 unblurred, 0.6 blurred.
 */
export function changeBalance(before: Float64Array, after: Float64Array, inM: Uint8Array, channel: number, w: number, h: number): number {
  const d = new Float64Array(w * h);
  for (let k = 0; k < d.length; k++) if (inM[k]) d[k] = after[3 * k + channel] - before[3 * k + channel];
  const b = gaussianBlur(d, w, h, BALANCE_BLUR);
  let sum = 0;
  let abs = 0;
  for (let k = 0; k < d.length; k++) {
    if (!inM[k]) continue;
    sum += b[k];
    abs += Math.abs(b[k]);
  }
  return abs > 0 ? Math.abs(sum) / abs : 1;
}

/** Σ (after − before)² over M in one LAB channel. */
export function changeEnergy(before: Float64Array, after: Float64Array, inM: Uint8Array, channel: number): number {
  let e = 0;
  for (let k = 0; k < inM.length; k++) if (inM[k]) e += (after[3 * k + channel] - before[3 * k + channel]) ** 2;
  return e;
}

/**
 * 0 on the label's edge rising smoothly (smoothstep) to 1 at a depth of a third of its inscribed
 * radius (at least 1 px): a large soft defect fades in over a band proportional to its own size.
 */
function softAlpha(label: Uint8Array, w: number, h: number): { alpha: Float64Array; band: number } {
  const crop = { width: w, height: h, data: label };
  const depth = insideDistance(crop);
  let deepest = 0;
  for (let k = 0; k < depth.length; k++) if (depth[k] > deepest) deepest = depth[k];
  const band = Math.max(1, deepest / 3);
  const alpha = new Float64Array(w * h);
  for (let k = 0; k < alpha.length; k++) {
    if (crop.data[k] === 0) continue;
    const t = Math.min(1, Math.max(0, (depth[k] - 0.5) / band));
    alpha[k] = t * t * (3 - 2 * t);
  }
  return { alpha, band };
}

/** The normal image with the box's `changed` pixels replaced by `lab` converted back to its channels. */
function writeBack(normal: Raster, box: Box, changed: Uint8Array, lab: Float64Array): Raster {
  const data = Uint8Array.from(normal.data);
  const w = boxWidth(box);
  const ch = normal.channels;
  const nc = colourChannels(normal);
  const rgb = new Float64Array(3);
  for (let y = 0; y < boxHeight(box); y++) {
    for (let x = 0; x < w; x++) {
      const k = y * w + x;
      if (!changed[k]) continue;
      const i = ((box.y0 + y) * normal.width + box.x0 + x) * ch;
      const l = Math.min(100, Math.max(0, lab[3 * k]));
      if (nc === 1) {
        data[i] = Math.round(lToGray(l));
        continue;
      }
      labToSrgbInto(l, lab[3 * k + 1], lab[3 * k + 2], rgb, 0);
      for (let c = 0; c < 3; c++) data[i + c] = Math.min(255, Math.max(0, Math.round(rgb[c])));
    }
  }
  return { width: normal.width, height: normal.height, channels: normal.channels, data };
}
