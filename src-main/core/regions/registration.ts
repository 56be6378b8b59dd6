import { createMask, type Mask, type Raster } from '../image/raster';
import { colourAgreement, logPolarGeometry, logPolarSpectrum, makeFrame, pullBack, type Frame } from './frame';
import { sampleBilinear } from './planes';
import { correlateSpectra, parabolicOffset, windowedSpectrum } from './spectrum';

export { phaseCorrelate, type PhaseCorrelation } from './spectrum';

/**
 * Similarity registration of a target image to a labelled exemplar (METHOD.md §4's
 * registration prior): the log-polar transform of the Fourier magnitude for rotation and scale
 * (Reddy & Chatterji, IEEE TIP 1996), (generalised) phase correlation for translation, then a
 * local refinement of all four parameters on the colour agreement of the aligned images. Both
 * images are first drawn into a square power-of-two frame (longer side = frame side, centred),
 * so images of different sizes register in one normalised frame.
 */

/**
 * Maps exemplar pixel coordinates p (pixel centres on integers, x right, y down) to target
 * pixel coordinates: p' = scale · R(rotation) · p + (tx, ty), R(θ) = [[cos θ, −sin θ], [sin θ, cos θ]].
 * With y down, a positive rotation turns the picture clockwise on screen.
 */
export interface SimilarityTransform {
  /** Radians. */
  rotation: number;
  scale: number;
  tx: number;
  ty: number;
}

export interface Registration extends SimilarityTransform {
  /**
   * Height of the translation correlation peak at the final rotation and scale, 0..1 (1 = the
   * same picture up to the shift). Whitening is partial (|cross-power|^½), see `correlateSpectra`.
   */
  peak: number;
  /** Normalised cross-correlation of the aligned, smoothed colour frames where both have pixels (−1..1). */
  ncc: number;
}

export interface RegistrationOptions {
  /** Side of the square working frame, a power of two. Default 128. */
  frameSize?: number;
}

/** A prepared exemplar: its frame and spectra, computed once and reused for every target. */
export interface RegistrationReference {
  frame: Frame;
  windowedRe: Float64Array;
  windowedIm: Float64Array;
  logPolarRe: Float64Array;
  logPolarIm: Float64Array;
}

const DEFAULT_FRAME = 128;
const TRANSLATION_WHITEN = 0.5;

/** Prepares an exemplar for registration (its frame and spectra), once per exemplar. */
export function prepareReference(raster: Raster, options: RegistrationOptions = {}): RegistrationReference {
  const frame = makeFrame(raster, options.frameSize ?? DEFAULT_FRAME);
  const win = windowedSpectrum(frame.data, frame.size, frame.size, frame.weight);
  const lp = logPolarSpectrum(frame);
  return { frame, windowedRe: win.re, windowedIm: win.im, logPolarRe: lp.re, logPolarIm: lp.im };
}

interface Candidate {
  s: number;
  theta: number;
  /** Target-frame translation t: f_b = S·(f_a − c) + c + t. */
  tx: number;
  ty: number;
  peak: number;
}

/** Registration of one target frame against one reference frame, step by step. */
function aligner(ref: RegistrationReference, b: Frame) {
  const a = ref.frame;
  const n = a.size;
  const translate = (s: number, theta: number): Candidate => {
    const pulled = pullBack(b, [b.data], s, theta, 0, 0);
    const spec = windowedSpectrum(pulled.planes[0], n, n, pulled.weight);
    const pc = correlateSpectra(ref.windowedRe, ref.windowedIm, spec.re, spec.im, n, n, TRANSLATION_WHITEN);
    // t' = S⁻¹t in the reference frame; t = S·t' in the target frame.
    const cs = s * Math.cos(theta);
    const sn = s * Math.sin(theta);
    return { s, theta, tx: cs * pc.dx - sn * pc.dy, ty: sn * pc.dx + cs * pc.dy, peak: pc.peak };
  };
  // Every other pixel: the colour frames are smooth at that scale, and this runs ~40 times a candidate.
  const agreement = (c: Candidate): number => colourAgreement(a, b, c.s, c.theta, c.tx, c.ty, 2);
  return { translate, agreement };
}

/**
 * Local search on the colour agreement itself (smooth in all four parameters): coordinate
 * steps, walking while a neighbour is better (the log-polar start can be a few steps off when
 * the images overlap only in part), then a parabolic fit, at halving step sizes.
 */
function refine(agreement: (c: Candidate) => number, start: Candidate): { c: Candidate; agree: number } {
  let p = [start.theta, Math.log(start.s), start.tx, start.ty];
  const make = (q: number[]): Candidate => ({ theta: q[0], s: Math.exp(q[1]), tx: q[2], ty: q[3], peak: 0 });
  let f = agreement(make(p));
  let h = [Math.PI / 180, 0.02, 1, 1];
  for (let round = 0; round < 3; round++) {
    for (let d = 0; d < 4; d++) {
      const at = (k: number) => {
        const q = p.slice();
        q[d] += k * h[d];
        return q;
      };
      let flo = agreement(make(at(-1)));
      let fhi = agreement(make(at(1)));
      for (let walk = 0; walk < 6 && (flo > f || fhi > f); walk++) {
        if (fhi >= flo) {
          p = at(1);
          flo = f;
          f = fhi;
          fhi = agreement(make(at(1)));
        } else {
          p = at(-1);
          fhi = f;
          f = flo;
          flo = agreement(make(at(-1)));
        }
      }
      const off = parabolicOffset(flo, f, fhi);
      if (off !== 0) {
        const fm = agreement(make(at(off)));
        if (fm > f) {
          p = at(off);
          f = fm;
        }
      }
    }
    h = h.map((v) => v / 2);
  }
  return { c: make(p), agree: f };
}

