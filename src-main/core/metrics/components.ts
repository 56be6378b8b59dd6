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
  const labels = new Int32Array(w * h);
  const stack = new Int32Array(w * h);
  const areaList: number[] = [0];
  let count = 0;
  for (let start = 0; start < w * h; start++) {
    if (data[start] === 0 || labels[start] !== 0) continue;
    count++;
    let area = 0;
    let top = 0;
    stack[top++] = start;
    labels[start] = count;
    while (top > 0) {
      const p = stack[--top];
      area++;
      const x = p % w;
      const y = (p - x) / w;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          if (dx === 0 && dy === 0) continue;
          if (connectivity === 4 && dx !== 0 && dy !== 0) continue;
          const nx = x + dx;
          if (nx < 0 || nx >= w) continue;
          const q = ny * w + nx;
          if (data[q] !== 0 && labels[q] === 0) {
            labels[q] = count;
            stack[top++] = q;
          }
        }
      }
    }
    areaList.push(area);
  }
  return { labels, count, areas: Int32Array.from(areaList) };
}
