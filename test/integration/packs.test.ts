import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { onnx } from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/main';
import { Engine } from '../../src-main/engine/engine';
import { identityProbeModel } from '../../src-main/engine/system/handlers';
import { writeBackbonePack, writeSegmenterPack } from '../unit/core/onnx/tiny-packs';

// Whether this machine has ONNX Runtime's CUDA provider library at all, looked up on disk.
const ortBin = join(dirname(require.resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', process.platform, process.arch);
const hasCudaProvider = existsSync(ortBin) && readdirSync(ortBin).some((f) => f.includes('providers_cuda'));

let work: string;
let userData: string;
let n = 0;
const fresh = (label: string): string => join(work, `${label}-${n++}`);

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  return runCli(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) }).then((code) => ({ code, stdout, stderr }));
}

/** Bytes of every file in a folder, summed by hand for comparison with the engine's figure. */
function bytesOf(dir: string): number {
  return readdirSync(dir, { recursive: true })
    .map((rel) => join(dir, String(rel)))
    .filter((p) => statSync(p).isFile())
    .reduce((sum, p) => sum + statSync(p).size, 0);
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'gaa-packs-it-'));
  userData = join(work, 'userdata');
  process.env.GAA_USER_DATA = userData;
});
afterAll(() => {
  delete process.env.GAA_USER_DATA;
  rmSync(work, { recursive: true, force: true });
});

