/**
 * The layering of ARCHITECTURE.md, as rules over the source tree: each names what it keeps
 * out and lists every offending file with what it found there.
 */
import { describe, expect, it } from 'vitest';
import { appSources, sqlStrings, type SourceFile } from './architecture-scan';

interface Rule {
  name: string;
  /** One line per violation; empty when the rule holds. */
  violations(files: SourceFile[]): string[];
}

const rules: Rule[] = [
  {
    name: 'no SQL outside src-main/store: the store owns every statement',
    violations: (files) =>
      files
        .filter((f) => !f.path.startsWith('src-main/store/'))
        .flatMap((f) => sqlStrings(f).map((s) => `${f.path}: ${s.replace(/\s+/g, ' ').slice(0, 100)}`)),
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

  for (const rule of rules) {
    it(rule.name, () => {
      expect(rule.violations(files)).toEqual([]);
    });
  }
});
