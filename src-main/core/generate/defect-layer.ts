/**
 * A few-shot exemplar split into the surface it sits on and the defect itself (METHOD.md §2b).
 * The surface under the mask is the membrane (harmonic) fill from the exemplar's pixels around it; the
 * defect layer is what the mask adds to that surface. Separating the two is what lets the
 * generator put the defect, and only the defect, on another surface: its own surroundings
 * never travel, so nothing changes outside the aligned mask.
 *
 * Prepared once per exemplar and reused for every pair made from it.
 */
import { dilate } from '../image/morphology';
import { cropMask } from '../features/roi';
import type { Mask, Raster } from '../image/raster';
import type { BlendModeChoice } from './blend-mode';
import { anomalyStats, type Lab } from './colour';
import { boxHeight, boxWidth, growBox, maskBox, type Box } from './box';
import { rasterToLab } from './lab';
import { gaussianBlur } from '../regions/planes';
import { membraneFill } from './poisson';

export interface PreparedExemplar {
  image: Raster;
  mask: Mask;
  /** The crop of the exemplar image the planes cover. */
  box: Box;
  /** LAB of the crop, 3 values per pixel. */
  lab: Float64Array;
  /** LAB of the surface under the defect: the membrane fill of the mask grown by 1 px from the pixels around it. */
  surface: Float64Array;
  /**
   * How much each crop pixel is defect rather than surface (0..1): its deviation from the
   * surface, in units of the ring's own texture. A generous mask around a thin crack carries
   * the crack, not the exemplar's tread or grain around it.
   */
  matte: Float64Array;
  /** Mean LAB inside the mask and in a ring around it. */
  insideMean: Lab;
  ringMean: Lab;
  /** |ΔL*| between the inside and the ring: the defect's contrast, which variation scales. */
  contrast: number;
  /**
   * The automatic blend mode of this exemplar, filled in by the generator the first time a pair
   * asks for `auto` (choosing it finds the product's outline at full resolution, the dearest
   * step of the preparation, and a pair with an explicit mode never needs it).
   */
  blend?: BlendModeChoice;
}

/** ΔE*ab: a flat ring does not make every small deviation count as defect. */
const MIN_TEXTURE = 2;
/** The matte rises from 0 at 0.75 ring spreads of deviation to 1 at 2.25. */
const MATTE_FROM = 0.75;
const MATTE_SPAN = 1.5;

/**
 * The surface's own fine texture around the mask: RMS ΔE*ab of the known pixels from their
 * σ = 2 blur (shading and slow gradients do not count as texture; grain, tread and weave do).
 */
function ringTexture(lab: Float64Array, known: Uint8Array, w: number, h: number): number {
  const plane = new Float64Array(w * h);
  const planes = [0, 1, 2].map((c) => {
    for (let k = 0; k < plane.length; k++) plane[k] = lab[3 * k + c];
    return gaussianBlur(plane, w, h, 2);
  });
  let ss = 0;
  let n = 0;
  for (let k = 0; k < known.length; k++) {
    if (!known[k]) continue;
    ss += (lab[3 * k] - planes[0][k]) ** 2 + (lab[3 * k + 1] - planes[1][k]) ** 2 + (lab[3 * k + 2] - planes[2][k]) ** 2;
    n++;
  }
  return n ? Math.sqrt(ss / n) : 0;
}

/** Ring (px) of surface measured around an exemplar mask: its equivalent radius, 3..16 px. */
function ringWidth(area: number): number {
  return Math.min(16, Math.max(3, Math.round(Math.sqrt(area / Math.PI))));
}

export function prepareExemplar(image: Raster, mask: Mask): PreparedExemplar {
  if (mask.width !== image.width || mask.height !== image.height) {
    throw new Error(`exemplar mask is ${mask.width}×${mask.height} but its image is ${image.width}×${image.height}`);
  }
  const tight = maskBox(mask);
  if (!tight) throw new Error('exemplar mask is empty');
  let area = 0;
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i] !== 0) area++;
  const ring = ringWidth(area);
  const box = growBox(tight, ring + 2, image.width, image.height);
  const w = boxWidth(box);
  const h = boxHeight(box);
  const lab = rasterToLab(image, box.x0, box.y0, w, h);
  // Known surface: outside the mask grown by one pixel (its anti-aliased or blurred rim is defect).
  // The box has ≥ 5 px of margin round the mask (or meets the image's edge), so growing its crop
  // is growing the mask.
  const grown = dilate({ width: w, height: h, data: cropMask(mask, box) }, 1);
  const known = new Uint8Array(w * h);
  for (let k = 0; k < known.length; k++) known[k] = grown.data[k] === 0 ? 1 : 0;
  const surface = membraneFill(lab, w, h, 3, known);
  const stats = anomalyStats(image, mask, ring);
  const texture = Math.max(MIN_TEXTURE, ringTexture(lab, known, w, h));
  const raw = new Float64Array(w * h);
  for (let k = 0; k < raw.length; k++) {
    if (known[k]) continue;
    const m = Math.hypot(lab[3 * k] - surface[3 * k], lab[3 * k + 1] - surface[3 * k + 1], lab[3 * k + 2] - surface[3 * k + 2]);
    const t = Math.min(1, Math.max(0, (m - MATTE_FROM * texture) / (MATTE_SPAN * texture)));
    raw[k] = t * t * (3 - 2 * t);
  }
  // Softened outwards only: a thin defect keeps its full strength.
  const spread = gaussianBlur(raw, w, h, 1);
  const matte = new Float64Array(raw.length);
  for (let k = 0; k < raw.length; k++) matte[k] = Math.max(raw[k], spread[k]);
  return {
    image,
    mask,
    box,
    lab,
    surface,
    matte,
    insideMean: stats.inside.mean,
    ringMean: stats.ring.count > 0 ? stats.ring.mean : stats.inside.mean,
    contrast: Math.abs(stats.inside.mean[0] - (stats.ring.count > 0 ? stats.ring.mean[0] : stats.inside.mean[0])),
  };
}
