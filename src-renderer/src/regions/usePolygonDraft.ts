/**
 * The polygon being placed: its points, the pointer's position for the rubber band, and
 * whether it cuts (Alt at any click). It lives in a ref, so clicks and moves repaint the canvas
 * without re-rendering the editor; `size` is the state the hint and tests read.
 */
import { useCallback, useRef, useState, type RefObject } from 'react';
import type { Pt, RegionOp } from './ops';

export interface PolygonDraft {
  points: Pt[];
  subtract: boolean;
  hover: Pt | null;
}

export const EMPTY_DRAFT: PolygonDraft = { points: [], subtract: false, hover: null };

/** Screen pixels within which a click lands on the last point (a double-click's clicks do). */
const SAME_POINT_PX = 4;

/** The draft with one more corner, or the same draft when the click lands on the last one. */
export function withPoint(d: PolygonDraft, p: Pt, zoom: number, alt: boolean): PolygonDraft {
  const last = d.points[d.points.length - 1];
  if (last && Math.hypot(last[0] - p[0], last[1] - p[1]) * zoom < SAME_POINT_PX) return d;
  return { points: [...d.points, p], subtract: d.subtract || alt, hover: d.hover };
}

/** The operation a closed draft commits: a polygon of three corners or more, else nothing. */
export function closedPolygon(d: PolygonDraft, alt: boolean): RegionOp | null {
  return d.points.length >= 3 ? { kind: 'polygon', mode: d.subtract || alt ? 'subtract' : 'add', points: d.points, width: 0 } : null;
}

export interface PolygonDraftTool {
  /** Read by the overlay painter. */
  draft: RefObject<PolygonDraft>;
  size: number;
  add(p: Pt, zoom: number, alt: boolean): void;
  hover(p: Pt): void;
  /** Commits the polygon through `commit` (when it has three corners) and starts a new one. */
  close(alt: boolean, commit: (op: RegionOp) => void): void;
  /** Removes the last corner; false when there was none. */
  dropPoint(): boolean;
  drop(): void;
}

export function usePolygonDraft(render: () => void): PolygonDraftTool {
  const draft = useRef<PolygonDraft>(EMPTY_DRAFT);
  const [size, setSize] = useState(0);

  const set = useCallback(
    (d: PolygonDraft) => {
      draft.current = d;
      setSize(d.points.length);
      render();
    },
    [render],
  );
  const add = useCallback(
    (p: Pt, zoom: number, alt: boolean) => {
      const next = withPoint(draft.current, p, zoom, alt);
      if (next !== draft.current) set(next);
    },
    [set],
  );
  const hover = useCallback(
    (p: Pt) => {
      if (draft.current.points.length === 0) return;
      draft.current = { ...draft.current, hover: p };
      render();
    },
    [render],
  );
  const close = useCallback(
    (alt: boolean, commit: (op: RegionOp) => void) => {
      const op = closedPolygon(draft.current, alt);
      if (op) commit(op);
      set(EMPTY_DRAFT);
    },
    [set],
  );
  const dropPoint = useCallback(() => {
    const d = draft.current;
    if (!d.points.length) return false;
    set({ ...d, points: d.points.slice(0, -1) });
    return true;
  }, [set]);
  const drop = useCallback(() => set(EMPTY_DRAFT), [set]);

  return { draft, size, add, hover, close, dropPoint, drop };
}
