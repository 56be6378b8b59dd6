import { createImage, createPlane, fillPolygon, hsv, paint, posePoints, type FloatImage, type Pose, type Rgb } from './draw';
import { ValueNoise, noiseField } from './noise';
import { drawContaminant, drawFlakes, drawLabel, drawScuff, pointIn, rectPoints, type Rect } from './nutbox-parts';
import type { Rng } from '../random';
import { need, type Range, type NutboxScene } from './recipe';
import { roundedRect, rrBevel, rrDistance, softCoverage } from './sdf';
import { drawEllipsoid, lightFrom, type Light } from './shade';

/**
 * The `nutbox` object category (after MVTec LOCO's breakfast box): a moulded tray seen from
 * above on a conveyor belt, with a nuts compartment, a cereal compartment and a printed label.
 */

export const NUTBOX_REGIONS = ['container', 'nuts', 'cereal', 'label'] as const;
export const NUTBOX_ANOMALIES = ['missing_nuts', 'contamination', 'scratch'] as const;

// The product's layout in its own frame (tray width = 1): every box is moulded the same.
const TRAY: Rect = { cx: 0, cy: 0, w: 1, h: 0.66, r: 0.07 };
const NUTS: Rect = { cx: -0.24, cy: -0.045, w: 0.42, h: 0.44, r: 0.045 };
const CEREAL: Rect = { cx: 0.24, cy: -0.045, w: 0.42, h: 0.44, r: 0.045 };
const LABEL: Rect = { cx: 0, cy: 0.255, w: 0.38, h: 0.095, r: 0.01 };

export interface NutboxShot {
  image: FloatImage;
  /** Binary (0/255) region masks, one per NUTBOX_REGIONS name. */
  regions: Record<string, Uint8Array>;
  /** The defect's alpha (structural) or the affected region (logical); null for a normal image. */
  anomaly: Float32Array | null;
}

/**
 * Renders one box. `layoutSeed` fixes what is printed on the label (the same on every box
 * of the product); `rng` draws everything that differs from box to box.
 */
export function renderNutbox(rng: Rng, width: number, height: number, s: NutboxScene, layoutSeed: Rng, anomaly: { subtype: string; params: Record<string, Range> } | null): NutboxShot {
  if (anomaly && !(NUTBOX_ANOMALIES as readonly string[]).includes(anomaly.subtype)) {
    throw new Error(`demo recipe: nutbox has no anomaly subtype "${anomaly.subtype}" (known: ${NUTBOX_ANOMALIES.join(', ')})`);
  }
  const j = s.colorJitter;
  const jitter = (c: Rgb): Rgb => {
    const g = 1 + rng.range(-j, j);
    return [c[0] * g * (1 + rng.range(-j, j) / 3), c[1] * g, c[2] * g * (1 + rng.range(-j, j) / 3)];
  };
  const light = lightFrom(rng.range(-2.6, -1.9), rng.range(0.75, 1.05));
  const img = createImage(width, height, jitter(s.background));
  const noise = new ValueNoise(rng.fork('noise'));
  belt(img, noise, rng);

  const trayPx = rng.within(s.trayWidthFrac) * width;
  const pose: Pose = {
    cx: width / 2 + rng.range(-1, 1) * s.translateFrac * width,
    cy: height / 2 + rng.range(-1, 1) * s.translateFrac * height,
    angle: (rng.range(-1, 1) * s.rotationDeg * Math.PI) / 180,
    scale: trayPx,
  };
  const cover = (r: Rect) => {
    const plane = createPlane(width, height);
    fillPolygon(plane, width, height, posePoints(pose, rectPoints(r)));
    return plane;
  };
  const tray = cover(TRAY);
  const nuts = cover(NUTS);
  const cereal = cover(CEREAL);
  const label = cover(LABEL);

  // The tray stands a few millimetres proud of the belt: a soft cast shadow away from the light.
  const lift = trayPx * 0.018;
  const shadowRect = roundedRect({ ...pose, cx: pose.cx - light.x * lift, cy: pose.cy - light.y * lift }, TRAY);
  const shadowSigma = trayPx * 0.012;
  const box = boundsOf(posePoints(pose, rectPoints(TRAY)), lift + shadowSigma * 4, width, height);
  multiplyIn(img, box, (x, y) => 1 - 0.55 * 0.75 * softCoverage(rrDistance(shadowRect, x, y), shadowSigma));

  const trayColor = jitter(s.trayColor);
  paint(img, tray, trayColor);
  plasticSheen(img, tray, noise);
  const wells = createPlane(width, height);
  for (let k = 0; k < wells.length; k++) wells[k] = Math.max(nuts[k], cereal[k]);
  paint(img, wells, [trayColor[0] * 0.9, trayColor[1] * 0.9, trayColor[2] * 0.88]);
  shadeMoulding(img, box, pose, light, trayPx, wells);

  if (anomaly?.subtype !== 'missing_nuts') drawNuts(img, rng.fork('nuts'), pose, s, light, noise, nuts);
  drawFlakes(img, rng.fork('cereal'), pose, CEREAL, Math.round(rng.within(s.cerealCount)), s.flakeRadius, light, cereal);
  drawLabel(img, layoutSeed.fork('label'), pose, LABEL);
  const labelRect = roundedRect(pose, LABEL);
  const labelSigma = trayPx * 0.002;
  multiplyIn(img, boundsOf(posePoints(pose, rectPoints(LABEL)), 4, width, height), (x, y) => rrBevel(labelRect, x, y, rrDistance(labelRect, x, y), labelSigma, light, 0.5));

  const regions = regionMasks(tray, nuts, cereal, label);
  let defect: Float32Array | null = null;
  if (anomaly) {
    const subtype = anomaly.subtype;
    const where = `nutbox/${subtype}`;
    const p = (key: string) => rng.within(need(anomaly.params, key, where));
    if (subtype === 'missing_nuts') {
      defect = Float32Array.from(regions.nuts, (v) => v / 255);
    } else if (subtype === 'contamination') {
      const onCereal = rng.next() < p('onCerealChance');
      const at = onCereal ? pointIn(rng, CEREAL, 0.05) : containerPoint(rng).at;
      const color = hsv(p('hue'), p('saturation'), p('value'));
      defect = drawContaminant(img, rng.fork('contaminant'), pose, at, p('sizeFrac'), color, light);
    } else {
      for (let attempt = 0; attempt < 20 && !defect; attempt++) {
        const a = drawScuffTrial(img, rng, pose, p, regions.container);
        if (a) defect = a;
      }
      if (!defect) throw new Error('nutbox scratch: no placement on the container after 20 tries');
    }
  }
  return { image: img, regions, anomaly: defect };
}

