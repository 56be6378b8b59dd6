/**
 * The editor's source of truth (METHOD.md §3 "Semantic regions"): per region an ordered list of
 * operations, replayed onto an optional base raster at the image's own resolution. Fabric only
 * shows the result; saving sends these operations as the region's vectors plus the raster.
 */

export type Pt = [number, number];

export interface RegionOp {
  kind: 'polygon' | 'stroke' | 'fill' | 'mask';
  mode: 'add' | 'subtract';
  /** Image pixels; a fill holds its seed point only, a mask the clicks that produced it. */
  points: Pt[];
  /** Brush diameter in image pixels (0 for polygons and fills). */
  width: number;
  /**
   * A 'mask' op's pixels (the segmenter's answer), run-length encoded in raster order: lengths
   * of alternating off / on runs, starting with off. Stored so a re-opened label replays it.
   */
  rle?: number[];
}

/** Run-length code of the on pixels (alpha ≥ half) of an RGBA buffer; see RegionOp.rle. */
export function rleOfAlpha(rgba: Uint8ClampedArray): number[] {
  const runs: number[] = [];
  let on = false;
  let run = 0;
  for (let i = 3; i < rgba.length; i += 4) {
    const v = rgba[i] >= ON;
    if (v !== on) {
      runs.push(run);
      run = 0;
      on = v;
    }
    run++;
  }
  runs.push(run);
  return runs;
}

/** Sets (add) or clears (subtract) the on pixels of a run-length code in an RGBA buffer. */
export function applyRle(rgba: Uint8ClampedArray, rle: readonly number[], add: boolean): void {
  let i = 0;
  const n = rgba.length / 4;
  rle.forEach((run, k) => {
    const end = Math.min(n, i + run);
    if (k % 2 === 1) {
      for (let j = i; j < end; j++) {
        const p = j * 4;
        rgba[p] = rgba[p + 1] = rgba[p + 2] = 255;
        rgba[p + 3] = add ? 255 : 0;
      }
    }
    i = end;
  });
}

export type OpsByRegion = Readonly<Record<number, readonly RegionOp[]>>;

/**
 * What `regions.saveLabel` stores as vectors. With `baseRaster` the stored mask already holds the
 * operations (they were drawn over a raster start), so re-opening starts from the mask alone.
 */
export interface SavedVectors {
  format: 'gaa-regions/1';
  baseRaster: boolean;
  ops: RegionOp[];
}

export function parseVectors(v: unknown): SavedVectors | null {
  const o = v as Partial<SavedVectors> | null;
  if (!o || o.format !== 'gaa-regions/1' || !Array.isArray(o.ops)) return null;
  return { format: o.format, baseRaster: !!o.baseRaster, ops: o.ops };
}

/** Pixels at or above half opacity are in the region, as the engine's binarisation reads the PNG. */
const ON = 128;

function context(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2d canvas context');
  return ctx;
}

export function blankCanvas(width: number, height: number): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  return c;
}

/**
 * Fills the 4-connected area that shares the seed pixel's state (in or out of the region),
 * setting it to `on`. A seed already in the target state changes nothing.
 */
export function floodFill(rgba: Uint8ClampedArray, width: number, height: number, seed: Pt, on: boolean): number {
  const sx = Math.floor(seed[0]);
  const sy = Math.floor(seed[1]);
  if (sx < 0 || sy < 0 || sx >= width || sy >= height) return 0;
  const state = (i: number) => rgba[i * 4 + 3] >= ON;
  const from = state(sy * width + sx);
  if (from === on) return 0;
  const seen = new Uint8Array(width * height);
  const stack = new Int32Array(width * height);
  let top = 0;
  stack[top++] = sy * width + sx;
  seen[sy * width + sx] = 1;
  let filled = 0;
  while (top > 0) {
    const i = stack[--top];
    const p = i * 4;
    rgba[p] = rgba[p + 1] = rgba[p + 2] = 255;
    rgba[p + 3] = on ? 255 : 0;
    filled++;
    const x = i % width;
    const push = (j: number) => {
      if (!seen[j] && state(j) === from) {
        seen[j] = 1;
        stack[top++] = j;
      }
    };
    if (x > 0) push(i - 1);
    if (x < width - 1) push(i + 1);
    if (i >= width) push(i - width);
    if (i < width * (height - 1)) push(i + width);
  }
  return filled;
}

