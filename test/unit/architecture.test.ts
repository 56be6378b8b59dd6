/**
 * The layering of ARCHITECTURE.md, as rules over the source tree: each names what it keeps
 * out and lists every offending file with what it found there. Imports only point down:
 * shells (electron, host, cli) → engine → core, io, store, api; the renderer and the preload
 * see only the contract.
 */
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
  // The rule that core imports only core comes with the io/ split (issue 14 item 1).
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

  /** One file that breaks each rule, so a rule that stopped seeing anything fails here. */
  const offenders: Record<string, SourceFile> = {
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
