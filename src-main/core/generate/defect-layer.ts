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
import type { Mask, Raster } from '../image/raster';
import { chooseBlendMode, type BlendModeChoice } from './blend-mode';
import { anomalyStats, type Lab } from './colour';
import { boxHeight, boxWidth, growBox, maskBox, type Box } from './box';
import { rasterToLab } from './lab';
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
  /** Mean LAB inside the mask and in a ring around it. */
  insideMean: Lab;
  ringMean: Lab;
  /** |ΔL*| between the inside and the ring: the defect's contrast, which variation scales. */
  contrast: number;
  blend: BlendModeChoice;
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
  const grown = dilate(mask, 1);
  const known = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) known[y * w + x] = grown.data[(box.y0 + y) * image.width + box.x0 + x] === 0 ? 1 : 0;
  const surface = membraneFill(lab, w, h, 3, known);
  const stats = anomalyStats(image, mask, ring);
  return {
    image,
    mask,
    box,
    lab,
    surface,
    insideMean: stats.inside.mean,
    ringMean: stats.ring.count > 0 ? stats.ring.mean : stats.inside.mean,
    contrast: Math.abs(stats.inside.mean[0] - (stats.ring.count > 0 ? stats.ring.mean[0] : stats.inside.mean[0])),
    blend: chooseBlendMode(image, mask),
  };
}
