/**
 * The Segment tool: include (left click) and exclude (right or Alt click) points sent to the
 * engine's segmenter, its latest answer shown as a tinted preview, and Enter to add that mask to
 * the active region (Alt+Enter cuts it) as one undoable edit. Offered only with a segmenter pack.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { api, errorMessage } from '../api';
import { areaOf, blankCanvas, composite, loadMaskPngBase64, rleOfAlpha, type Pt, type RegionOp } from './ops';

export interface SegmentPoint {
  x: number;
  y: number;
  positive: boolean;
}

/** The click set and the segmenter's latest answer: white layer, and the same tinted for the preview. */
export interface SegmentPreview {
  points: SegmentPoint[];
  layer: HTMLCanvasElement | null;
  tinted: HTMLCanvasElement | null;
  /** Counts requests, so an answer to an older click set never replaces a newer one. */
  request: number;
}

export interface SegmentStatus {
  points: number;
  busy: boolean;
  area: number;
}

export interface SegmentTool {
  /** Whether an installed segmenter pack makes the tool available. */
  available: boolean;
  status: SegmentStatus;
  /** Read by the overlay painter. */
  preview: RefObject<SegmentPreview>;
  /** A click inside the image adds a point and asks again. */
  click(x: number, y: number, positive: boolean): void;
  /** Removes the last point and asks again; false when there was none. */
  dropPoint(): boolean;
  clear(): void;
  /** The previewed mask as one operation (null: nothing previewed), and the click set cleared. */
  take(subtract: boolean): RegionOp | null;
}

const IDLE: SegmentStatus = { points: 0, busy: false, area: 0 };

export function useSegmentTool(opts: {
  imageId: number;
  width: number;
  height: number;
  /** The active region's colour at the time an answer lands. */
  colour(): string;
  render(): void;
  onError(message: string): void;
}): SegmentTool {
  const { imageId, width: W, height: H } = opts;
  const latest = useRef(opts);
  latest.current = opts;
  const [available, setAvailable] = useState(false);
  const [status, setStatus] = useState<SegmentStatus>(IDLE);
  const preview = useRef<SegmentPreview>({ points: [], layer: null, tinted: null, request: 0 });

  useEffect(() => {
    let live = true;
    api
      .invoke('packs.list', {})
      .then((l) => live && setAvailable(l.packs.some((p) => p.kind === 'segmenter')))
      .catch(() => live && setAvailable(false));
    return () => {
      live = false;
    };
  }, []);

  const clear = useCallback(() => {
    const s = preview.current;
    s.points = [];
    s.layer = null;
    s.tinted = null;
    s.request++;
    setStatus(IDLE);
    latest.current.render();
  }, []);

  /** Asks the engine's segmenter for the current click set and shows the answer as a preview. */
  const run = useCallback(async () => {
    const s = preview.current;
    const request = ++s.request;
    const points = [...s.points];
    setStatus((st) => ({ ...st, points: points.length, busy: points.length > 0 }));
    if (points.length === 0) {
      s.layer = s.tinted = null;
      setStatus(IDLE);
      latest.current.render();
      return;
    }
    try {
      const res = await api.invoke('regions.segment', { imageId, points });
      const layer = await loadMaskPngBase64(res.png, W, H);
      if (request !== preview.current.request) return;
      const tinted = blankCanvas(W, H);
      composite(tinted, [{ layer, colour: latest.current.colour() }]);
      s.layer = layer;
      s.tinted = tinted;
      setStatus({ points: points.length, busy: false, area: areaOf(layer) });
      latest.current.render();
    } catch (err) {
      if (request !== preview.current.request) return;
      setStatus({ points: points.length, busy: false, area: 0 });
      latest.current.onError(errorMessage(err));
    }
  }, [imageId, W, H]);

  const click = useCallback(
    (x: number, y: number, positive: boolean) => {
      if (x < 0 || y < 0 || x >= W || y >= H) return;
      preview.current.points = [...preview.current.points, { x, y, positive }];
      void run();
    },
    [W, H, run],
  );

  const dropPoint = useCallback(() => {
    const s = preview.current;
    if (!s.points.length) return false;
    s.points = s.points.slice(0, -1);
    void run();
    return true;
  }, [run]);

  const take = useCallback(
    (subtract: boolean): RegionOp | null => {
      const s = preview.current;
      if (!s.layer) return null;
      const rle = rleOfAlpha(s.layer.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, W, H).data);
      const op: RegionOp = { kind: 'mask', mode: subtract ? 'subtract' : 'add', points: s.points.map((p): Pt => [p.x, p.y]), width: 0, rle };
      clear();
      return op;
    },
    [W, H, clear],
  );

  return { available, status, preview, click, dropPoint, clear, take };
}
