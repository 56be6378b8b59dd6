import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tensor } from '../../../../src-main/core/onnx/runtime';
import { SessionCache, createSession } from '../../../../src-main/io/onnx-runtime';
import { textEncoderModel, unetModel } from '../../core/onnx/tiny-models';

// Whether this machine has ONNX Runtime's CUDA provider library at all, looked up on disk.
const ortBin = join(dirname(require.resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', process.platform, process.arch);
const hasCudaProvider = existsSync(ortBin) && readdirSync(ortBin).some((f) => f.includes('providers_cuda'));

describe('ONNX Runtime sessions', () => {
  it('runs on the CPU when the CPU is asked for, with no fallback to report', async () => {
    const s = await createSession(textEncoderModel(4), { provider: 'cpu', intraOpThreads: 1 });
    expect(s.provider).toBe('cpu');
    expect(s.fallbackReason).toBeNull();
    const x = new Float32Array(77 * 4);
    x[0] = 2;
    const out = await s.session.run({ inputs_embeds: tensor('float32', x, [1, 77, 4]) });
    // W = ½·I + 0.05·sin(k): row 0 of the product is 2·W[0,:], and W[0,0] = 0.5 + 0.05·sin 0.
    expect((out.last_hidden_state.data as Float32Array)[0]).toBeCloseTo(1, 6);
    await s.session.release();
  });

  it('falls back to the CPU on a forced CUDA request where CUDA cannot load, and says why', async () => {
    const s = await createSession(textEncoderModel(4), { provider: 'cuda' });
    if (hasCudaProvider) {
      // A GPU machine: either CUDA loaded, or the reason it did not is recorded.
      expect(s.provider === 'cuda' ? s.fallbackReason : s.fallbackReason?.length).toBeTruthy();
    } else {
      expect(s.provider).toBe('cpu');
      expect(s.fallbackReason).toMatch(/^CUDA execution provider unavailable: .*(Cuda|CUDA|cuda)/);
      expect(s.fallbackReason).toMatch(/shared library|not|fail/i);
      // Checked on disk before ORT is asked, so the reason names the missing file.
      expect(s.fallbackReason).toContain(process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so');
    }
    await s.session.release();
  });

  it("reads input and output names, dtypes and shapes from the model's metadata", async () => {
    const s = await createSession(unetModel(8, 4, 'int64'), { provider: 'cpu' });
    const d = s.session.describe();
    expect(d.inputs).toEqual([
      { name: 'sample', dtype: 'float32', shape: ['batch', 4, 4, 4] },
      { name: 'timestep', dtype: 'int64', shape: [1] },
      { name: 'encoder_hidden_states', dtype: 'float32', shape: ['batch', 77, 8] },
    ]);
    expect(d.outputs).toEqual([{ name: 'out_sample', dtype: 'float32', shape: ['batch', 4, 4, 4] }]);
    await s.session.release();
  });

  it('shares one session per file and options until it is released', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'gaa-sess-')), 'te.onnx');
    writeFileSync(file, textEncoderModel(4));
    const cache = new SessionCache();
    const a = await cache.get(file, { provider: 'cpu' });
    const b = await cache.get(file, { provider: 'cpu' });
    const c = await cache.get(file, { provider: 'cpu', intraOpThreads: 1 });
    expect(b.session).toBe(a.session);
    expect(c.session).not.toBe(a.session);
    expect(cache.size).toBe(2);
    await cache.release(file, { provider: 'cpu' });
    expect(cache.size).toBe(1);
    const d = await cache.get(file, { provider: 'cpu' });
    expect(d.session).not.toBe(a.session);
    await cache.releaseAll();
    expect(cache.size).toBe(0);
  });

  it('does not cache a model that fails to load', async () => {
    const cache = new SessionCache();
    await expect(cache.get('/nonexistent/model.onnx', { provider: 'cpu' })).rejects.toThrow();
    expect(cache.size).toBe(0);
  });
});