function drawScuffTrial(img: FloatImage, rng: Rng, pose: Pose, p: (key: string) => number, container: Uint8Array): Float32Array | null {
  const { at, along } = containerPoint(rng);
  // Scuffs from handling run roughly along the strip they are on.
  const angle = along + rng.normal() * 0.25;
  const trial: FloatImage = { width: img.width, height: img.height, data: img.data.slice() };
  const alpha = drawScuff(trial, rng, pose, at, angle, p('lengthFrac'), p('halfWidthPx'), p('strength'), container);
  let on = 0;
  for (let k = 0; k < alpha.length; k++) if (alpha[k] >= 0.5) on++;
  if (on < 25) return null;
  img.data.set(trial.data);
  return alpha;
}

/**
 * A point on the tray's flat top (the rim above the compartments, the strip beside the
 * label, or the divider) and that strip's direction in the tray frame.
 */
function containerPoint(rng: Rng): { at: [number, number]; along: number } {
  const band = rng.intBetween(0, 2);
  if (band === 0) return { at: [rng.range(-0.4, 0.4), rng.range(-0.31, -0.285)], along: 0 };
  if (band === 1) return { at: [rng.range(-0.42, -0.24) * rng.sign(), rng.range(0.21, 0.29)], along: 0 };
  return { at: [rng.range(-0.01, 0.01), rng.range(-0.2, 0.1)], along: Math.PI / 2 };
}

function regionMasks(tray: Float32Array, nuts: Float32Array, cereal: Float32Array, label: Float32Array): Record<string, Uint8Array> {
  const n = tray.length;
  const out: Record<string, Uint8Array> = {
    container: new Uint8Array(n),
    nuts: new Uint8Array(n),
    cereal: new Uint8Array(n),
    label: new Uint8Array(n),
  };
  for (let k = 0; k < n; k++) {
    if (nuts[k] >= 0.5) out.nuts[k] = 255;
    else if (cereal[k] >= 0.5) out.cereal[k] = 255;
    else if (label[k] >= 0.5) out.label[k] = 255;
    else if (tray[k] >= 0.5) out.container[k] = 255;
  }
  return out;
}

/** A rubber conveyor belt: faint mottling and a fine woven texture. */
function belt(img: FloatImage, noise: ValueNoise, rng: Rng): void {
  const { width, height, data } = img;
  const mottle = noiseField(noise, width, height, { cell: rng.range(50, 90), octaves: 3 });
  const weave = noiseField(noise, width, height, { cell: 2.2, octaves: 1, angle: rng.range(-0.05, 0.05), stretch: 6 });
  const amp = rng.range(0.04, 0.07);
  for (let k = 0; k < width * height; k++) {
    const g = 1 + mottle[k] * amp + weave[k] * 0.05;
    data[k * 3] *= g;
    data[k * 3 + 1] *= g;
    data[k * 3 + 2] *= g;
  }
}

