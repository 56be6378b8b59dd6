/**
 * The layering of ARCHITECTURE.md, as rules over the source tree: each names what it keeps
 * out and lists every offending file with what it found there. Imports only point down:
 * shells (electron, host, cli) → engine → core, io, store, api; the renderer and the preload
 * see only the contract.
 */
import { builtinModules } from 'node:module';
import { describe, expect, it } from 'vitest';
import { appSources, loadedBy, sqlStrings, type ImportEdge, type SourceFile } from './architecture-scan';

interface Rule {
  name: string;
  /** One line per violation; empty when the rule holds. */
  violations(files: SourceFile[]): string[];
}

const inDir = (dir: string) => (path: string | null) => path !== null && path.startsWith(dir);
const isStore = inDir('src-main/store/');
const isEngine = inDir('src-main/engine/');
const isApi = inDir('src-main/api/');
const isCore = inDir('src-main/core/');

/**
 * Packages the pure core may load: plain JavaScript, no I/O, no native code. zod validates
 * recipes and pack manifests; @huggingface/tokenizers is a pure-JS tokenizer for SD prompts.
 */
const CORE_PACKAGES = new Set(['zod', '@huggingface/tokenizers']);
const NODE_BUILTINS = new Set(builtinModules);

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Core reaches only core, the contract's plain types and pure-JS packages; no Node built-in at all (node:path included). */
function coreMayImport(e: ImportEdge): boolean {
  if (e.target !== null) return isCore(e.target) || e.target === 'src-main/api/types.ts';
  if (e.specifier.startsWith('node:') || NODE_BUILTINS.has(packageName(e.specifier))) return false;
  return CORE_PACKAGES.has(packageName(e.specifier));
}

/** Files in `files` under src-main, other than those `allowed` keeps, that import `pkg`. */
function packageOnlyIn(files: SourceFile[], pkg: string, allowed: (path: string) => boolean): string[] {
  return files
    .filter((f) => f.path.startsWith('src-main/') && !allowed(f.path))
    .flatMap((f) => f.imports.filter((e) => e.target === null && packageName(e.specifier) === pkg).map((e) => show(f, e)));
}

/** An import as a violation line. */
const show = (f: SourceFile, e: ImportEdge) => `${f.path} imports ${e.target ?? e.specifier}${e.typeOnly ? ' (types)' : ''}`;

/** Whether loading this api module loads zod (the contract's schemas): the preload and the renderer may load only zod-free ones. */
function loadsZod(path: string): boolean {
  return loadedBy(path).packages.has('zod');
}

/** The preload's whole view of main: IPC channel names and the contract's zod-free helpers. */
const PRELOAD_MAY_LOAD = new Set([
  'src-main/api/channels.ts',
  'src-main/api/events.ts',
  'src-main/api/errors.ts',
  'src-main/api/image-ref.ts',
  'src-main/electron/channels.ts',
]);

function edge(target: string, typeOnly: boolean): ImportEdge {
  return { specifier: target, target, typeOnly };
}

const rules: Rule[] = [
  {
    name: 'core imports only core, the contract’s plain types and pure-JS packages: no Node built-in, native package, io, engine or store',
    violations: (files) => files.filter((f) => isCore(f.path)).flatMap((f) => f.imports.filter((e) => !coreMayImport(e)).map((e) => show(f, e))),
  },
  {
    name: 'images are decoded and encoded only by io/image-codec.ts: sharp nowhere else in src-main',
    violations: (files) => packageOnlyIn(files, 'sharp', (p) => p === 'src-main/io/image-codec.ts'),
  },
  {
    name: 'ONNX Runtime is reached only through io/onnx-runtime',
    violations: (files) => packageOnlyIn(files, 'onnxruntime-node', (p) => p.startsWith('src-main/io/onnx-runtime/')),
  },
  {
    name: 'no SQL outside src-main/store: the store owns every statement',
    violations: (files) =>
      files
        .filter((f) => !isStore(f.path))
        .flatMap((f) => sqlStrings(f).map((s) => `${f.path}: ${s.replace(/\s+/g, ' ').slice(0, 100)}`)),
  },
  {
    name: 'only the engine imports the store',
    violations: (files) =>
      files
        .filter((f) => !isStore(f.path) && !isEngine(f.path))
        .flatMap((f) => f.imports.filter((e) => isStore(e.target)).map((e) => show(f, e))),
  },
  {
    name: 'the store imports only the store, the contract’s types and packages',
    violations: (files) =>
      files
        .filter((f) => isStore(f.path))
        .flatMap((f) => f.imports.filter((e) => e.target !== null && !isStore(e.target) && !(isApi(e.target) && e.typeOnly)).map((e) => show(f, e))),
  },
  {
    name: 'the contract imports only the contract and zod',
    violations: (files) =>
      files
        .filter((f) => isApi(f.path))
        .flatMap((f) => f.imports.filter((e) => (e.target === null ? e.specifier !== 'zod' : !isApi(e.target))).map((e) => show(f, e))),
  },
  {
    name: 'the renderer imports its own files, packages for the browser, the contract’s types and its zod-free helpers',
    violations: (files) =>
      files
        .filter((f) => f.path.startsWith('src-renderer/'))
        .flatMap((f) =>
          f.imports
            .filter((e) => {
              if (e.target === null) return e.specifier === 'electron' || e.specifier === 'zod' || e.specifier.startsWith('node:');
              if (e.target.startsWith('src-renderer/')) return false;
              if (!isApi(e.target)) return true;
              return !e.typeOnly && loadsZod(e.target);
            })
            .map((e) => show(f, e)),
        ),
  },
  {
    name: 'the preload loads channel names only: electron, the IPC channels and the contract’s zod-free helpers',
    violations: (files) =>
      files
        .filter((f) => f.path.startsWith('src-preload/'))
        .flatMap((f) => {
          const direct = f.imports
            .filter((e) => !e.typeOnly && (e.target === null ? e.specifier !== 'electron' : !PRELOAD_MAY_LOAD.has(e.target)))
            .map((e) => show(f, e));
          const loaded = loadedBy(f.path);
          const beyond = [...loaded.files].filter((p) => p !== f.path && !PRELOAD_MAY_LOAD.has(p)).map((p) => `${f.path} loads ${p}`);
          const packages = [...loaded.packages].filter((p) => p !== 'electron').map((p) => `${f.path} loads package ${p}`);
          return [...direct, ...beyond, ...packages];
        }),
  },
];