/** Coarse starts before refinement that trail the best by more than this are not refined. */
const REFINE_MARGIN = 0.1;
/** At most this many coarse starts are refined. */
const MAX_REFINED = 3;

/**
 * Registers a target to the best of several prepared exemplars (all with one frame size):
 * log-polar rotation and scale against each, translation for θ and θ + π (the magnitude
 * spectrum cannot tell them apart, and a product nearly symmetric under a half turn gives two
 * similar peaks), then the few starts whose colour agreement leads are refined and the best
 * refined one wins. `skip` leaves one exemplar out (leave-one-out training).
 */
export function registerToBest(refs: RegistrationReference[], target: Raster, skip = -1): Registration & { exemplar: number } {
  const live = refs.map((r, e) => ({ r, e })).filter(({ e }) => e !== skip);
  if (live.length === 0) throw new Error('registration: no exemplar to register to');
  const n = live[0].r.frame.size;
  if (live.some(({ r }) => r.frame.size !== n)) throw new Error('registration: exemplars were prepared with different frame sizes');
  const b = makeFrame(target, n);
  const g = logPolarGeometry(n);
  const lpB = logPolarSpectrum(b);
  const starts: { e: number; ref: RegistrationReference; tools: ReturnType<typeof aligner>; c: Candidate; agree: number }[] = [];
  for (const { r: ref, e } of live) {
    const rs = correlateSpectra(ref.logPolarRe, ref.logPolarIm, lpB.re, lpB.im, g.nRho, g.nTheta);
    const s0 = Math.exp(-g.logBase * rs.dx);
    const theta0 = (Math.PI * rs.dy) / g.nTheta;
    const tools = aligner(ref, b);
    for (const theta of [theta0, theta0 + (theta0 > 0 ? -Math.PI : Math.PI)]) {
      const c = tools.translate(s0, theta);
      starts.push({ e, ref, tools, c, agree: tools.agreement(c) });
    }
  }
  starts.sort((p, q) => q.agree - p.agree || p.e - q.e);
  let best: { e: number; ref: RegistrationReference; tools: ReturnType<typeof aligner>; c: Candidate; agree: number } | null = null;
  for (const start of starts.slice(0, MAX_REFINED)) {
    if (start.agree < starts[0].agree - REFINE_MARGIN) break;
    const { c, agree } = refine(start.tools.agreement, start.c);
    if (!best || agree > best.agree) best = { ...start, c, agree };
  }
  const chosen = best!;
  const peak = chosen.tools.translate(chosen.c.s, chosen.c.theta).peak;
  const a = chosen.ref.frame;
  // Frame → pixels: f = k·(p − c_img) + C in each image, so p_t = S_px·R·(p_e − c_e) + c_t + t / k_t.
  const scale = (chosen.c.s * a.k) / b.k;
  const cs = Math.cos(chosen.c.theta);
  const sn = Math.sin(chosen.c.theta);
  return {
    rotation: chosen.c.theta,
    scale,
    tx: b.cx + chosen.c.tx / b.k - scale * (cs * a.cx - sn * a.cy),
    ty: b.cy + chosen.c.ty / b.k - scale * (sn * a.cx + cs * a.cy),
    peak,
    ncc: chosen.agree,
    exemplar: chosen.e,
  };
}

/** Registers a target image to one prepared exemplar; see `SimilarityTransform` for the direction. */
export function registerToReference(ref: RegistrationReference, target: Raster): Registration {
  const { exemplar: _, ...r } = registerToBest([ref], target);
  return r;
}

/** Registers `target` to `exemplar` (one-off; use `prepareReference` when an exemplar is reused). */
export function registerImages(exemplar: Raster, target: Raster, options: RegistrationOptions = {}): Registration {
  return registerToReference(prepareReference(exemplar, options), target);
}

/** Exemplar coordinates of a target pixel: the inverse of the similarity. */
export function inverseMap(t: SimilarityTransform, x: number, y: number): [number, number] {
  const dx = x - t.tx;
  const dy = y - t.ty;
  const c = Math.cos(t.rotation) / t.scale;
  const s = Math.sin(t.rotation) / t.scale;
  return [c * dx + s * dy, -s * dx + c * dy];
}

/**
 * The fraction of each target pixel covered by the exemplar mask carried by `t`
 * (bilinear in the exemplar, 0 outside it), outWidth × outHeight.
 */
export function warpMaskSoft(mask: Mask, t: SimilarityTransform, outWidth: number, outHeight: number): Float64Array {
  const src = new Float64Array(mask.width * mask.height);
  for (let i = 0; i < src.length; i++) src[i] = mask.data[i] !== 0 ? 1 : 0;
  const out = new Float64Array(outWidth * outHeight);
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      const [ex, ey] = inverseMap(t, x, y);
      out[y * outWidth + x] = sampleBilinear(src, mask.width, mask.height, ex, ey, 0);
    }
  }
  return out;
}

/** The exemplar mask carried into the target frame: bilinear, on where coverage ≥ 0.5 (0/255). */
export function warpMask(mask: Mask, t: SimilarityTransform, outWidth: number, outHeight: number): Mask {
  const soft = warpMaskSoft(mask, t, outWidth, outHeight);
  const out = createMask(outWidth, outHeight);
  for (let i = 0; i < soft.length; i++) out.data[i] = soft[i] >= 0.5 ? 255 : 0;
  return out;
}
