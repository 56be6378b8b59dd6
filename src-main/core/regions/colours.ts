/**
 * Colours for new regions: each as far as it can be (CIE76 ΔE in Lab) from the colours the
 * category's regions already have, so overlays of neighbouring parts stay apart however many
 * regions there are and whatever colours the user picked. The Okabe-Ito hues (colour-blind
 * friendly) come first; a wheel of hues is there for when they are used up.
 */
import { srgb8ToLab } from '../image/colour';

/** Okabe-Ito, without its grey: a grey overlay is lost on grey industrial images. */
const PALETTE = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7'];

function hexToRgb(hex: string): [number, number, number] {
  const v = Number.parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

function hslHex(h: number, s: number, l: number): string {
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    const c = l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(c * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${f(0)}${f(8)}${f(4)}`.toUpperCase();
}

/** Hues every 15°, at two lightnesses. */
const WHEEL = [0.45, 0.65].flatMap((l) => Array.from({ length: 24 }, (_, i) => hslHex(i * 15, 0.8, l)));

export function colourDistance(a: string, b: string): number {
  const [l1, a1, b1] = srgb8ToLab(...hexToRgb(a));
  const [l2, a2, b2] = srgb8ToLab(...hexToRgb(b));
  return Math.hypot(l1 - l2, a1 - a2, b1 - b2);
}

/** A palette colour at least this far (ΔE) from every taken one is preferred to a farther wheel hue. */
export const CLEAR_DISTANCE = 35;

function farthest(candidates: readonly string[], taken: readonly string[]): { colour: string; distance: number } {
  let best = { colour: candidates[0], distance: -1 };
  for (const c of candidates) {
    const d = taken.length === 0 ? Infinity : Math.min(...taken.map((t) => colourDistance(c, t)));
    // Strictly farther: on a tie the earlier candidate wins.
    if (d > best.distance) best = { colour: c, distance: d };
  }
  return best;
}

/** The colour for a category's next region: far from every colour in `taken`. */
export function distinctColour(taken: readonly string[]): string {
  const valid = taken.filter((c) => /^#[0-9a-fA-F]{6}$/.test(c));
  const fromPalette = farthest(PALETTE, valid);
  return fromPalette.distance >= CLEAR_DISTANCE ? fromPalette.colour : farthest([...PALETTE, ...WHEEL], valid).colour;
}
