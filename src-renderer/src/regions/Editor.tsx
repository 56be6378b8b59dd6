/**
 * The region editor on one normal image (METHOD.md §3 "Semantic regions"). The typed operation
 * list per region is the truth; fabric shows the image at its natural size with the rasterised
 * regions over it, draws the brush while it moves and the polygon being placed.
 */
import { Canvas, FabricImage, PencilBrush, Point, type Path, type TPointerEventInfo } from 'fabric';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ImageRegions, RegionInfo } from '../../../src-main/api/contract';
import { api, errorMessage } from '../api';
import { EditorToolbar, HelpOverlay, type Tool } from './EditorToolbar';
import {
  areaOf,
  blankCanvas,
  composite,
  loadBaseRaster,
  loadImage,
  loadMaskPngBase64,
  maskPngBase64,
  parseVectors,
  rasteriseRegion,
  rleOfAlpha,
  type OpsByRegion,
  type Pt,
  type RegionOp,
  type SavedVectors,
} from './ops';
import { useEditorKeys } from './useEditorKeys';
import { useHistory } from './useHistory';

export interface EditedImage {
  id: number;
  width: number;
  height: number;
  relPath: string;
}

const PLACED = { left: 0, top: 0, originX: 'left', originY: 'top', selectable: false, evented: false, objectCaching: false } as const;
const round = (v: number) => Math.round(v * 100) / 100;

