/**
 * `npm run bench -- peer [--data DIR] [--category C] [--seconds S]`: the per-pixel stages side by
 * side with `../shared/devtools/peer_perf.py`, a short Python script over OpenCV doing the same
 * work on the same images, in one run. Prints each stage's rate for both and the ratio
 * (project / peer; ≥ 1 means the project is at least as fast). The machines are shared, so only
 * the ratio within one run means anything; the load average is printed beside it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exemplarGenerator } from '../../src-main/core/generate/exemplar';
import { dilate } from '../../src-main/core/image/morphology';
import { createMask, maskArea, type Mask, type Raster } from '../../src-main/core/image/raster';
import { synthesiseAlignedMask } from '../../src-main/core/masks/aligned-mask';
import { prepareRegion } from '../../src-main/core/masks/region-guide';
import type { MaskTransform } from '../../src-main/core/masks/transform';
import { encodeSamplePng, encodeThumbnail, openImage } from '../../src-main/io/image-codec';
import { categoryFiles, DEFAULT_CATEGORY, DEFAULT_DATA_ROOT, readBinaryMask, resizeMaskNearest, type CategoryFiles } from './devdata';

const PEER_SCRIPT = resolve(__dirname, '../../../shared/devtools/peer_perf.py');

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/**
 * A Python that can import cv2 and numpy: GAA_PEER_PYTHON when set, then Debian's own
 * interpreters (python3-opencv installs into them), then whatever `python3` is on PATH (often a
 * pyenv shim without OpenCV). Each is asked, never assumed.
 */
export function findPeerPython(): { python: string | null; tried: string[] } {
  const candidates = [process.env.GAA_PEER_PYTHON, '/usr/bin/python3', '/bin/python3', '/usr/local/bin/python3', 'python3'].filter(
    (c): c is string => !!c,
  );
  const tried: string[] = [];
  for (const c of [...new Set(candidates)]) {
    if (c.startsWith('/') && !existsSync(c)) continue;
    tried.push(c);
    const r = spawnSync(c, ['-c', 'import cv2, numpy'], { stdio: 'ignore', timeout: 30_000 });
    if (r.status === 0) return { python: c, tried };
  }
  return { python: null, tried };
}

interface PeerRates {
  import_thumbs_per_s: number;
  masks_per_s_256: number;
  masks_per_s_1024: number;
  poisson_pairs_per_s_256: number;
  poisson_pairs_per_s_1024: number;
}

