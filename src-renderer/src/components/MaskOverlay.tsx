/**
 * A mask drawn as a tinted layer over its image. A pixel is on where its gray value is at
 * least half of the mask's maximum (METHOD.md §0), so 0/1, 0/255 and soft-edged masks all
 * show the region the engine uses. Where the image route does not allow reading pixels back
 * (Electron's gaa-img: without CORS), a blended layer shows the mask as the engine stored it.
 */
import { useEffect, useRef, useState } from 'react';

const TINT: [number, number, number] = [255, 48, 96];

function paint(canvas: HTMLCanvasElement, img: HTMLImageElement): void {
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
  for (let i = 0; i < d.length; i += 4) {
    const on = max > 0 && Math.max(d[i], d[i + 1], d[i + 2]) >= threshold;
    d[i] = TINT[0];
    d[i + 1] = TINT[1];
    d[i + 2] = TINT[2];
    d[i + 3] = on ? 255 : 0;
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
}: {
  url: string;
  width: number;
  height: number;
  opacity: number;
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [mode, setMode] = useState<'loading' | 'canvas' | 'blend' | 'failed'>('loading');

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
        paint(canvasRef.current, img);
        setMode('canvas');
      } catch {
        setMode('blend');
      }
    };
    img.onerror = () => live && setMode(img.crossOrigin ? 'blend' : 'failed');
    img.src = url;
    return () => {
      live = false;
    };
  }, [url]);

  const box = { width, height, opacity } as const;
  return (
    <>
      <canvas
        ref={canvasRef}
        className="mask-layer"
        style={{ ...box, visibility: mode === 'canvas' ? 'visible' : 'hidden' }}
        data-testid={mode === 'blend' ? undefined : 'viewer-mask'}
        data-state={mode}
      />
      {mode === 'blend' && (
        // White mask × tint = tint on the defect, black elsewhere; screened onto the image, black changes nothing.
        <div
          className="mask-layer mask-blend"
          style={{ ...box, backgroundColor: `rgb(${TINT.join(',')})`, mixBlendMode: 'screen' }}
          data-testid="viewer-mask"
          data-state="blend"
        >
          <img src={url} alt="" draggable={false} style={{ width: '100%', height: '100%', display: 'block', mixBlendMode: 'multiply' }} />
        </div>
      )}
    </>
  );
}
