/**
 * The sandboxed preload needs channel names only: zod (and with it every schema of the contract)
 * must stay out of its bundle. Checked on a fresh bundle of src-preload (vite, as electron-vite
 * builds it) and on the built one in out/preload when a build is there (npm test builds first).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');
/** Marks of zod's code (its classes and the `_zod` internals every schema carries), not the word in a comment. */
const ZOD = /\b(ZodError|ZodType|\$ZodType|\$ZodObject|_zod)\b|require\(["']zod["']\)|from ["']zod["']/;

const out = mkdtempSync(join(tmpdir(), 'gaa-preload-bundle-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

async function bundle(entry: string): Promise<string> {
  await build({
    configFile: false,
    logLevel: 'silent',
    root: ROOT,
    build: {
      outDir: out,
      emptyOutDir: true,
      minify: false,
      lib: { entry: join(ROOT, entry), formats: ['cjs'], fileName: () => 'index.js' },
      rollupOptions: { external: ['electron'] },
    },
  });
  return readFileSync(join(out, 'index.js'), 'utf8');
}

describe('the preload bundle', () => {
  it('holds no zod: the contract reaches it as channel names only', async () => {
    const code = await bundle('src-preload/index.ts');
    expect(code).toMatch(/gaa:event/);
    expect(code).not.toMatch(ZOD);
    // A few kilobytes of bindings, not the contract's schemas.
    expect(code.length).toBeLessThan(20_000);
  });

  it.runIf(existsSync(join(ROOT, 'out/preload')))('holds no zod as built in out/preload', () => {
    const dir = join(ROOT, 'out/preload');
    const files = readdirSync(dir).filter((f) => /\.(c|m)?js$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(readFileSync(join(dir, f), 'utf8'), f).not.toMatch(ZOD);
  });

  it('sees zod in a bundle that has it: the contract with its schemas', async () => {
    expect(await bundle('src-main/api/contract.ts')).toMatch(ZOD);
  });
});