/** Moulded plastic is never perfectly flat in tone: a faint low-frequency sheen and fine grain. */
function plasticSheen(img: FloatImage, tray: Float32Array, noise: ValueNoise): void {
  const { width, height, data } = img;
  const sheen = noiseField(noise, width, height, { cell: 70, octaves: 2 });
  for (let k = 0; k < tray.length; k++) {
    if (tray[k] <= 0) continue;
    const x = k % width, y = (k - x) / width;
    const g = 1 + tray[k] * (0.025 * sheen[k] + 0.015 * noise.sample(x / 1.4 + 300, y / 1.4));
    data[k * 3] *= g;
    data[k * 3 + 1] *= g;
    data[k * 3 + 2] *= g;
  }
}

/**
 * Light on the moulding: the tray's raised outer edge, the recessed wells' rims, and the
 * shadow the wall nearest the light casts on each well's floor.
 */
function shadeMoulding(img: FloatImage, box: Box, pose: Pose, light: Light, trayPx: number, wells: Float32Array): void {
  const tray = roundedRect(pose, TRAY);
  const nuts = roundedRect(pose, NUTS);
  const cereal = roundedRect(pose, CEREAL);
  const depth = trayPx * 0.02;
  const under: Pose = { ...pose, cx: pose.cx - light.x * depth, cy: pose.cy - light.y * depth };
  const nutsUnder = roundedRect(under, NUTS);
  const cerealUnder = roundedRect(under, CEREAL);
  const traySigma = trayPx * 0.006;
  const wellSigma = trayPx * 0.005;
  const wallSigma = trayPx * 0.008;
  multiplyIn(img, box, (x, y, k) => {
    let g = rrBevel(tray, x, y, rrDistance(tray, x, y), traySigma, light, 0.9);
    const dn = rrDistance(nuts, x, y);
    const dc = rrDistance(cereal, x, y);
    // The wells are disjoint, so the nearer one's distance is the union's.
    g *= dn < dc ? rrBevel(nuts, x, y, dn, wellSigma, light, -0.9) : rrBevel(cereal, x, y, dc, wellSigma, light, -0.9);
    if (wells[k] > 0) {
      const du = Math.min(rrDistance(nutsUnder, x, y), rrDistance(cerealUnder, x, y));
      g *= 1 - 0.5 * 0.7 * wells[k] * (1 - softCoverage(du, wallSigma));
    }
    return g;
  });
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function boundsOf(pts: number[], pad: number, width: number, height: number): Box {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 0; i < pts.length; i += 2) {
    x0 = Math.min(x0, pts[i]);
    x1 = Math.max(x1, pts[i]);
    y0 = Math.min(y0, pts[i + 1]);
    y1 = Math.max(y1, pts[i + 1]);
  }
  return {
    x0: Math.max(0, Math.floor(x0 - pad)),
    y0: Math.max(0, Math.floor(y0 - pad)),
    x1: Math.min(width - 1, Math.ceil(x1 + pad)),
    y1: Math.min(height - 1, Math.ceil(y1 + pad)),
  };
}

/** Multiplies every pixel in the box by a shading factor evaluated at its centre. */
function multiplyIn(img: FloatImage, box: Box, factor: (x: number, y: number, k: number) => number): void {
  const { width, data } = img;
  for (let y = box.y0; y <= box.y1; y++) {
    for (let x = box.x0; x <= box.x1; x++) {
      const k = y * width + x;
      const g = factor(x + 0.5, y + 0.5, k);
      if (g === 1) continue;
      data[k * 3] *= g;
      data[k * 3 + 1] *= g;
      data[k * 3 + 2] *= g;
    }
  }
}

/** Nuts heaped in their compartment; count and size from the recipe, each one differently shaded. */
function drawNuts(img: FloatImage, rng: Rng, pose: Pose, s: NutboxScene, light: Light, noise: ValueNoise, clip: Float32Array): void {
  const count = Math.round(rng.within(s.nutCount));
  for (let n = 0; n < count; n++) {
    const [ox, oy] = pointIn(rng, NUTS, 0.012);
    const [cx, cy] = posePoints(pose, [ox, oy]);
    const len = rng.within(s.nutLength) * pose.scale;
    const tone = rng.range(0.8, 1.15);
    drawEllipsoid(
      img,
      {
        cx,
        cy,
        rx: len / 2,
        ry: (len / 2) * rng.range(0.58, 0.8),
        angle: rng.range(0, Math.PI * 2),
        color: [0.5 * tone, 0.3 * tone * rng.range(0.92, 1.05), 0.15 * tone],
        streak: rng.range(0.06, 0.14),
        seed: rng.range(0, 200),
      },
      light,
      noise,
      clip,
    );
  }
}