describe('architecture', () => {
  const files = appSources();

  it('finds the source tree it checks', () => {
    expect(files.some((f) => f.path === 'src-main/engine/engine.ts')).toBe(true);
    expect(files.some((f) => f.path === 'src-preload/index.ts')).toBe(true);
    expect(files.some((f) => f.path.startsWith('src-renderer/src/'))).toBe(true);
  });

  it('sees SQL where the store writes it, and not in UI text', () => {
    const store = files.find((f) => f.path === 'src-main/store/samples.ts')!;
    expect(sqlStrings(store).length).toBeGreaterThan(3);
    expect(sqlStrings({ path: 'x.ts', imports: [], strings: ['SELECT', 'Select the pairs to export', 'INPUT'] })).toEqual([]);
  });

  it('tells a module that loads zod from one that does not', () => {
    expect(loadsZod('src-main/api/contract.ts')).toBe(true);
    expect(loadsZod('src-main/api/channels.ts')).toBe(false);
    const preload = files.find((f) => f.path === 'src-preload/index.ts')!;
    // The preload names the contract's types; those imports are erased and load nothing.
    expect(preload.imports.some((e) => e.target === 'src-main/api/contract.ts' && e.typeOnly)).toBe(true);
  });

  it('holds the core to its imports whatever their form, and lets the allowed ones through', () => {
    const pkg = (specifier: string): ImportEdge => ({ specifier, target: null, typeOnly: false });
    const core: SourceFile = {
      path: 'src-main/core/export/x.ts',
      imports: [
        pkg('node:fs/promises'),
        pkg('path'),
        pkg('sharp'),
        edge('src-main/engine/engine.ts', true),
        edge('src-main/io/export-writer/index.ts', false),
        pkg('onnxruntime-node'),
        edge('src-main/store/db.ts', false),
        edge('src-main/api/contract.ts', true),
        pkg('zod'),
        pkg('@huggingface/tokenizers'),
        edge('src-main/api/types.ts', true),
        edge('src-main/core/dataset/mask.ts', false),
        edge('src-main/core/random.ts', false),
      ],
      strings: [],
    };
    const coreRule = rules.find((r) => r.name.startsWith('core imports only'))!;
    expect(coreRule.violations([core])).toEqual([
      'src-main/core/export/x.ts imports node:fs/promises',
      'src-main/core/export/x.ts imports path',
      'src-main/core/export/x.ts imports sharp',
      'src-main/core/export/x.ts imports src-main/engine/engine.ts (types)',
      'src-main/core/export/x.ts imports src-main/io/export-writer/index.ts',
      'src-main/core/export/x.ts imports onnxruntime-node',
      'src-main/core/export/x.ts imports src-main/store/db.ts',
      'src-main/core/export/x.ts imports src-main/api/contract.ts (types)',
    ]);
  });

  /** One file that breaks each rule, so a rule that stopped seeing anything fails here. */
  const offenders: Record<string, SourceFile> = {
    'core imports only': { path: 'src-main/core/x.ts', imports: [edge('src-main/io/image-codec.ts', false)], strings: [] },
    'images are decoded': { path: 'src-main/engine/x.ts', imports: [{ specifier: 'sharp', target: null, typeOnly: false }], strings: [] },
    'ONNX Runtime is reached': { path: 'src-main/core/onnx/x.ts', imports: [{ specifier: 'onnxruntime-node', target: null, typeOnly: false }], strings: [] },
    'no SQL': { path: 'src-main/engine/x.ts', imports: [], strings: ["SELECT id FROM samples WHERE category_id = ?"] },
    'only the engine imports the store': { path: 'src-main/cli/x.ts', imports: [edge('src-main/store/db.ts', true)], strings: [] },
    'the store imports only': { path: 'src-main/store/x.ts', imports: [edge('src-main/engine/session.ts', false)], strings: [] },
    'the contract imports only': { path: 'src-main/api/x.ts', imports: [edge('src-main/store/db.ts', true)], strings: [] },
    'the renderer imports': { path: 'src-renderer/src/x.ts', imports: [edge('src-main/api/contract.ts', false)], strings: [] },
    'the preload loads': { path: 'src-preload/x.ts', imports: [edge('src-main/api/contract.ts', false)], strings: [] },
  };

  for (const rule of rules) {
    it(rule.name, () => {
      expect(rule.violations(files)).toEqual([]);
      const key = Object.keys(offenders).find((k) => rule.name.startsWith(k));
      expect(key, `an offender for "${rule.name}"`).toBeDefined();
      expect(rule.violations([offenders[key!]])).toHaveLength(1);
    });
  }
});
