/**
 * One mask's connected components as instance shapes: the outer contour as a polygon, whether
 * the component has holes, its pixel area and bounding box. Shared by COCO and YOLO-seg.
 */
import { componentContour, simplifyClosedPolygon, type Point } from '../image/geometry';
import { connectedComponents, fillHoles } from '../image/morphology';
import type { Mask } from '../image/raster';

export interface MaskInstance {
  /** Outer contour in image coordinates (pixel corners), simplified; clockwise on screen. */
  polygon: Point[];
  /** True when the component encloses background, which a single polygon cannot express. */
  hasHoles: boolean;
  /** Pixel count. */
  area: number;
  /** [x, y, width, height] of the pixels, in pixels. */
  bbox: [number, number, number, number];
  /** The component's own pixels (0/255) over the whole image; only kept when hasHoles. */
  pixels: Mask | null;
}

/** 8-connected components in raster order of their first pixel (the order of connectedComponents). */
export function maskInstances(mask: Mask, tolerance: number): MaskInstance[] {
  const { width: w, height: h } = mask;
  const cc = connectedComponents(mask, 8);
  const minX = new Int32Array(cc.count + 1).fill(w);
  const minY = new Int32Array(cc.count + 1).fill(h);
  const maxX = new Int32Array(cc.count + 1).fill(-1);
  const maxY = new Int32Array(cc.count + 1).fill(-1);
  for (let i = 0; i < cc.labels.length; i++) {
    const id = cc.labels[i];
    if (id === 0) continue;
    const x = i % w;
    const y = (i - x) / w;
    if (x < minX[id]) minX[id] = x;
    if (x > maxX[id]) maxX[id] = x;
    if (y < minY[id]) minY[id] = y;
    if (y > maxY[id]) maxY[id] = y;
  }
  const out: MaskInstance[] = [];
  for (let id = 1; id <= cc.count; id++) {
    // Work in the component's bounding box plus a one-pixel margin, so background reaching the
    // crop's border is exactly the background outside the component.
    const x0 = minX[id] - 1;
    const y0 = minY[id] - 1;
    const cw = maxX[id] - minX[id] + 3;
    const ch = maxY[id] - minY[id] + 3;
    const local = new Int32Array(cw * ch);
    const localMask: Mask = { width: cw, height: ch, data: new Uint8Array(cw * ch) };
    for (let y = minY[id]; y <= maxY[id]; y++) {
      for (let x = minX[id]; x <= maxX[id]; x++) {
        if (cc.labels[y * w + x] !== id) continue;
        const j = (y - y0) * cw + (x - x0);
        local[j] = 1;
        localMask.data[j] = 255;
      }
    }
    const contour = componentContour(local, 1, cw, ch).map(([x, y]): Point => [x + x0, y + y0]);
    const polygon = simplifyClosedPolygon(contour, tolerance);
    let filled = 0;
    for (const v of fillHoles(localMask).data) if (v !== 0) filled++;
    const hasHoles = filled > cc.areas[id];
    let pixels: Mask | null = null;
    if (hasHoles) {
      pixels = { width: w, height: h, data: new Uint8Array(w * h) };
      for (let i = 0; i < cc.labels.length; i++) if (cc.labels[i] === id) pixels.data[i] = 255;
    }
    out.push({
      polygon,
      hasHoles,
      area: cc.areas[id],
      bbox: [minX[id], minY[id], maxX[id] - minX[id] + 1, maxY[id] - minY[id] + 1],
      pixels,
    });
  }
  return out;
}
