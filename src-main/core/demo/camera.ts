import { blurImage, type FloatImage } from './draw';
import type { Rng } from '../random';

/** How one inspection camera turns a lit scene into 8-bit pixels; every field is a recipe range. */
export interface CameraParams {
  /** Exposure gain applied to the whole frame. */
  exposure: [number, number];
  /** Peak-to-peak relative strength of the linear illumination gradient across the frame. */
  gradient: [number, number];
  /** Relative light loss at the frame corners (cos⁴-like falloff, approximated as quadratic). */
  vignette: [number, number];
  /** Maximum per-channel white-balance deviation (0.03 = ±3 %). */
  cast: number;
  /** Lens blur, in pixels. */
  blurSigma: [number, number];
  /** Read noise standard deviation in 8-bit levels. */
  readNoise: [number, number];
  /** Shot noise: standard deviation in 8-bit levels at full white (scales with sqrt of signal). */
  shotNoise: number;
}

/**
 * Lighting, optics and sensor applied after the scene (and any defect) is drawn, so a
 * defect is lit, blurred and noisy exactly like the surface around it.
 */
export function photograph(img: FloatImage, rng: Rng, p: CameraParams): Uint8Array {
  const { width, height, data } = img;
  blurImage(img, rng.within(p.blurSigma));
  const exposure = rng.within(p.exposure);
  const gAngle = rng.range(0, Math.PI * 2);
  const gAmp = rng.within(p.gradient);
  const gx = Math.cos(gAngle) * gAmp;
  const gy = Math.sin(gAngle) * gAmp;
  const vig = rng.within(p.vignette);
  // The optical centre is rarely the frame centre.
  const vcx = width * (0.5 + rng.range(-0.12, 0.12));
  const vcy = height * (0.5 + rng.range(-0.12, 0.12));
  const diag2 = (width * width + height * height) / 4;
  const gains = [0, 1, 2].map(() => exposure * (1 + rng.range(-p.cast, p.cast)));
  const read = rng.within(p.readNoise);
  const shot2 = p.shotNoise * p.shotNoise;
  // Noise standard deviation per output level, looked up rather than square-rooted per sample.
  const sdOf = new Float32Array(300);
  for (let l = 0; l < sdOf.length; l++) sdOf[l] = Math.sqrt(read * read + shot2 * (l / 255));
  const noise = rng.fork('sensor');
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const v = y / height - 0.5;
    const dy = y - vcy;
    for (let x = 0; x < width; x++) {
      const u = x / width - 0.5;
      const dx = x - vcx;
      const light = (1 + gx * u + gy * v) * (1 - vig * ((dx * dx + dy * dy) / diag2));
      const i = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) {
        const level = Math.max(0, data[i + c] * light * gains[c]) * 255;
        const q = Math.round(level + sdOf[level < 299 ? level | 0 : 299] * noise.fastNormal());
        out[i + c] = q < 0 ? 0 : q > 255 ? 255 : q;
      }
    }
  }
  return out;
}
