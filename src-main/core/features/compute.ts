/**
 * One anomaly's feature vector F_a (paper §3.2, METHOD.md §1), computed only inside the
 * mask's bounding box grown by the contrast ring, so cost scales with the defect.
 */
import { rasterToLab } from '../image/colour';
import type { Mask, Raster } from '../image/raster';
import { colourBlock } from './colour-block';
import { lbpHistograms } from './lbp';
import { cropMask, growRect, maskBoundingBox, ringAround, ringRadiusFor } from './roi';
import { shapeBlock } from './shape';
import type { AnomalyFeatures } from './types';

export interface ComputeFeaturesOptions {
  /** Contrast ring radius in px; default ringRadiusFor(image size). */
  ringRadius?: number;
  /** A deep vector already produced by a DeepFeatureExtractor for this (image, mask). */
  deep?: ArrayLike<number>;
}

export function computeFeatures(image: Raster, mask: Mask, opts: ComputeFeaturesOptions = {}): AnomalyFeatures {
  if (image.width !== mask.width || image.height !== mask.height) {
    throw new Error(`mask ${mask.width}×${mask.height} does not match image ${image.width}×${image.height}`);
  }
  const bbox = maskBoundingBox(mask);
  if (!bbox) throw new Error('empty mask: no anomaly pixels');
  const radius = opts.ringRadius ?? ringRadiusFor(image.width, image.height);
  // ≥ 2 px of margin also gives LBP(16, 2) real neighbours rather than clamped ones.
  const roi = growRect(bbox, Math.max(radius, 2), image.width, image.height);
  const w = roi.x1 - roi.x0;
  const h = roi.y1 - roi.y0;
  const inside = cropMask(mask, roi);
  const ring = ringAround(inside, w, h, radius);
  const lab = rasterToLab(image, roi);
  const features: AnomalyFeatures = {
    colour: colourBlock(lab, inside, ring),
    texture: lbpHistograms(lab.l, inside, w, h),
    shape: shapeBlock(inside, w, h, {
      offsetX: roi.x0,
      offsetY: roi.y0,
      imageWidth: image.width,
      imageHeight: image.height,
    }),
  };
  if (opts.deep) features.deep = Float64Array.from(opts.deep);
  return features;
}