describe('gaa packs', () => {
  it('lists nothing before any install, in the user-data packs folder', async () => {
    const r = await cli(['packs', 'list', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ packsDir: join(userData, 'packs'), packs: [], broken: [] });
  });

  it('installs a tiny backbone pack and lists it with its size, licence and files', async () => {
    const source = writeBackbonePack(fresh('bb'));
    const r = await cli(['packs', 'install', source, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const installed = JSON.parse(r.stdout);
    expect(installed).toMatchObject({ name: 'tiny-backbone', kind: 'backbone', version: '1', licence: 'CC0-1.0', dir: join(userData, 'packs', 'tiny-backbone') });
    expect(installed.sizeBytes).toBe(bytesOf(source));
    expect(installed.files).toEqual([{ path: 'backbone.onnx', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), bytes: statSync(join(source, 'backbone.onnx')).size }]);
    const list = await cli(['packs', 'list', '--json']);
    const doc = JSON.parse(list.stdout);
    expect(doc.packs.map((p: { name: string }) => p.name)).toEqual(['tiny-backbone']);
    const human = await cli(['packs', 'list']);
    expect(human.stdout).toMatch(/tiny-backbone\s+backbone\s+v1\s+CC0-1\.0/);
  });

  it('refuses a pack whose file hash is wrong, exits non-zero and names the file and the hash', async () => {
    const source = writeSegmenterPack(fresh('seg'));
    const manifest = JSON.parse(readFileSync(join(source, 'pack.json'), 'utf8'));
    manifest.files[1].sha256 = '0'.repeat(64);
    writeFileSync(join(source, 'pack.json'), JSON.stringify(manifest));
    const r = await cli(['packs', 'install', source]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/model pack refused/);
    expect(r.stderr).toMatch(/decoder\.onnx/);
    expect(r.stderr).toMatch(/sha256/);
    expect(existsSync(join(userData, 'packs', 'tiny-segmenter'))).toBe(false);
  });

  it('refuses a second install of the same name unless --replace is given', async () => {
    const source = writeBackbonePack(fresh('bb'));
    const again = await cli(['packs', 'install', source]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/a pack named 'tiny-backbone' is already installed/);
    const replaced = await cli(['packs', 'install', source, '--replace', '--json']);
    expect(replaced.code).toBe(0);
    expect(JSON.parse(replaced.stdout).name).toBe('tiny-backbone');
  });

  it('removes a pack, and says so when asked to remove one that is not there', async () => {
    const r = await cli(['packs', 'remove', 'tiny-backbone', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ removed: 'tiny-backbone', packs: [], broken: [] });
    expect(existsSync(join(userData, 'packs', 'tiny-backbone'))).toBe(false);
    const again = await cli(['packs', 'remove', 'tiny-backbone']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/no pack named 'tiny-backbone' is installed/);
  });

  it('exits 2 with the usage on a missing path or an unknown subcommand', async () => {
    expect((await cli(['packs', 'install'])).code).toBe(2);
    const r = await cli(['packs', 'frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown packs subcommand "frobnicate"/);
  });
});

describe('packs and runtime through the engine', () => {
  let engine: Engine;
  let ud: string;
  beforeAll(() => {
    ud = fresh('engine-ud');
    engine = new Engine({ host: 'cli', userDataDir: ud });
  });
  afterAll(() => engine.close());

  it('lists a damaged pack folder as broken with its reason, and removes it even if its name is not a pack name', async () => {
    const damaged = join(ud, 'packs', 'Old Pack');
    mkdirSync(damaged, { recursive: true });
    writeFileSync(join(damaged, 'pack.json'), '{ nope');
    const listing = await engine.call('packs.list', {});
    expect(listing.packs).toEqual([]);
    expect(listing.broken).toEqual([{ dir: damaged, reason: expect.stringMatching(/pack\.json is not valid JSON/) }]);
    const after = await engine.call('packs.remove', { name: 'Old Pack' });
    expect(after.broken).toEqual([]);
    expect(existsSync(damaged)).toBe(false);
    expect(existsSync(join(ud, 'packs'))).toBe(true);
  });

  it('lists every reason of a refused pack, one per line', async () => {
    const source = writeSegmenterPack(fresh('seg'));
    const manifest = JSON.parse(readFileSync(join(source, 'pack.json'), 'utf8'));
    manifest.files[0].sha256 = 'f'.repeat(64);
    manifest.files[1].sha256 = 'e'.repeat(64);
    writeFileSync(join(source, 'pack.json'), JSON.stringify(manifest));
    const err = await engine.call('packs.install', { source }).then(
      () => null,
      (e: Error & { code?: string }) => e,
    );
    expect(err?.code).toBe('bad_request');
    const reasons = err!.message.split('\n').slice(1);
    expect(err!.message.split('\n')[0]).toBe(`model pack refused (${reasons.length} problems):`);
    expect(reasons).toHaveLength(2);
    expect(reasons[0]).toMatch(new RegExp(`^  - file 'encoder\\.onnx' has sha256 [0-9a-f]{64} but pack\\.json says ${'f'.repeat(64)}$`));
    expect(reasons[1]).toMatch(new RegExp(`^  - file 'decoder\\.onnx' has sha256 [0-9a-f]{64} but pack\\.json says ${'e'.repeat(64)}$`));
  });

  it('refuses a relative install path at the contract', async () => {
    await expect(engine.call('packs.install', { source: 'relative/pack' })).rejects.toThrow(/source: must be an absolute path/);
  });

  it('probes with a real ONNX model: Identity from x to y, exactly as onnx-proto encodes it', () => {
    const vi = (name: string) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 1 }] } } } });
    const reference = onnx.ModelProto.encode({
      irVersion: 7,
      opsetImport: [{ domain: '', version: 13 }],
      graph: { name: 'gaa-provider-probe', node: [{ input: ['x'], output: ['y'], opType: 'Identity' }], input: [vi('x')], output: [vi('y')] },
    }).finish();
    expect(Buffer.from(identityProbeModel()).equals(Buffer.from(reference))).toBe(true);
    const m = onnx.ModelProto.decode(identityProbeModel());
    expect(Number(m.irVersion)).toBe(7);
    expect(m.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 13]]);
    const graph = m.graph!;
    expect((graph.node ?? []).map((nd) => [nd.opType, nd.input, nd.output])).toEqual([['Identity', ['x'], ['y']]]);
    const tensorOf = (v: onnx.IValueInfoProto) => [v.name, v.type?.tensorType?.elemType, (v.type?.tensorType?.shape?.dim ?? []).map((d) => Number(d.dimValue))];
    // elem_type 1 is FLOAT in onnx.proto's TensorProto.DataType.
    expect((graph.input ?? []).map(tensorOf)).toEqual([['x', 1, [1]]]);
    expect((graph.output ?? []).map(tensorOf)).toEqual([['y', 1, [1]]]);
  });

  it('reports the provider a real session got with the default auto preference', async () => {
    const rt = await engine.call('system.runtime', {});
    expect(rt.preference).toBe('auto');
    expect(rt.intraOpThreads).toBeNull();
    expect(rt.onnxruntimeVersion).toBe(require('onnxruntime-node/package.json').version);
    expect(rt.backends.map((b) => b.name)).toContain('cpu');
    expect(rt.settingsWarning).toBeNull();
    if (hasCudaProvider) {
      expect(rt.inUse === 'cuda' ? rt.fallbackReason === null : (rt.fallbackReason ?? '').length > 0).toBe(true);
    } else {
      expect(rt.inUse).toBe('cpu');
      expect(rt.available).toEqual(['cpu']);
      expect(rt.fallbackReason).toMatch(/^CUDA execution provider unavailable: /);
    }
  });

  it('falls back to the CPU on a forced CUDA preference where CUDA cannot load, says why, and stores the choice', async () => {
    const rt = await engine.call('system.setRuntime', { executionProvider: 'cuda', intraOpThreads: 2 });
    expect(rt.preference).toBe('cuda');
    expect(rt.intraOpThreads).toBe(2);
    if (hasCudaProvider) {
      expect(rt.inUse === 'cuda' ? rt.fallbackReason === null : (rt.fallbackReason ?? '').length > 0).toBe(true);
    } else {
      expect(rt.inUse).toBe('cpu');
      expect(rt.fallbackReason).toMatch(/^CUDA execution provider unavailable: .*(shared library|not|fail)/i);
    }
    expect(JSON.parse(readFileSync(join(ud, 'settings.json'), 'utf8'))).toEqual({ executionProvider: 'cuda', intraOpThreads: 2 });
  });

  it('uses the CPU with no fallback to report when the CPU is chosen', async () => {
    const rt = await engine.call('system.setRuntime', { executionProvider: 'cpu' });
    expect(rt).toMatchObject({ preference: 'cpu', intraOpThreads: 2, inUse: 'cpu', fallbackReason: null });
  });

  it('rejects an invalid thread count and keeps the stored settings', async () => {
    await expect(engine.call('system.setRuntime', { intraOpThreads: 0 })).rejects.toThrow(/intraOpThreads/);
    expect((await engine.call('system.runtime', {})).intraOpThreads).toBe(2);
  });

  it('runs on defaults with a warning when settings.json is damaged', async () => {
    writeFileSync(join(ud, 'settings.json'), '{"executionProvider": ');
    const rt = await engine.call('system.runtime', {});
    expect(rt.preference).toBe('auto');
    expect(rt.intraOpThreads).toBeNull();
    expect(rt.settingsWarning).toContain(join(ud, 'settings.json'));
  });
});
