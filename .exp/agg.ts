import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { imageAuroc } from '../src-main/core/metrics';
import { createHandcraftedExtractor, fitGaussianScorer, scorePatches, type PatchGrid } from '../src-main/core/score';
import { gaussianBlur } from '../src-main/core/regions/planes';
import { loadRaster, MAX_INPUT_PIXELS } from '../src-main/io/image-codec';
const root = '/work/shared/devdata';
const ex = createHandcraftedExtractor({});
const pngs = (d: string) => readdirSync(d).filter((f) => f.endsWith('.png')).sort().map((f) => join(d, f));
async function main() {
for (const cat of process.argv.slice(2)) {
  const g = async (f: string) => ex.extract(await loadRaster(f, MAX_INPUT_PIXELS));
  const train: PatchGrid[] = [];
  for (const f of pngs(join(root, cat, 'train/good'))) train.push(await g(f));
  const tests: { g: PatchGrid; l: number; t: string }[] = [];
  for (const t of readdirSync(join(root, cat, 'test')).sort()) for (const f of pngs(join(root, cat, 'test', t))) tests.push({ g: await g(f), l: t === 'good' ? 0 : 1, t });
  for (const kind of ['gaussian', 'padim'] as const) {
    const m = fitGaussianScorer(train, ex.id, kind);
    const RW0 = train[0].gridW, RH0 = train[0].gridH;
    const rs0 = (r: Float32Array, w: number, h: number) => { if (w === RW0 && h === RH0) return r; const o = new Float32Array(RW0 * RH0); for (let y = 0; y < RH0; y++) for (let x = 0; x < RW0; x++) o[y * RW0 + x] = r[Math.min(h - 1, Math.floor(((y + 0.5) * h) / RH0)) * w + Math.min(w - 1, Math.floor(((x + 0.5) * w) / RW0))]; return o; };
    const maps = tests.map((t) => ({ s: rs0(scorePatches(m, t.g), t.g.gridW, t.g.gridH), w: RW0, h: RH0 }));
    const labels = tests.map((t) => t.l);
    const res: Record<string, number> = {};
    const max = (a: ArrayLike<number>) => { let x = -Infinity; for (let i = 0; i < a.length; i++) if (a[i] > x) x = a[i]; return x; };
    res.max = imageAuroc(maps.map((m) => max(m.s)), labels);
    for (const sg of [0.5, 1, 2]) res[`blur${sg}`] = imageAuroc(maps.map((m) => max(gaussianBlur(Float64Array.from(m.s), m.w, m.h, sg))), labels);
    for (const q of [0.99, 0.95]) res[`q${q}`] = imageAuroc(maps.map((m) => { const a = Float64Array.from(m.s).sort(); return a[Math.floor(q * (a.length - 1))]; }), labels);
    for (const b of [1, 2, 4]) res[`border${b}`] = imageAuroc(maps.map((m) => { let x = -Infinity; for (let y = b; y < m.h - b; y++) for (let xx = b; xx < m.w - b; xx++) x = Math.max(x, m.s[y * m.w + xx]); return x; }), labels);
    // where the normals' maxima sit
    const pos = maps.filter((_, i) => labels[i] === 0).map((m) => { let x = -Infinity, at = 0; for (let i = 0; i < m.s.length; i++) if (m.s[i] > x) (x = m.s[i]), (at = i); return [at % m.w, Math.floor(at / m.w)]; });
    console.log(kind, 'normal max at', JSON.stringify(pos.slice(0, 25)));
    {
      // per-location calibration from the other half of the train normals (2-fold)
      const n = train.length, half = Math.floor(n / 2);
      const folds = [[train.slice(0, half), train.slice(half)], [train.slice(half), train.slice(0, half)]];
      const RW = train[0].gridW, RH = train[0].gridH;
      const same = (_m: unknown) => true;
      const rs = (r: Float32Array, w: number, h: number) => { if (w === RW && h === RH) return r; const o = new Float32Array(RW * RH); for (let y = 0; y < RH; y++) for (let x = 0; x < RW; x++) o[y * RW + x] = r[Math.min(h - 1, Math.floor(((y + 0.5) * h) / RH)) * w + Math.min(w - 1, Math.floor(((x + 0.5) * w) / RW))]; return o; };
      const refs: Float32Array[] = [];
      for (const [fit, held] of folds) { const mm = fitGaussianScorer(fit, ex.id, kind); for (const hg of held) refs.push(rs(scorePatches(mm, hg), hg.gridW, hg.gridH)); }
      const L = refs[0].length;
      const mu = new Float64Array(L), sd = new Float64Array(L), mx = new Float64Array(L).fill(-Infinity);
      for (const r of refs) for (let i = 0; i < L; i++) { mu[i] += r[i] / refs.length; mx[i] = Math.max(mx[i], r[i]); }
      for (const r of refs) for (let i = 0; i < L; i++) sd[i] += (r[i] - mu[i]) ** 2 / refs.length;
      for (let i = 0; i < L; i++) sd[i] = Math.sqrt(sd[i]) + 1e-6;
      if (0) console.log("nan refs", refs.filter((r) => r.some((v) => Number.isNaN(v))).length, "L", L, "lens", [...new Set(maps.map((m) => m.s.length))]);
      res.zcal = imageAuroc(maps.map((m) => { if (!same(m)) return 0; let x = -Infinity; for (let i = 0; i < L; i++) x = Math.max(x, (m.s[i] - mu[i]) / sd[i]); return x; }), labels);
      res.maxcal = imageAuroc(maps.map((m) => { if (!same(m)) return 0; let x = -Infinity; for (let i = 0; i < L; i++) x = Math.max(x, m.s[i] - mx[i]); return x; }), labels);
      const sdb = gaussianBlur(sd, maps[0].w, maps[0].h, 2), mub = gaussianBlur(mu, maps[0].w, maps[0].h, 2);
      res.zcalBlur = imageAuroc(maps.map((m) => { if (!same(m)) return 0; let x = -Infinity; for (let i = 0; i < L; i++) x = Math.max(x, (m.s[i] - mub[i]) / sdb[i]); return x; }), labels);
    }
    res.top10mean = imageAuroc(maps.map((m) => { const a = Float64Array.from(m.s).sort(); let s = 0; for (let i = 1; i <= 10; i++) s += a[a.length - i]; return s / 10; }), labels);
    console.log(cat, kind, 'grid', maps[0].w, 'x', maps[0].h, JSON.stringify(Object.fromEntries(Object.entries(res).map(([k, v]) => [k, Math.round(v * 1000) / 1000]))));
  }
}
}
void main();
