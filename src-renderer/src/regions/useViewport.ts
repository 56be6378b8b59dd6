/**
 * The editor's fabric canvas and its view of the image: created in one effect and disposed in
 * its cleanup (fabric's React template), zoomed with the wheel around the pointer, panned with
 * the middle button or space+drag, resized with its box. Tools add their own listeners in
 * effects declared after this hook, so the canvas exists when they run.
 */
import { Canvas, Point } from 'fabric';
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';

export interface Viewport {
  hostRef: RefObject<HTMLDivElement | null>;
  canvasRef: RefObject<HTMLCanvasElement | null>;
  /** The fabric canvas while the editor is mounted. */
  fabricRef: RefObject<Canvas | null>;
  /** Fabric's viewport transform as last settled (zoom, wheel, pan end, fit). */
  vpt: number[];
  /** The whole image in view, centred, with a small margin. */
  fit(): void;
  render(): void;
  /** Held space: the next left drag pans (set by the editor's key handler). */
  space: RefObject<boolean>;
}

export function useViewport(width: number, height: number): Viewport {
  const hostRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const fabricRef = useRef<Canvas | null>(null);
  const space = useRef(false);
  const [vpt, setVpt] = useState<number[]>([1, 0, 0, 1, 0, 0]);

  const render = useCallback(() => fabricRef.current?.requestRenderAll(), []);
  const fit = useCallback(() => {
    const c = fabricRef.current;
    const host = hostRef.current;
    if (!c || !host) return;
    const z = Math.min(host.clientWidth / width, host.clientHeight / height) * 0.94;
    c.setViewportTransform([z, 0, 0, z, (host.clientWidth - width * z) / 2, (host.clientHeight - height * z) / 2]);
    setVpt([...c.viewportTransform]);
  }, [width, height]);

  useEffect(() => {
    const host = hostRef.current!;
    const canvas = new Canvas(canvasRef.current!, {
      width: host.clientWidth || 640,
      height: host.clientHeight || 480,
      selection: false,
      enableRetinaScaling: false,
      renderOnAddRemove: false,
      stopContextMenu: true,
      // Right-click is the Segment tool's "exclude" point.
      fireRightClick: true,
      defaultCursor: 'crosshair',
      hoverCursor: 'crosshair',
    });
    fabricRef.current = canvas;

    canvas.on('mouse:wheel', (opt) => {
      const e = opt.e;
      e.preventDefault();
      e.stopPropagation();
      const z = Math.min(64, Math.max(0.05, canvas.getZoom() * 0.999 ** e.deltaY));
      canvas.zoomToPoint(new Point(e.offsetX, e.offsetY), z);
      setVpt([...canvas.viewportTransform]);
    });

    // Pan with the middle button or space+drag, taken before fabric sees the press.
    const onPress = (e: MouseEvent) => {
      if (!(e.button === 1 || (e.button === 0 && space.current))) return;
      e.preventDefault();
      e.stopPropagation();
      let x = e.clientX;
      let y = e.clientY;
      host.classList.add('panning');
      const move = (m: MouseEvent) => {
        canvas.relativePan(new Point(m.clientX - x, m.clientY - y));
        x = m.clientX;
        y = m.clientY;
      };
      const up = () => {
        window.removeEventListener('mousemove', move);
        window.removeEventListener('mouseup', up);
        host.classList.remove('panning');
        setVpt([...canvas.viewportTransform]);
      };
      window.addEventListener('mousemove', move);
      window.addEventListener('mouseup', up);
    };
    host.addEventListener('mousedown', onPress, true);
    const ro = new ResizeObserver(() => {
      if (host.clientWidth && host.clientHeight) canvas.setDimensions({ width: host.clientWidth, height: host.clientHeight });
    });
    ro.observe(host);
    return () => {
      ro.disconnect();
      host.removeEventListener('mousedown', onPress, true);
      fabricRef.current = null;
      void canvas.dispose();
    };
  }, []);

  return { hostRef, canvasRef, fabricRef, vpt, fit, render, space };
}
