/**
 * Zoom (wheel, +/-, 0 = fit, 1 = 100 %) and pan (drag) of one image and its overlays.
 * The view stays at "fit" until the user zooms; after that, stepping to an image of the
 * same size keeps the zoom and position so the same spot can be compared across images.
 * Stages of the same size can share one view (`view` + `onView`): the side-by-side panes zoom
 * and pan together; only one of them (`keyboard`) answers the zoom keys.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type Dispatch, type ReactNode, type SetStateAction } from 'react';

export interface View {
  scale: number;
  x: number;
  y: number;
  fit: boolean;
}

const MIN_SCALE = 0.05;
const MAX_SCALE = 32;
const STEP = 1.25;

function fitView(cw: number, ch: number, w: number, h: number): View {
  const scale = Math.min(cw / w, ch / h, 8) * 0.98;
  return { scale, x: (cw - w * scale) / 2, y: (ch - h * scale) / 2, fit: true };
}

export const FIT_VIEW: View = { scale: 1, x: 0, y: 0, fit: true };

export function ZoomStage({
  width,
  height,
  children,
  view: sharedView,
  onView,
  keyboard = true,
  testId = 'viewer-stage',
}: {
  width: number;
  height: number;
  children: ReactNode;
  /** A view shared with other stages (with onView); absent: this stage keeps its own. */
  view?: View;
  onView?: Dispatch<SetStateAction<View>>;
  /** Whether this stage answers +, −, 0 and 1. */
  keyboard?: boolean;
  testId?: string;
}) {
  const boxRef = useRef<HTMLDivElement>(null);
  const [box, setBox] = useState({ w: 0, h: 0 });
  const [ownView, setOwnView] = useState<View>(FIT_VIEW);
  const view = sharedView ?? ownView;
  const setView = onView ?? setOwnView;
  const drag = useRef<{ id: number; sx: number; sy: number; vx: number; vy: number } | null>(null);
  const sizeRef = useRef({ width, height });

  useLayoutEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setBox({ w: el.clientWidth, h: el.clientHeight }));
    ro.observe(el);
    setBox({ w: el.clientWidth, h: el.clientHeight });
    return () => ro.disconnect();
  }, []);

  // Refit on resize while in fit mode, and whenever the image size changes.
  useLayoutEffect(() => {
    if (!box.w || !box.h || !width || !height) return;
    const sizeChanged = sizeRef.current.width !== width || sizeRef.current.height !== height;
    sizeRef.current = { width, height };
    setView((v) => (v.fit || sizeChanged ? fitView(box.w, box.h, width, height) : v));
  }, [box.w, box.h, width, height]);

  const zoomAt = useCallback((factor: number, cx: number, cy: number) => {
    setView((v) => {
      const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, v.scale * factor));
      const k = scale / v.scale;
      return { scale, x: cx - (cx - v.x) * k, y: cy - (cy - v.y) * k, fit: false };
    });
  }, [setView]);

  useEffect(() => {
    if (!keyboard) return;
    function onKey(e: KeyboardEvent) {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.target instanceof HTMLSelectElement) return;
      if (e.target instanceof HTMLInputElement && e.target.type !== 'range') return;
      const cx = box.w / 2;
      const cy = box.h / 2;
      if (e.key === '+' || e.key === '=') zoomAt(STEP, cx, cy);
      else if (e.key === '-' || e.key === '_') zoomAt(1 / STEP, cx, cy);
      else if (e.key === '0') setView(fitView(box.w, box.h, width, height));
      else if (e.key === '1')
        setView({ scale: 1, x: (box.w - width) / 2, y: (box.h - height) / 2, fit: false });
      else return;
      e.preventDefault();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [keyboard, box.w, box.h, width, height, zoomAt, setView]);

  useEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    // Non-passive so the page does not scroll while zooming.
    function onWheel(e: WheelEvent) {
      e.preventDefault();
      const r = el!.getBoundingClientRect();
      zoomAt(Math.pow(STEP, -Math.sign(e.deltaY) * Math.min(3, Math.abs(e.deltaY) / 100 || 1)), e.clientX - r.left, e.clientY - r.top);
    }
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [zoomAt]);

  return (
    <div
      ref={boxRef}
      className={drag.current ? 'zoom-stage dragging' : 'zoom-stage'}
      data-testid={testId}
      data-scale={view.scale.toFixed(4)}
      data-fit={view.fit}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        e.currentTarget.setPointerCapture(e.pointerId);
        drag.current = { id: e.pointerId, sx: e.clientX, sy: e.clientY, vx: view.x, vy: view.y };
      }}
      onPointerMove={(e) => {
        const d = drag.current;
        if (!d || d.id !== e.pointerId) return;
        setView((v) => ({ ...v, x: d.vx + e.clientX - d.sx, y: d.vy + e.clientY - d.sy, fit: false }));
      }}
      onPointerUp={() => (drag.current = null)}
      onPointerCancel={() => (drag.current = null)}
      onDoubleClick={() => setView(fitView(box.w, box.h, width, height))}
    >
      <div
        className={view.scale >= 2 ? 'zoom-content pixelated' : 'zoom-content'}
        style={{ width, height, transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})` }}
      >
        {children}
      </div>
      <div className="zoom-readout mono" data-testid="viewer-zoom">
        {Math.round(view.scale * 100)}%{view.fit ? ' · fit' : ''}
      </div>
    </div>
  );
}
