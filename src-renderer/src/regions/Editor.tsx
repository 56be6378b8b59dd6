/**
 * The region editor on one normal image (METHOD.md §3 "Semantic regions"). The typed operation
 * list per region is the truth; fabric shows the image at its natural size with the rasterised
 * regions over it, draws the brush while it moves and the polygon being placed.
 */
import { FabricImage, PencilBrush, type Path, type TPointerEventInfo } from 'fabric';
import { useEffect, useRef, useState } from 'react';
import type { ImageRegions, RegionInfo } from '../../../src-main/api/contract';
import { api, errorMessage } from '../api';
import { EditorToolbar, HelpOverlay, type Tool } from './EditorToolbar';
import { loadBaseRaster, loadImage, maskPngBase64, parseVectors, rasteriseRegion, type OpsByRegion, type Pt, type RegionOp, type SavedVectors } from './ops';
import { paintToolOverlay, PLACED, useRegionOverlay } from './overlay';
import { useEditorKeys } from './useEditorKeys';
import { useHistory } from './useHistory';
import { usePolygonDraft } from './usePolygonDraft';
import { useSegmentTool } from './useSegmentTool';
import { useViewport } from './useViewport';

export interface EditedImage {
  id: number;
  width: number;
  height: number;
  relPath: string;
}

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
  // Declared first: its effect creates the fabric canvas the effects below attach to.
  const { hostRef, canvasRef, fabricRef, vpt, fit, render, space } = useViewport(W, H);
  const history = useHistory<OpsByRegion>({});
  const { present, commit, undo, redo, restore } = history;
  const [bases, setBases] = useState<Map<number, HTMLCanvasElement>>(new Map());
  const [savedOps, setSavedOps] = useState<OpsByRegion | null>(null);
  const [tool, setTool] = useState<Tool>('polygon');
  const [brush, setBrush] = useState(8);
  const [opacity, setOpacity] = useState(0.55);
  const [ready, setReady] = useState(false);
  const [help, setHelp] = useState(false);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  const active = regions.find((r) => r.id === activeRegionId) ?? null;
  const dirty = savedOps !== null && present !== savedOps;

  const polygon = usePolygonDraft(render);
  const segment = useSegmentTool({
    imageId: image.id,
    width: W,
    height: H,
    colour: () => latest.current.active?.colour ?? '#ffffff',
    render,
    onError: setMessage,
  });
  const overlay = useRegionOverlay({ width: W, height: H, ready, regions, bases, ops: present, opacity, render });

  const addOp = (op: RegionOp) => {
    if (!active) return;
    const id = active.id;
    commit((prev) => ({ ...prev, [id]: [...(prev[id] ?? []), op] }));
  };
  /** Enter: the Segment tool's preview, or the polygon draft, becomes one undoable edit. */
  const closeShape = (alt: boolean) => {
    if (tool !== 'segment') return polygon.close(alt, addOp);
    const op = active ? segment.take(alt) : null;
    if (op) addOp(op);
  };
  const chooseTool = (t: Tool) => {
    if (t === 'segment' && !segment.available) return;
    if (t !== 'segment' && segment.preview.current.points.length) segment.clear();
    setTool(t);
  };

  // Fabric's listeners are bound once; they read the latest tool, region and history through this.
  const latest = useRef({ tool, brush, active, addOp });
  latest.current = { tool, brush, active, addOp };

  // Pointer input to the active tool (zoom and pan are the viewport's).
  useEffect(() => {
    const canvas = fabricRef.current!;
    const offs = [
      canvas.on('mouse:down', (opt: TPointerEventInfo) => {
        const e = opt.e as MouseEvent;
        const { tool: t, active: region } = latest.current;
        if (t === 'segment' && region && (e.button === 0 || e.button === 2)) {
          segment.click(Math.floor(opt.scenePoint.x), Math.floor(opt.scenePoint.y), e.button === 0 && !e.altKey);
          return;
        }
        if (e.button !== 0 || !region) return;
        const p: Pt = [round(opt.scenePoint.x), round(opt.scenePoint.y)];
        if (t === 'polygon') polygon.add(p, canvas.getZoom(), e.altKey);
        else if (t === 'fill' && p[0] >= 0 && p[1] >= 0 && p[0] < W && p[1] < H) {
          latest.current.addOp({ kind: 'fill', mode: e.altKey ? 'subtract' : 'add', points: [p], width: 0 });
        }
      }),
      canvas.on('mouse:move', (opt) => {
        if (latest.current.tool === 'polygon') polygon.hover([opt.scenePoint.x, opt.scenePoint.y]);
      }),
      canvas.on('mouse:dblclick', (opt) => {
        if (latest.current.tool === 'polygon') polygon.close((opt.e as MouseEvent).altKey, latest.current.addOp);
      }),
      canvas.on('path:created', ({ path }) => {
        canvas.remove(path);
        const { tool: t, brush: width } = latest.current;
        const points: Pt[] = [];
        for (const cmd of (path as Path).path) {
          const n = cmd.length;
          if (n >= 3) points.push([round(cmd[n - 2] as number), round(cmd[n - 1] as number)]);
        }
        if (points.length) latest.current.addOp({ kind: 'stroke', mode: t === 'eraser' ? 'subtract' : 'add', points, width });
      }),
      canvas.on('after:render', ({ ctx }) =>
        paintToolOverlay(ctx, canvas.viewportTransform, segment.preview.current, polygon.draft.current, latest.current.active?.colour ?? '#fff'),
      ),
    ];
    return () => offs.forEach((off) => off());
    // The tools' callbacks are stable for one editor: the page mounts a new one per image.
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
      overlay.attach(canvas);
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
  }, [fabricRef, tool, brush, active]);

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
    closeDraft: closeShape,
    dropPoint: () => (tool === 'segment' ? segment.dropPoint() : polygon.dropPoint()),
    dropDraft: () => {
      if (segment.preview.current.points.length) segment.clear();
      polygon.drop();
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
      data-draft={polygon.size}
      data-segment-points={segment.status.points}
      data-segment-busy={segment.status.busy}
      data-segment-area={segment.status.area}
    >
      <EditorToolbar
        tool={tool}
        onTool={chooseTool}
        segmentAvailable={segment.available}
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
        {tool === 'segment' && segment.status.points > 0 && (
          <div className="region-hint" data-testid="segment-hint">
            {segment.status.busy ? 'Segmenting…' : `${segment.status.area.toLocaleString()} px`} · Enter adds to {active?.name ?? 'the region'} · Alt+Enter removes · Esc drops
          </div>
        )}
        {polygon.size > 0 && (
          <div className="region-hint" data-testid="polygon-hint">
            {polygon.size} point{polygon.size === 1 ? '' : 's'} · double-click or Enter to close · Esc drops it
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
          <li key={r.id} data-testid="editor-area" data-region={r.name} data-area={overlay.areas[r.id] ?? 0}>
            <span className="swatch" style={{ background: r.colour }} />
            {r.name} <span className="mono small muted">{(overlay.areas[r.id] ?? 0).toLocaleString()} px</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