export function RegionEditor({
  image,
  regions,
  activeRegionId,
  onSaved,
  onDirty,
}: {
  image: EditedImage;
  regions: RegionInfo[];
  activeRegionId: number | null;
  onSaved(r: ImageRegions): void;
  onDirty(dirty: boolean): void;
}) {
  const { width: W, height: H } = image;
  const hostRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const fabricRef = useRef<Canvas | null>(null);
  const overlayObj = useRef<FabricImage | null>(null);
  const overlayEl = useRef<HTMLCanvasElement>(blankCanvas(W, H));
  const history = useHistory<OpsByRegion>({});
  const { present, commit, undo, redo, restore } = history;
  const [bases, setBases] = useState<Map<number, HTMLCanvasElement>>(new Map());
  const [savedOps, setSavedOps] = useState<OpsByRegion | null>(null);
  const [tool, setTool] = useState<Tool>('polygon');
  const [brush, setBrush] = useState(8);
  const [opacity, setOpacity] = useState(0.55);
  const [vpt, setVpt] = useState<number[]>([1, 0, 0, 1, 0, 0]);
  const [ready, setReady] = useState(false);
  const [areas, setAreas] = useState<Record<number, number>>({});
  const [help, setHelp] = useState(false);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const draft = useRef<{ points: Pt[]; subtract: boolean; hover: Pt | null }>({ points: [], subtract: false, hover: null });
  const [draftSize, setDraftSize] = useState(0);
  const space = useRef(false);
  // Segment tool: the click set, the segmenter's latest answer (white layer + tinted preview), and
  // a counter so an answer to an older click set never replaces a newer one.
  const [segmentAvailable, setSegmentAvailable] = useState(false);
  const segment = useRef<{ points: { x: number; y: number; positive: boolean }[]; layer: HTMLCanvasElement | null; tinted: HTMLCanvasElement | null; request: number }>({
    points: [],
    layer: null,
    tinted: null,
    request: 0,
  });
  const [segmentState, setSegmentState] = useState<{ points: number; busy: boolean; area: number }>({ points: 0, busy: false, area: 0 });

  const active = regions.find((r) => r.id === activeRegionId) ?? null;
  const dirty = savedOps !== null && present !== savedOps;

  const render = () => fabricRef.current?.requestRenderAll();
  const fit = useCallback(() => {
    const c = fabricRef.current;
    const host = hostRef.current;
    if (!c || !host) return;
    const z = Math.min(host.clientWidth / W, host.clientHeight / H) * 0.94;
    c.setViewportTransform([z, 0, 0, z, (host.clientWidth - W * z) / 2, (host.clientHeight - H * z) / 2]);
    setVpt([...c.viewportTransform]);
  }, [W, H]);

  const addOp = (op: RegionOp) => {
    if (!active) return;
    const id = active.id;
    commit((prev) => ({ ...prev, [id]: [...(prev[id] ?? []), op] }));
  };
  const closeDraft = (alt = false) => {
    const d = draft.current;
    if (d.points.length >= 3 && active) addOp({ kind: 'polygon', mode: d.subtract || alt ? 'subtract' : 'add', points: d.points, width: 0 });
    draft.current = { points: [], subtract: false, hover: null };
    setDraftSize(0);
    render();
  };

  const clearSegment = () => {
    const s = segment.current;
    s.points = [];
    s.layer = null;
    s.tinted = null;
    s.request++;
    setSegmentState({ points: 0, busy: false, area: 0 });
    render();
  };
  /** Asks the engine's segmenter for the current click set and shows the answer as a preview. */
  const runSegment = async () => {
    const s = segment.current;
    const request = ++s.request;
    const points = [...s.points];
    setSegmentState((st) => ({ ...st, points: points.length, busy: points.length > 0 }));
    if (points.length === 0) {
      s.layer = s.tinted = null;
      setSegmentState({ points: 0, busy: false, area: 0 });
      render();
      return;
    }
    try {
      const res = await api.invoke('regions.segment', { imageId: image.id, points });
      const layer = await loadMaskPngBase64(res.png, W, H);
      if (request !== segment.current.request) return;
      const tinted = blankCanvas(W, H);
      composite(tinted, [{ layer, colour: latest.current.active?.colour ?? '#ffffff' }]);
      s.layer = layer;
      s.tinted = tinted;
      setSegmentState({ points: points.length, busy: false, area: areaOf(layer) });
      render();
    } catch (err) {
      if (request !== segment.current.request) return;
      setSegmentState({ points: points.length, busy: false, area: 0 });
      setMessage(errorMessage(err));
    }
  };
  /** One undoable edit, like a brush stroke: the previewed mask added to (or cut from) the active region. */
  const commitSegment = (subtract: boolean) => {
    const s = segment.current;
    if (!s.layer || !active) return;
    const rle = rleOfAlpha(s.layer.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, W, H).data);
    addOp({ kind: 'mask', mode: subtract ? 'subtract' : 'add', points: s.points.map((p): Pt => [p.x, p.y]), width: 0, rle });
    clearSegment();
  };
  const chooseTool = (t: Tool) => {
    if (t === 'segment' && !segmentAvailable) return;
    if (t !== 'segment' && segment.current.points.length) clearSegment();
    setTool(t);
  };

  // Fabric's listeners are bound once; they read the latest tool, region and history through this.
  const latest = useRef({ tool, brush, active, addOp, closeDraft, runSegment });
  latest.current = { tool, brush, active, addOp, closeDraft, runSegment };

  // The Segment tool needs an installed segmenter pack; without one it is not offered at all.
  useEffect(() => {
    let live = true;
    api
      .invoke('packs.list', {})
      .then((l) => live && setSegmentAvailable(l.packs.some((p) => p.kind === 'segmenter')))
      .catch(() => live && setSegmentAvailable(false));
    return () => {
      live = false;
    };
  }, []);

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
    canvas.on('mouse:down', (opt: TPointerEventInfo) => {
      const e = opt.e as MouseEvent;
      const { tool: t, active: region } = latest.current;
      if (t === 'segment' && region && (e.button === 0 || e.button === 2)) {
        const x = Math.floor(opt.scenePoint.x);
        const y = Math.floor(opt.scenePoint.y);
        if (x < 0 || y < 0 || x >= W || y >= H) return;
        segment.current.points = [...segment.current.points, { x, y, positive: e.button === 0 && !e.altKey }];
        void latest.current.runSegment();
        return;
      }
      if (e.button !== 0 || !region) return;
      const p: Pt = [round(opt.scenePoint.x), round(opt.scenePoint.y)];
      if (t === 'polygon') {
        const d = draft.current;
        const last = d.points[d.points.length - 1];
        // The clicks of a double-click land on the last point: they close, they do not add.
        if (last && Math.hypot(last[0] - p[0], last[1] - p[1]) * canvas.getZoom() < 4) return;
        d.points = [...d.points, p];
        d.subtract ||= e.altKey;
        setDraftSize(d.points.length);
        canvas.requestRenderAll();
      } else if (t === 'fill' && p[0] >= 0 && p[1] >= 0 && p[0] < W && p[1] < H) {
        latest.current.addOp({ kind: 'fill', mode: e.altKey ? 'subtract' : 'add', points: [p], width: 0 });
      }
    });
    canvas.on('mouse:move', (opt) => {
      const d = draft.current;
      if (latest.current.tool !== 'polygon' || d.points.length === 0) return;
      d.hover = [opt.scenePoint.x, opt.scenePoint.y];
      canvas.requestRenderAll();
    });
    canvas.on('mouse:dblclick', (opt) => {
      if (latest.current.tool === 'polygon') latest.current.closeDraft((opt.e as MouseEvent).altKey);
    });
    canvas.on('path:created', ({ path }) => {
      canvas.remove(path);
      const { tool: t, brush: width } = latest.current;
      const points: Pt[] = [];
      for (const cmd of (path as Path).path) {
        const n = cmd.length;
        if (n >= 3) points.push([round(cmd[n - 2] as number), round(cmd[n - 1] as number)]);
      }
      if (points.length) latest.current.addOp({ kind: 'stroke', mode: t === 'eraser' ? 'subtract' : 'add', points, width });
    });
    canvas.on('after:render', ({ ctx }) => {
      const sg = segment.current;
      if (sg.points.length) {
        const v = canvas.viewportTransform;
        const z = v[0];
        ctx.save();
        ctx.setTransform(v[0], v[1], v[2], v[3], v[4], v[5]);
        if (sg.tinted) {
          // Mask pixels stay square when zoomed in, as the committed overlay does.
          ctx.imageSmoothingEnabled = false;
          ctx.globalAlpha = 0.5;
          ctx.drawImage(sg.tinted, 0, 0);
          ctx.globalAlpha = 1;
        }
        for (const p of sg.points) {
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
      const d = draft.current;
      if (d.points.length === 0) return;
      const v = canvas.viewportTransform;
      const z = v[0];
      ctx.save();
      ctx.setTransform(v[0], v[1], v[2], v[3], v[4], v[5]);
      ctx.beginPath();
      d.points.forEach((p, i) => (i ? ctx.lineTo(p[0], p[1]) : ctx.moveTo(p[0], p[1])));
      if (d.hover) ctx.lineTo(d.hover[0], d.hover[1]);
      ctx.lineWidth = 1.5 / z;
      ctx.strokeStyle = d.subtract ? '#ff5f6d' : (latest.current.active?.colour ?? '#fff');
      ctx.setLineDash(d.subtract ? [6 / z, 4 / z] : []);
      ctx.stroke();
      ctx.fillStyle = '#fff';
      for (const p of d.points) ctx.fillRect(p[0] - 2.5 / z, p[1] - 2.5 / z, 5 / z, 5 / z);
      ctx.restore();
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
      overlayObj.current = null;
      void canvas.dispose();
    };
    // W/H are fixed for one editor: the page mounts a new one per image.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // The image and its stored regions: vectors when the editor saved them, else the raster mask as a base.
  useEffect(() => {
    let live = true;
    setReady(false);
    restore(async () => {
      const [img, stored] = await Promise.all([loadImage(api.imageUrl({ kind: 'image', imageId: image.id })), api.invoke('regions.ofImage', { imageId: image.id })]);
      const labels = stored.regions.filter((r) => r.source === 'label');
      const use = labels.length ? labels : stored.regions.filter((r) => r.source === 'propagated');
      const nextBases = new Map<number, HTMLCanvasElement>();
      const ops: Record<number, RegionOp[]> = {};
      for (const r of use) {
        const v = parseVectors(r.vectors);
        if (v && !v.baseRaster) ops[r.regionId] = v.ops;
        else nextBases.set(r.regionId, await loadBaseRaster(api.imageUrl({ kind: 'regionMask', id: r.maskId }), W, H));
      }
      const canvas = fabricRef.current;
      if (!live || !canvas) return null;
      canvas.clear();
      canvas.add(new FabricImage(img, { ...PLACED, width: W, height: H }));
      const overlay = new FabricImage(overlayEl.current, { ...PLACED, width: W, height: H, opacity });
      overlayObj.current = overlay;
      canvas.add(overlay);
      fit();
      setBases(nextBases);
      setSavedOps(ops);
      setReady(true);
      return ops;
    }).catch((err) => live && setMessage(errorMessage(err)));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [image.id]);

  useEffect(() => {
    if (!ready) return;
    const layers = regions.map((r) => ({ r, layer: rasteriseRegion(bases.get(r.id) ?? null, present[r.id] ?? [], W, H) }));
    composite(overlayEl.current, layers.map(({ r, layer }) => ({ layer, colour: r.colour })));
    setAreas(Object.fromEntries(layers.map(({ r, layer }) => [r.id, areaOf(layer)])));
    overlayObj.current?.set({ dirty: true });
    render();
  }, [ready, regions, bases, present, W, H]);

  useEffect(() => {
    const canvas = fabricRef.current;
    if (!canvas) return;
    const painting = (tool === 'brush' || tool === 'eraser') && !!active;
    canvas.isDrawingMode = painting;
    if (painting) {
      const b = new PencilBrush(canvas);
      b.width = brush;
      b.color = tool === 'eraser' ? 'rgba(255,255,255,0.75)' : active.colour;
      canvas.freeDrawingBrush = b;
    }
    const cursor = !active ? 'not-allowed' : tool === 'fill' ? 'cell' : tool === 'segment' ? 'copy' : 'crosshair';
    canvas.defaultCursor = cursor;
    canvas.hoverCursor = cursor;
    canvas.freeDrawingCursor = cursor;
  }, [tool, brush, active]);

  useEffect(() => {
    overlayObj.current?.set({ opacity });
    render();
  }, [opacity]);

  useEffect(() => onDirty(dirty), [dirty, onDirty]);
  useEffect(() => () => onDirty(false), [onDirty]);

  const save = async () => {
    if (saving || history.restoring || !ready) return;
    setSaving(true);
    setMessage(null);
    const ops = present;
    try {
      const payload = regions.map((r) => {
        const base = bases.get(r.id) ?? null;
        const list = [...(ops[r.id] ?? [])];
        const vectors: SavedVectors = { format: 'gaa-regions/1', baseRaster: !!base, ops: list };
        return { regionId: r.id, vectors, png: maskPngBase64(rasteriseRegion(base, list, W, H)) };
      });
      const res = await api.invoke('regions.saveLabel', { imageId: image.id, regions: payload });
      setSavedOps(ops);
      onSaved(res);
    } catch (err) {
      setMessage(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  useEditorKeys({
    undo,
    redo,
    save: () => void save(),
    fit,
    setTool: chooseTool,
    setBrush,
    toggleHelp: () => setHelp((h) => !h),
    closeHelp: help ? () => setHelp(false) : null,
    closeDraft: (alt) => (tool === 'segment' ? commitSegment(alt) : latest.current.closeDraft(alt)),
    dropPoint: () => {
      if (tool === 'segment') {
        if (!segment.current.points.length) return false;
        segment.current.points = segment.current.points.slice(0, -1);
        void runSegment();
        return true;
      }
      if (!draft.current.points.length) return false;
      draft.current.points = draft.current.points.slice(0, -1);
      setDraftSize(draft.current.points.length);
      render();
      return true;
    },
    dropDraft: () => {
      if (segment.current.points.length) clearSegment();
      draft.current = { points: [], subtract: false, hover: null };
      setDraftSize(0);
      render();
    },
    space,
  });

  const opCounts = Object.fromEntries(regions.map((r) => [r.name, present[r.id]?.length ?? 0]));
  return (
    <div
      className="region-editor"
      data-testid="region-editor"
      data-image-id={image.id}
      data-ready={ready}
      data-tool={tool}
      data-vpt={vpt.join(',')}
      data-ops={JSON.stringify(opCounts)}
      data-dirty={dirty}
      data-draft={draftSize}
      data-segment-points={segmentState.points}
      data-segment-busy={segmentState.busy}
      data-segment-area={segmentState.area}
    >
      <EditorToolbar
        tool={tool}
        onTool={chooseTool}
        segmentAvailable={segmentAvailable}
        brush={brush}
        onBrush={setBrush}
        opacity={opacity}
        onOpacity={setOpacity}
        canUndo={history.canUndo}
        canRedo={history.canRedo}
        onUndo={undo}
        onRedo={redo}
        onFit={fit}
        onHelp={() => setHelp((h) => !h)}
        onSave={() => void save()}
        saving={saving}
        dirty={dirty}
      />
      <div className="region-stage zoom-stage" ref={hostRef} data-testid="region-stage">
        {/* Fabric wraps the canvas in its own elements: React keeps nothing else in this box. */}
        <div className="region-canvas-box">
          <canvas ref={canvasRef} />
        </div>
        {!ready && !message && (
          <div className="region-loading muted">
            <span className="spinner" /> Loading…
          </div>
        )}
        {!active && ready && <div className="region-hint">Pick or create a region on the left to draw.</div>}
        {tool === 'segment' && segmentState.points > 0 && (
          <div className="region-hint" data-testid="segment-hint">
            {segmentState.busy ? 'Segmenting…' : `${segmentState.area.toLocaleString()} px`} · Enter adds to {active?.name ?? 'the region'} · Alt+Enter removes · Esc drops
          </div>
        )}
        {draftSize > 0 && (
          <div className="region-hint" data-testid="polygon-hint">
            {draftSize} point{draftSize === 1 ? '' : 's'} · double-click or Enter to close · Esc drops it
          </div>
        )}
        {message && (
          <div className="alert region-message" role="alert" data-testid="region-error">
            {message}
          </div>
        )}
        <div className="zoom-readout mono small">{Math.round(vpt[0] * 100)}%</div>
        {help && <HelpOverlay onClose={() => setHelp(false)} />}
      </div>
      <ul className="region-areas" data-testid="region-areas">
        <li className="muted small mono">{image.relPath}</li>
        {regions.map((r) => (
          <li key={r.id} data-testid="editor-area" data-region={r.name} data-area={areas[r.id] ?? 0}>
            <span className="swatch" style={{ background: r.colour }} />
            {r.name} <span className="mono small muted">{(areas[r.id] ?? 0).toLocaleString()} px</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
