/**
 * A mask drawn as a tinted layer over its image, filled or as its outline. A pixel is on where
 * its gray value is at least half of the mask's maximum (METHOD.md §0), so 0/1, 0/255 and
 * soft-edged masks all show the region the engine uses. Where the image route does not allow
 * reading pixels back (Electron's gaa-img: without CORS), a blended layer (or the outline
 * filter) shows the mask as the engine stored it.
 */
import { useEffect, useRef, useState } from 'react';
import type { MaskStyle } from '../state/maskStyle';
import { MASK_OUTLINE_FILTER } from './MaskFilters';
import { maskOutline } from './maskOutline';

const TINT: [number, number, number] = [255, 48, 96];

function paint(canvas: HTMLCanvasElement, img: HTMLImageElement, style: MaskStyle): void {
  const w = img.naturalWidth;
  const h = img.naturalHeight;
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2d context');
  ctx.drawImage(img, 0, 0);
  const px = ctx.getImageData(0, 0, w, h);
  const d = px.data;
  let max = 0;
  for (let i = 0; i < d.length; i += 4) {
    const g = Math.max(d[i], d[i + 1], d[i + 2]);
    if (g > max) max = g;
  }
  const threshold = max / 2;
  let on: Uint8Array = new Uint8Array(w * h);
  for (let p = 0, i = 0; p < on.length; p++, i += 4) on[p] = max > 0 && Math.max(d[i], d[i + 1], d[i + 2]) >= threshold ? 1 : 0;
  if (style === 'outline') on = maskOutline(on, w, h);
  for (let p = 0, i = 0; p < on.length; p++, i += 4) {
    d[i] = TINT[0];
    d[i + 1] = TINT[1];
    d[i + 2] = TINT[2];
    d[i + 3] = on[p] ? 255 : 0;
  }
  ctx.putImageData(px, 0, 0);
}

/** Same origin (web host) or not (Electron's gaa-img:); only the latter needs CORS to read pixels back. */
function crossOrigin(url: string): boolean {
  try {
    return new URL(url, window.location.href).origin !== window.location.origin;
  } catch {
    return true;
  }
}

export function MaskOverlay({
  url,
  width,
  height,
  opacity,
  style = 'fill',
}: {
  url: string;
  width: number;
  height: number;
  opacity: number;
  style?: MaskStyle;
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const loaded = useRef<HTMLImageElement | null>(null);
  const [mode, setMode] = useState<'loading' | 'canvas' | 'blend' | 'failed'>('loading');
  const styleRef = useRef(style);
  styleRef.current = style;

  useEffect(() => {
    let live = true;
    setMode('loading');
    const img = new Image();
    img.decoding = 'async';
    // Asks for CORS so the canvas stays readable; a route that does not grant it fails here
    // and the blend layer below shows the mask without reading its pixels.
    if (crossOrigin(url)) img.crossOrigin = 'anonymous';
    img.onload = () => {
      if (!live || !canvasRef.current) return;
      try {
        paint(canvasRef.current, img, styleRef.current);
        loaded.current = img;
        setMode('canvas');
      } catch {
        setMode('blend');
      }
    };
    img.onerror = () => live && setMode(img.crossOrigin ? 'blend' : 'failed');
    img.src = url;
    return () => {
      live = false;
      loaded.current = null;
    };
  }, [url]);

  // A new style repaints the loaded mask; nothing is fetched again.
  useEffect(() => {
    if (mode === 'canvas' && loaded.current && canvasRef.current) paint(canvasRef.current, loaded.current, style);
  }, [style, mode]);

  // An outline is one pixel wide: drawn at full strength, or it is lost on a busy image.
  const box = { width, height, opacity: style === 'outline' ? 1 : opacity } as const;
  return (
    <>
      <canvas
        ref={canvasRef}
        className="mask-layer"
        style={{ ...box, visibility: mode === 'canvas' ? 'visible' : 'hidden' }}
        data-testid={mode === 'blend' ? undefined : 'viewer-mask'}
        data-state={mode}
        data-style={style}
      />
      {mode === 'blend' && style === 'outline' && (
        <img
          className="mask-layer"
          src={url}
          alt=""
          draggable={false}
          style={{ ...box, filter: `url(#${MASK_OUTLINE_FILTER})` }}
          data-testid="viewer-mask"
          data-state="blend"
          data-style="outline"
        />
      )}
      {mode === 'blend' && style === 'fill' && (
        // White mask × tint = tint on the defect, black elsewhere; screened onto the image, black changes nothing.
        <div
          className="mask-layer mask-blend"
          style={{ ...box, backgroundColor: `rgb(${TINT.join(',')})`, mixBlendMode: 'screen' }}
          data-testid="viewer-mask"
          data-state="blend"
          data-style="fill"
        >
          <img src={url} alt="" draggable={false} style={{ width: '100%', height: '100%', display: 'block', mixBlendMode: 'multiply' }} />
        </div>
      )}
    </>
  );
}
