import type { FloatImage, Rgb } from './draw';
import type { ValueNoise } from './noise';

/**
 * Photometric cues for objects seen from above: one directional light, and shaded
 * ellipsoids (nuts, pellets) lit by it.
 */

/** Direction towards the light in the image plane (unit vector) and its elevation component. */
export interface Light {
  x: number;
  y: number;
  z: number;
}

export function lightFrom(angle: number, elevation: number): Light {
  const c = Math.cos(elevation);
  return { x: Math.cos(angle) * c, y: Math.sin(angle) * c, z: Math.sin(elevation) };
}

export interface Ellipsoid {
  cx: number;
  cy: number;
  rx: number;
  ry: number;
  angle: number;
  color: Rgb;
  /** Surface streak texture strength (nut skin) and the noise offset that makes each one unique. */
  streak: number;
  seed: number;
}

/**
 * Draws a lit ellipsoid with its soft contact shadow. `clip` (0..1 per pixel) limits it to a
 * region, like the walls of the compartment it lies in.
 */
export function drawEllipsoid(img: FloatImage, e: Ellipsoid, light: Light, noise: ValueNoise, clip: Float32Array | null): void {
  const { width, height, data } = img;
  const ca = Math.cos(e.angle), sa = Math.sin(e.angle);
  const sx = -light.x * Math.max(e.rx, e.ry) * 0.35;
  const sy = -light.y * Math.max(e.rx, e.ry) * 0.35;
  const pad = Math.max(e.rx, e.ry) * 1.5 + 2;
  const x0 = Math.max(0, Math.floor(e.cx - pad)), x1 = Math.min(width - 1, Math.ceil(e.cx + pad));
  const y0 = Math.max(0, Math.floor(e.cy - pad)), y1 = Math.min(height - 1, Math.ceil(e.cy + pad));
  const minR = Math.min(e.rx, e.ry);
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const k = y * width + x;
      const c = clip ? clip[k] : 1;
      if (c <= 0) continue;
      const px = x + 0.5 - e.cx, py = y + 0.5 - e.cy;
      // Contact shadow: a soft, slightly larger ellipse displaced away from the light.
      const qx = px - sx, qy = py - sy;
      const su = (qx * ca + qy * sa) / (e.rx * 1.15);
      const sv = (-qx * sa + qy * ca) / (e.ry * 1.15);
      const sd = Math.sqrt(su * su + sv * sv);
      const shadow = Math.max(0, Math.min(1, (1.25 - sd) / 0.45)) * 0.55 * c;
      if (shadow > 0) {
        data[k * 3] *= 1 - shadow;
        data[k * 3 + 1] *= 1 - shadow;
        data[k * 3 + 2] *= 1 - shadow;
      }
      const u = (px * ca + py * sa) / e.rx;
      const v = (-px * sa + py * ca) / e.ry;
      const d = Math.sqrt(u * u + v * v);
      const a = Math.max(0, Math.min(1, (1 - d) * minR + 0.5)) * c;
      if (a <= 0) continue;
      const nz = Math.sqrt(Math.max(0, 1 - Math.min(1, d * d)));
      const nx = u * ca - v * sa;
      const ny = u * sa + v * ca;
      const lambert = Math.max(0, (nx * light.x + ny * light.y + nz * 1.3 * light.z) / Math.sqrt(nx * nx + ny * ny + 1.69 * nz * nz || 1));
      const l2 = lambert * lambert, l4 = l2 * l2, l8 = l4 * l4;
      const spec = l8 * l4 * l2 * 0.18;
      const skin = 1 + e.streak * noise.sample(u * 1.5 + e.seed, v * 7 + e.seed * 0.37);
      const s = (0.22 + 0.85 * lambert) * skin;
      data[k * 3] += (e.color[0] * s + spec - data[k * 3]) * a;
      data[k * 3 + 1] += (e.color[1] * s + spec - data[k * 3 + 1]) * a;
      data[k * 3 + 2] += (e.color[2] * s + spec - data[k * 3 + 2]) * a;
    }
  }
}
