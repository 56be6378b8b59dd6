import { describe, expect, it } from 'vitest';
import {
  alignmentBand,
  keepsAlignment,
  measureInsideVisible,
  measureOutsideChange,
  OUTSIDE_CHANGE_TOLERANCE,
} from '../../../../src-main/core/generate/alignment';
import { showsItsDefect } from '../../../../src-main/api/limits';
import { createMask } from '../../../../src-main/core/image/raster';
import { dilate } from '../../../../src-main/core/image/morphology';
import type { Raster } from '../../../../src-main/core/image/raster';
import { disc, filled } from './fixtures';

describe('the alignment rule (changes outside the aligned mask)', () => {
  it('grows the mask by 0.5 % of the longer side, at least 1 px', () => {
    expect(alignmentBand(64, 64)).toBe(1);
    expect(alignmentBand(512, 341)).toBe(3);
    expect(alignmentBand(1024, 1024)).toBe(5);
  });

  it('ignores changes within the band and counts those beyond it over the tolerance', () => {
    const normal = filled(100, 100, 3, () => 100);
    const mask = disc(100, 100, 50, 50, 5); // band: 1 px
    const changed = filled(100, 100, 3, (x, y, c) => {
      if (x === 56 && y === 50) return 200; // 1 px outside the disc's edge (x = 55): inside the band
      if (x === 60 && y === 50 && c === 2) return 100 + OUTSIDE_CHANGE_TOLERANCE + 1; // beyond: over
      if (x === 10 && y === 10) return 100 - OUTSIDE_CHANGE_TOLERANCE; // beyond, at the tolerance: not over
      return 100;
    });
    const c = measureOutsideChange(normal, changed, mask);
    expect(c).toEqual({ max: OUTSIDE_CHANGE_TOLERANCE + 1, overTolerance: 1, band: 1 });
    expect(keepsAlignment(c)).toBe(false);
    expect(keepsAlignment(measureOutsideChange(normal, normal, mask))).toBe(true);
  });

  it('reads only colour channels, never alpha', () => {
    const normal = filled(20, 20, 4, (_x, _y, c) => (c === 3 ? 255 : 50));
    const alpha = filled(20, 20, 4, (_x, _y, c) => (c === 3 ? 0 : 50));
    expect(measureOutsideChange(normal, alpha, disc(20, 20, 10, 10, 2)).max).toBe(0);
  });

  it('measures as a pixel-by-pixel reading of every pixel outside the grown mask does (any channels, views that start mid-word)', () => {
    /** The rule read off every pixel, independently of the word-wise scan. */
    const reference = (normal: Raster, generated: Raster, grown: Uint8Array) => {
      const colour = normal.channels === 2 || normal.channels === 4 ? normal.channels - 1 : normal.channels;
      let max = 0;
      let over = 0;
      for (let p = 0; p < grown.length; p++) {
        if (grown[p]) continue;
        let d = 0;
        for (let c = 0; c < colour; c++) d = Math.max(d, Math.abs(normal.data[p * normal.channels + c] - generated.data[p * normal.channels + c]));
        max = Math.max(max, d);
        if (d > OUTSIDE_CHANGE_TOLERANCE) over++;
      }
      return { max, overTolerance: over };
    };
    let seed = 3;
    const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    for (let trial = 0; trial < 120; trial++) {
      const w = 3 + Math.floor(rnd() * 40);
      const h = 3 + Math.floor(rnd() * 30);
      const ch = ([1, 2, 3, 4] as const)[trial % 4];
      const offset = Math.floor(rnd() * 4);
      const view = (src: Uint8Array) => {
        const d = new Uint8Array(src.length + offset).subarray(offset);
        d.set(src);
        return d;
      };
      const base = new Uint8Array(w * h * ch).map(() => Math.floor(rnd() * 256));
      const changed = base.slice();
      const changes = Math.floor(rnd() * 12);
      for (let k = 0; k < changes; k++) changed[Math.floor(rnd() * changed.length)] = Math.floor(rnd() * 256);
      const normal: Raster = { width: w, height: h, channels: ch, data: view(base) };
      const generated: Raster = { width: w, height: h, channels: ch, data: trial % 3 === 0 ? changed : view(changed) };
      const mask = disc(w, h, w / 2, h / 2, Math.min(w, h) / 4);
      const got = measureOutsideChange(normal, generated, mask);
      expect(got).toEqual({ ...reference(normal, generated, dilate(mask, got.band).data), band: alignmentBand(w, h) });
    }
  });
});

describe('the label shows its defect (changes inside the aligned mask)', () => {
  it('counts the mask pixels changed by more than 8 levels in any colour channel, never alpha', () => {
    // A 10-pixel mask on an RGBA image: 3 pixels change by 9 in one channel, 1 by exactly 8 (not
    // visible), 1 only in alpha (not a colour), and a change outside the mask does not count: 3/10.
    const w = 10;
    const normal = filled(w, 3, 4, () => 100);
    const mask = createMask(w, 3);
    for (let x = 0; x < w; x++) mask.data[w + x] = 255;
    const changed = filled(w, 3, 4, (x, y, c) => {
      if (y === 1 && x < 3 && c === x) return 100 + OUTSIDE_CHANGE_TOLERANCE + 1;
      if (y === 1 && x === 3) return 100 - OUTSIDE_CHANGE_TOLERANCE;
      if (y === 1 && x === 4 && c === 3) return 0;
      if (y === 0) return 255;
      return 100;
    });
    expect(measureInsideVisible(normal, changed, mask)).toBeCloseTo(0.3, 12);
    expect(measureInsideVisible(normal, normal, mask)).toBe(0);
  });

  it('keeps a pair from a tenth of its mask visibly changed, and one made before this was recorded', () => {
    expect(showsItsDefect(0.1)).toBe(true);
    expect(showsItsDefect(0.099)).toBe(false);
    expect(showsItsDefect(0)).toBe(false);
    expect(showsItsDefect(null)).toBe(true);
    // With no contrast floor asked for, a faint pair that visibly changed passes.
    expect(showsItsDefect(0.8, 0.2)).toBe(true);
  });

  it('applies a contrast floor only when one is asked for, as a share of the cluster’s median exemplar', () => {
    expect(showsItsDefect(0.8, 0.5, 0.5)).toBe(true);
    expect(showsItsDefect(0.8, 0.49, 0.5)).toBe(false);
    expect(showsItsDefect(null, 0.2, 0.5)).toBe(false);
    expect(showsItsDefect(0.05, 2, 0.5)).toBe(false);
    // Nothing to compare with (no measurable exemplar contrast): passes.
    expect(showsItsDefect(0.8, null, 0.5)).toBe(true);
  });
});
