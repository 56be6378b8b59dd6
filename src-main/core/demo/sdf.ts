import type { Pose } from './draw';
import type { Rect } from './nutbox-parts';
import type { Light } from './shade';

/**
 * Signed distance to a posed rounded rectangle, in pixels (negative inside). The moulded
 * tray, its wells and the label are rounded rectangles, so their soft shadows and bevels
 * follow in closed form from this distance instead of from blurring coverage planes.
 * The shape is a flat parameter block so the per-pixel calls stay monomorphic and inline.
 */
export type RoundedRect = Float64Array;

export function roundedRect(pose: Pose, r: Rect): RoundedRect {
  return Float64Array.of(pose.cx, pose.cy, Math.cos(pose.angle) / pose.scale, Math.sin(pose.angle) / pose.scale, r.cx, r.cy, r.w / 2 - r.r, r.h / 2 - r.r, r.r, pose.scale);
}

export function rrDistance(p: RoundedRect, x: number, y: number): number {
  const dx = x - p[0], dy = y - p[1];
  // Into the tray's frame (inverse rotation), relative to this rectangle's centre.
  const u = Math.abs(dx * p[2] + dy * p[3] - p[4]) - p[6];
  const v = Math.abs(-dx * p[3] + dy * p[2] - p[5]) - p[7];
  const ou = u > 0 ? u : 0, ov = v > 0 ? v : 0;
  const inner = u > v ? u : v;
  return (Math.sqrt(ou * ou + ov * ov) + (inner < 0 ? inner : 0) - p[8]) * p[9];
}

/** Gaussian-blurred coverage of a straight edge at signed distance d (logistic fit to the normal CDF). */
export function softCoverage(d: number, sigma: number): number {
  if (d > sigma * 8) return 0;
  if (d < -sigma * 8) return 1;
  return 1 / (1 + Math.exp((1.702 * d) / sigma));
}

/**
 * Bevel shading at distance d from a rounded-rect edge: the Gaussian-blurred coverage's
 * slope towards the light. strength > 0 for a raised edge (bright where it faces the
 * light), < 0 for a recess.
 */
export function rrBevel(p: RoundedRect, x: number, y: number, d: number, sigma: number, light: Light, strength: number): number {
  if (d > sigma * 4 || d < -sigma * 4) return 1;
  const gx = rrDistance(p, x + 0.5, y) - rrDistance(p, x - 0.5, y);
  const gy = rrDistance(p, x, y + 0.5) - rrDistance(p, x, y - 0.5);
  // d/dd of the blurred coverage is −φ(d/σ)/σ; the outward normal is ∇d.
  const slope = Math.exp((-d * d) / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
  return Math.max(0.4, 1 + strength * slope * (gx * light.x + gy * light.y) * sigma * 2.5);
}
