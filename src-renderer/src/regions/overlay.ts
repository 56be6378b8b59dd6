/**
 * What the editor paints over the image: the regions, rasterised from their operations and
 * tinted in their colours (a fabric image of one offscreen canvas), and, after each fabric
 * render, the live parts of the tools (the segmenter's preview and clicks, the polygon draft).
 */
import { FabricImage, type Canvas } from 'fabric';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RegionInfo } from '../../../src-main/api/contract';
import { areaOf, blankCanvas, composite, rasteriseRegion, type OpsByRegion } from './ops';
import type { PolygonDraft } from './usePolygonDraft';
import type { SegmentPreview } from './useSegmentTool';

/** Placed at the image's own pixels: fabric v7's default origin is the centre. */
export const PLACED = { left: 0, top: 0, originX: 'left', originY: 'top', selectable: false, evented: false, objectCaching: false } as const;

/**
 * The tools' live state, drawn in image coordinates through the viewport transform `v`;
 * handles and lines keep their screen size at any zoom.
 */
export function paintToolOverlay(ctx: CanvasRenderingContext2D, v: readonly number[], segment: SegmentPreview, draft: PolygonDraft, colour: string): void {
  const z = v[0];
  if (segment.points.length) {
    ctx.save();
    ctx.setTransform(v[0], v[1], v[2], v[3], v[4], v[5]);
    if (segment.tinted) {
      // Mask pixels stay square when zoomed in, as the committed overlay does.
      ctx.imageSmoothingEnabled = false;
      ctx.globalAlpha = 0.5;
      ctx.drawImage(segment.tinted, 0, 0);
      ctx.globalAlpha = 1;
    }
    for (const p of segment.points) {
      ctx.beginPath();
      ctx.arc(p.x + 0.5, p.y + 0.5, 4 / z, 0, Math.PI * 2);
      ctx.fillStyle = p.positive ? '#3ddc84' : '#ff5f6d';
      ctx.fill();
      ctx.lineWidth = 1 / z;
      ctx.strokeStyle = '#000';
      ctx.stroke();
    }
    ctx.restore();
  }
  if (draft.points.length === 0) return;
  ctx.save();
  ctx.setTransform(v[0], v[1], v[2], v[3], v[4], v[5]);
  ctx.beginPath();
  draft.points.forEach((p, i) => (i ? ctx.lineTo(p[0], p[1]) : ctx.moveTo(p[0], p[1])));
  if (draft.hover) ctx.lineTo(draft.hover[0], draft.hover[1]);
  ctx.lineWidth = 1.5 / z;
  ctx.strokeStyle = draft.subtract ? '#ff5f6d' : colour;
  ctx.setLineDash(draft.subtract ? [6 / z, 4 / z] : []);
  ctx.stroke();
  ctx.fillStyle = '#fff';
  for (const p of draft.points) ctx.fillRect(p[0] - 2.5 / z, p[1] - 2.5 / z, 5 / z, 5 / z);
  ctx.restore();
}

export interface RegionOverlay {
  /** Pixels per region id, as last rasterised. */
  areas: Record<number, number>;
  /** Puts the overlay on a freshly cleared canvas, above the image. */
  attach(canvas: Canvas): void;
}

/** The regions layer: re-rasterised when the regions, their base rasters or the operations change. */
export function useRegionOverlay(opts: {
  width: number;
  height: number;
  ready: boolean;
  regions: RegionInfo[];
  bases: ReadonlyMap<number, HTMLCanvasElement>;
  ops: OpsByRegion;
  opacity: number;
  render(): void;
}): RegionOverlay {
  const { width: W, height: H, ready, regions, bases, ops, opacity, render } = opts;
  const overlayEl = useRef<HTMLCanvasElement>(null);
  overlayEl.current ??= blankCanvas(W, H);
  const overlayObj = useRef<FabricImage | null>(null);
  const [areas, setAreas] = useState<Record<number, number>>({});
  const opacityNow = useRef(opacity);
  opacityNow.current = opacity;

  const attach = useCallback(
    (canvas: Canvas) => {
      const overlay = new FabricImage(overlayEl.current!, { ...PLACED, width: W, height: H, opacity: opacityNow.current });
      overlayObj.current = overlay;
      canvas.add(overlay);
    },
    [W, H],
  );

  useEffect(() => {
    if (!ready) return;
    const layers = regions.map((r) => ({ r, layer: rasteriseRegion(bases.get(r.id) ?? null, ops[r.id] ?? [], W, H) }));
    composite(overlayEl.current!, layers.map(({ r, layer }) => ({ layer, colour: r.colour })));
    setAreas(Object.fromEntries(layers.map(({ r, layer }) => [r.id, areaOf(layer)])));
    overlayObj.current?.set({ dirty: true });
    render();
  }, [ready, regions, bases, ops, W, H, render]);

  useEffect(() => {
    overlayObj.current?.set({ opacity });
    render();
  }, [opacity, render]);

  // The overlay object belongs to the canvas disposed with the editor.
  useEffect(
    () => () => {
      overlayObj.current = null;
    },
    [],
  );

  return { areas, attach };
}