function applyOp(ctx: CanvasRenderingContext2D, op: RegionOp, width: number, height: number): void {
  if (op.kind === 'mask') {
    if (!op.rle) return;
    const px = ctx.getImageData(0, 0, width, height);
    applyRle(px.data, op.rle, op.mode === 'add');
    ctx.putImageData(px, 0, 0);
    return;
  }
  if (op.points.length === 0) return;
  if (op.kind === 'fill') {
    const px = ctx.getImageData(0, 0, width, height);
    floodFill(px.data, width, height, op.points[0], op.mode === 'add');
    ctx.putImageData(px, 0, 0);
    return;
  }
  ctx.globalCompositeOperation = op.mode === 'add' ? 'source-over' : 'destination-out';
  ctx.fillStyle = '#fff';
  ctx.strokeStyle = '#fff';
  ctx.beginPath();
  const [first, ...rest] = op.points;
  if (op.kind === 'polygon') {
    ctx.moveTo(first[0], first[1]);
    for (const p of rest) ctx.lineTo(p[0], p[1]);
    ctx.closePath();
    ctx.fill('evenodd');
  } else if (rest.length === 0) {
    ctx.arc(first[0], first[1], Math.max(0.5, op.width / 2), 0, Math.PI * 2);
    ctx.fill();
  } else {
    ctx.lineWidth = Math.max(1, op.width);
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.moveTo(first[0], first[1]);
    for (const p of rest) ctx.lineTo(p[0], p[1]);
    ctx.stroke();
  }
  ctx.globalCompositeOperation = 'source-over';
}

/** One region as pixels: its base raster, then its operations in order (white = in the region). */
export function rasteriseRegion(base: HTMLCanvasElement | null, ops: readonly RegionOp[], width: number, height: number): HTMLCanvasElement {
  const canvas = blankCanvas(width, height);
  const ctx = context(canvas);
  if (base) ctx.drawImage(base, 0, 0);
  for (const op of ops) applyOp(ctx, op, width, height);
  return canvas;
}

/** Pixels of an RGBA buffer that are in the region (alpha at or above half). */
export function countOn(rgba: Uint8ClampedArray): number {
  let n = 0;
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] >= ON) n++;
  return n;
}

export function areaOf(layer: HTMLCanvasElement): number {
  return countOn(context(layer).getImageData(0, 0, layer.width, layer.height).data);
}

/** Every region tinted in its colour, drawn into `into` (resized to the image). */
export function composite(into: HTMLCanvasElement, layers: { layer: HTMLCanvasElement; colour: string }[]): void {
  const { width, height } = layers[0]?.layer ?? into;
  if (into.width !== width || into.height !== height) {
    into.width = width;
    into.height = height;
  }
  const out = context(into);
  out.clearRect(0, 0, into.width, into.height);
  const tmp = blankCanvas(into.width, into.height);
  const t = context(tmp);
  for (const { layer, colour } of layers) {
    t.globalCompositeOperation = 'source-over';
    t.clearRect(0, 0, tmp.width, tmp.height);
    t.drawImage(layer, 0, 0);
    t.globalCompositeOperation = 'source-in';
    t.fillStyle = colour;
    t.fillRect(0, 0, tmp.width, tmp.height);
    out.drawImage(tmp, 0, 0);
  }
}

/** The region as the opaque gray PNG the engine binarises, base64 without the data-URL prefix. */
export function maskPngBase64(layer: HTMLCanvasElement): string {
  const flat = blankCanvas(layer.width, layer.height);
  const ctx = context(flat);
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, flat.width, flat.height);
  ctx.drawImage(layer, 0, 0);
  const url = flat.toDataURL('image/png');
  return url.slice(url.indexOf(',') + 1);
}

function crossOrigin(url: string): boolean {
  try {
    return new URL(url, window.location.href).origin !== window.location.origin;
  } catch {
    return true;
  }
}

export function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    // Pixels of a cross-origin route are readable only with CORS (Electron's gaa-img:).
    if (crossOrigin(url)) img.crossOrigin = 'anonymous';
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error(`cannot load ${url.split('?')[0]}`));
    img.src = url;
  });
}

/** A 0/255 mask PNG (base64, e.g. regions.segment's answer) as a layer: white and opaque where on. */
export function loadMaskPngBase64(png: string, width: number, height: number): Promise<HTMLCanvasElement> {
  return loadBaseRaster(`data:image/png;base64,${png}`, width, height);
}

/** A stored 0/255 region mask as a base raster: white and opaque where the mask is on. */
export async function loadBaseRaster(url: string, width: number, height: number): Promise<HTMLCanvasElement> {
  const img = await loadImage(url);
  const canvas = blankCanvas(width, height);
  const ctx = context(canvas);
  ctx.drawImage(img, 0, 0, width, height);
  const px = ctx.getImageData(0, 0, width, height);
  binariseMask(px.data);
  ctx.putImageData(px, 0, 0);
  return canvas;
}

/**
 * A decoded mask image as a layer, in place: a pixel is in the region when it is bright
 * (its brightest channel at or above half) and opaque; it becomes white, opaque or clear.
 */
export function binariseMask(rgba: Uint8ClampedArray): void {
  for (let i = 0; i < rgba.length; i += 4) {
    const on = Math.max(rgba[i], rgba[i + 1], rgba[i + 2]) >= ON && rgba[i + 3] >= ON;
    rgba[i] = rgba[i + 1] = rgba[i + 2] = 255;
    rgba[i + 3] = on ? 255 : 0;
  }
}
