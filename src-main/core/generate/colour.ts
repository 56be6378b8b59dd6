/**
 * LAB statistics of an anomaly and of the ring of surface around it, and the colour
 * adaptation of §2b: the warped exemplar is shifted so its surroundings' mean matches the
 * target ring's mean, which keeps the anomaly's contrast to its own surroundings
 * (anomaly − exemplar ring mean) unchanged.
 */
import { squaredDistanceTransform } from '../image/morphology';
import type { Mask, Raster } from '../image/raster';
import { boxHeight, boxWidth, growBox, maskBox } from './box';
import { rasterToLab } from './lab';

export type Lab = [number, number, number];

export interface LabStats {
  mean: Lab;
  /** Pooled spread: sqrt of the mean squared ΔE*ab to the mean. */
  std: number;
  count: number;
}

export interface AnomalyStats {
  inside: LabStats;
  /** Pixels outside the mask within `ringWidth` of it. */
  ring: LabStats;
  /** Largest distance (px) from a mask pixel centre to the nearest off pixel centre. */
  inscribedRadius: number;
  area: number;
}

function stats(lab: Float64Array, pick: Uint8Array): LabStats {
  const mean: Lab = [0, 0, 0];
  let count = 0;
  for (let i = 0; i < pick.length; i++) {
    if (!pick[i]) continue;
    mean[0] += lab[3 * i];
    mean[1] += lab[3 * i + 1];
    mean[2] += lab[3 * i + 2];
    count++;
  }
  if (count === 0) return { mean, std: 0, count };
  mean[0] /= count;
  mean[1] /= count;
  mean[2] /= count;
  let ss = 0;
  for (let i = 0; i < pick.length; i++) {
    if (!pick[i]) continue;
    ss += (lab[3 * i] - mean[0]) ** 2 + (lab[3 * i + 1] - mean[1]) ** 2 + (lab[3 * i + 2] - mean[2]) ** 2;
  }
  return { mean, std: Math.sqrt(ss / count), count };
}

/** LAB statistics of the mask's inside and of a ring `ringWidth` px wide around it. */
export function anomalyStats(image: Raster, mask: Mask, ringWidth: number): AnomalyStats {
  const box = maskBox(mask);
  if (!box) throw new Error('anomaly mask is empty');
  // One extra pixel so the inscribed radius sees the background beyond the mask's box.
  const b = growBox(box, Math.ceil(ringWidth) + 1, mask.width, mask.height);
  const w = boxWidth(b);
  const h = boxHeight(b);
  const crop = { width: w, height: h, data: new Uint8Array(w * h) };
  for (let y = 0; y < h; y++) crop.data.set(mask.data.subarray((b.y0 + y) * mask.width + b.x0, (b.y0 + y) * mask.width + b.x1), y * w);
  const toMask = squaredDistanceTransform(crop, 'on');
  const toBackground = squaredDistanceTransform(crop, 'off');
  const inside = new Uint8Array(w * h);
  const ring = new Uint8Array(w * h);
  const r2 = ringWidth * ringWidth;
  let maxInside = 0;
  let area = 0;
  for (let i = 0; i < w * h; i++) {
    if (toMask[i] === 0) {
      inside[i] = 1;
      area++;
      // A mask touching the image edge has no background there; the box edge stands in.
      if (Number.isFinite(toBackground[i]) && toBackground[i] > maxInside) maxInside = toBackground[i];
    } else if (toMask[i] <= r2) ring[i] = 1;
  }
  const lab = rasterToLab(image, b.x0, b.y0, w, h);
  return {
    inside: stats(lab, inside),
    ring: stats(lab, ring),
    inscribedRadius: Math.sqrt(maxInside),
    area,
  };
}

/**
 * Shifts LAB values (3 per pixel) by targetRingMean − exemplarRingMean, keeping L* in
 * 0..100: the exemplar's surroundings take the target's colour, and the anomaly keeps its
 * offset from its own surroundings.
 */
export function adaptColour(lab: Float64Array, exemplarRingMean: Lab, targetRingMean: Lab): Float64Array {
  const out = new Float64Array(lab.length);
  const dl = targetRingMean[0] - exemplarRingMean[0];
  const da = targetRingMean[1] - exemplarRingMean[1];
  const db = targetRingMean[2] - exemplarRingMean[2];
  for (let i = 0; i < lab.length; i += 3) {
    out[i] = Math.min(100, Math.max(0, lab[i] + dl));
    out[i + 1] = lab[i + 1] + da;
    out[i + 2] = lab[i + 2] + db;
  }
  return out;
}
