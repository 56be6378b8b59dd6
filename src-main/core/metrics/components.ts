import { connectedComponents } from '../image/morphology';
import type { Mask } from '../image/raster';

export interface ComponentLabels {
  /** 0 = background, 1..count = component id, row-major. */
  labels: Int32Array;
  count: number;
  /** areas[id] = pixel count of component id (areas[0] is unused and 0). */
  areas: Int32Array;
}

/**
 * Connected components of a binary mask ("on" = non-zero). 8-connectivity by default, as the
 * MVTec AD evaluation labels ground-truth regions (scipy `label` with a 3×3 structure).
 * Labels are numbered in raster order of each component's first pixel.
 */
export function labelComponents(mask: Mask, connectivity: 4 | 8 = 8): ComponentLabels {
  const { width: w, height: h, data } = mask;
  if (data.length !== w * h) throw new RangeError(`mask data has ${data.length} bytes, expected ${w * h}`);
  const cc = connectedComponents(mask, connectivity);
  return { labels: cc.labels, count: cc.count, areas: Int32Array.from(cc.areas) };
}