function runPeer(python: string, script: string, files: CategoryFiles, tmp: string): PeerRates {
  const r = spawnSync(python, [script, files.root, files.category], { encoding: 'utf8', timeout: 300_000, env: { ...process.env, TMPDIR: tmp } });
  if (r.status !== 0) throw new Error(`peer_perf.py failed (exit ${r.status}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as PeerRates;
}

/** Import as the peer does it: decode, 256-px thumbnail, write; the project's thumbnail is its import's (JPEG). */
async function importRate(files: CategoryFiles, tmp: string): Promise<number> {
  const t = performance.now();
  for (const [i, p] of files.normals.entries()) writeFileSync(join(tmp, `${i}.jpg`), await encodeThumbnail(await openImage(p), 256));
  return files.normals.length / ((performance.now() - t) / 1000);
}

/**
 * RAMS aligned masks, `inside` placement in the peer's region (a square inset by 1/8 of the side):
 * each real mask scaled to the side (nearest), then closing, contour, Douglas-Peucker, ΔP,
 * rotation, Eq. (6) at A_avg/A_M = 0.5 as the peer, ≤ 50 placement tries.
 */
export function maskRate(masks: Mask[], side: number, seconds: number): { rate: number; satisfied: number; tried: number } {
  const region = createMask(side, side);
  const a = Math.floor(side / 8);
  const b = side - Math.floor(side / 8);
  for (let y = a; y <= b; y++) region.data.fill(255, y * side + a, y * side + b + 1);
  const guide = prepareRegion(region);
  // Scaled once here (the peer's cv2.resize costs it microseconds in the loop); each pass works on
  // a fresh copy, so nothing computed from one mask object carries over to the next pass.
  const scaled = masks.map((m) => resizeMaskNearest(m, side / Math.max(m.width, m.height)));
  const areas = scaled.map(maskArea);
  let n = 0;
  let ok = 0;
  const t = performance.now();
  while (performance.now() - t < seconds * 1000) {
    const k = n % masks.length;
    const mask = { ...scaled[k], data: scaled[k].data.slice() };
    if (areas[k] > 0 && synthesiseAlignedMask({ seed: n, region: guide, mode: 'inside', source: { mask, clusterMeanArea: 0.5 * areas[k] } }).ok) ok++;
    n++;
  }
  return { rate: n / ((performance.now() - t) / 1000), satisfied: ok, tried: n };
}

async function readResized(file: string, side: number): Promise<Raster> {
  const source = await openImage(file);
  const colour = source.channels - (source.hasAlpha ? 1 : 0) >= 3;
  const { data, info } = await source
    .pipeline()
    .resize({ width: side, height: side, fit: 'fill', kernel: 'linear' })
    .removeAlpha()
    .toColourspace(colour ? 'srgb' : 'b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: side, height: side, channels: info.channels as Raster['channels'], data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/**
 * One pair as the peer makes it: read a real defect image and its mask and a normal image, each
 * scaled to side², blend the defect into the normal image with mixed gradients inside the mask
 * grown by 2 px, encode (as the synthesis job stores it) and write the PNG. The project's blend is its exemplar generator in
 * `mixed` mode (surface/defect split of the exemplar, warp, Poisson solve in the mask's box),
 * with the exemplar split made per pair as the peer analyses per pair.
 */
export async function blendRate(files: CategoryFiles, side: number, seconds: number, tmp: string): Promise<{ rate: number; pairs: number }> {
  let n = 0;
  let made = 0;
  const t = performance.now();
  while (performance.now() - t < seconds * 1000) {
    const p = files.anomalies[n % files.anomalies.length];
    const full = await readBinaryMask(files.maskOf(p));
    if (maskArea(full) === 0) {
      n++;
      continue;
    }
    const mask: Mask = { width: side, height: side, data: new Uint8Array(side * side) };
    const fx = full.width / side;
    const fy = full.height / side;
    for (let y = 0; y < side; y++) {
      const row = Math.min(full.height - 1, Math.floor(y * fy)) * full.width;
      for (let x = 0; x < side; x++) mask.data[y * side + x] = full.data[row + Math.min(full.width - 1, Math.floor(x * fx))];
    }
    if (maskArea(mask) === 0) {
      n++;
      continue;
    }
    const image = await readResized(p, side);
    const normal = await readResized(files.normals[n % files.normals.length], side);
    const alignedMask = dilate(mask, 2);
    const identity: MaskTransform = { sourceCentroid: [0, 0], sourcePolygon: [], vertexOffsets: [], rotation: 0, scale: 1, targetCentroid: [0, 0] };
    const out = await exemplarGenerator.generate({
      normal,
      alignedMask,
      transform: identity,
      exemplar: { image, mask },
      kind: 'structural',
      blendMode: 'mixed',
      seed: n,
    });
    writeFileSync(join(tmp, 'blend.png'), await encodeSamplePng(out.image));
    n++;
    made++;
  }
  return { rate: n / ((performance.now() - t) / 1000), pairs: made };
}

export async function benchPeer(argv: string[]): Promise<unknown> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string', default: DEFAULT_DATA_ROOT },
      category: { type: 'string', default: DEFAULT_CATEGORY },
      script: { type: 'string', default: PEER_SCRIPT },
      'no-peer': { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  const files = categoryFiles(resolve(values.data), values.category);
  const tmp = mkdtempSync(join(tmpdir(), 'gaa-bench-peer-'));
  const loadBefore = loadavg().map((x) => round(x, 2));
  try {
    const masks: Mask[] = [];
    for (const p of files.anomalies.slice(0, 100)) {
      const m = await readBinaryMask(files.maskOf(p));
      if (maskArea(m) > 0) masks.push(m);
    }
    // The same time budgets as the peer: 3 s per mask size, 4 s per blend size.
    const project = {
      import_thumbs_per_s: round(await importRate(files, tmp)),
      masks_per_s_256: maskRate(masks, 256, 3),
      masks_per_s_1024: maskRate(masks, 1024, 3),
      poisson_pairs_per_s_256: await blendRate(files, 256, 4, tmp),
      poisson_pairs_per_s_1024: await blendRate(files, 1024, 4, tmp),
    };
    let peer: PeerRates | null = null;
    let peerNote: string;
    const found = values['no-peer'] ? { python: null, tried: [] } : findPeerPython();
    if (values['no-peer']) peerNote = 'skipped: --no-peer';
    else if (!existsSync(values.script)) peerNote = `skipped: the peer script ${values.script} is not there (pass --script FILE)`;
    else if (!found.python) {
      peerNote = `skipped: no Python with OpenCV found (tried ${found.tried.join(', ')}); install Debian's python3-opencv (apt-get install python3-opencv) or set GAA_PEER_PYTHON`;
    } else {
      peer = runPeer(found.python, values.script, files, tmp);
      peerNote = `${found.python} ${values.script}`;
    }
    const rateOf = (v: number | { rate: number }) => (typeof v === 'number' ? v : round(v.rate, 2));
    const stages = (Object.keys(project) as (keyof PeerRates)[]).map((stage) => {
      const mine = rateOf(project[stage]);
      const theirs = peer ? peer[stage] : null;
      return { stage, project: mine, peer: theirs, ratio: theirs ? round(mine / theirs, 2) : null, ...(typeof project[stage] === 'object' ? { detail: project[stage] } : {}) };
    });
    return {
      data: files.dir,
      images: { normals: files.normals.length, anomalies: files.anomalies.length, masks: masks.length },
      notes: [
        'rates per second; ratio = project / peer, both measured in this run, one after the other, single-threaded',
        'import: the project writes its import\'s JPEG thumbnail, the peer a PNG',
        'poisson: the project runs its exemplar generator (mixed mode), the peer cv2.seamlessClone(MIXED_CLONE)',
        'masks: each real mask is scaled to the side once before the timed loop (the peer scales in its loop with cv2.resize); every pass works on a fresh copy',
      ],
      peer: peerNote,
      loadAverage: { before: loadBefore, after: loadavg().map((x) => round(x, 2)) },
      stages,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
