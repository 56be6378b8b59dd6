/**
 * What the layering rules (architecture.test.ts) read: every source file of the app, its
 * imports (resolved to repository files, with whether each is type-only) and its string
 * literals, parsed with the TypeScript compiler so comments and prose never count.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export const ROOT = resolve(__dirname, '../..');

export interface ImportEdge {
  /** As written: `zod`, `node:fs`, `../store/db`. */
  specifier: string;
  /** Repository-relative path of the imported file (posix separators), or null for a package. */
  target: string | null;
  /** `import type`, `import { type X }` only, or a type position (`import('…').T`): erased at build. */
  typeOnly: boolean;
}

export interface SourceFile {
  /** Repository-relative, posix separators: `src-main/engine/engine.ts`. */
  path: string;
  imports: ImportEdge[];
  /** The text of every string and template literal (template expressions become `?`). */
  strings: string[];
}

const SOURCE = /\.(ts|tsx|mts|cts)$/;

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (SOURCE.test(name) && !name.endsWith('.d.ts')) out.push(full);
  }
}

function toRepoPath(abs: string): string {
  return relative(ROOT, abs).split(sep).join('/');
}

function resolveImport(fromFile: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = resolve(dirname(fromFile), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return toRepoPath(candidate);
  }
  return toRepoPath(base);
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // a bare `import './x'` runs the module
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  if (!bindings || ts.isNamespaceImport(bindings)) return false;
  return bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

function isTypeOnlyExport(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return !!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
}

export function parseSource(abs: string): SourceFile {
  const text = readFileSync(abs, 'utf8');
  const sf = ts.createSourceFile(abs, text, ts.ScriptTarget.Latest, true, abs.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const imports: ImportEdge[] = [];
  const strings: string[] = [];
  const add = (specifier: string, typeOnly: boolean) => imports.push({ specifier, target: resolveImport(abs, specifier), typeOnly });
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, isTypeOnlyImport(node));
      return;
    }
    if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, isTypeOnlyExport(node));
      return;
    }
    if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal.text, true);
      return;
    }
    if (ts.isCallExpression(node) && node.arguments.length >= 1 && ts.isStringLiteralLike(node.arguments[0])) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) {
        add((node.arguments[0] as ts.StringLiteralLike).text, false);
      }
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) strings.push(node.text);
    else if (ts.isTemplateExpression(node)) strings.push([node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join('?'));
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { path: toRepoPath(abs), imports, strings };
}

let cache: SourceFile[] | null = null;

/** Every app source file: main process, preload and renderer. */
export function appSources(): SourceFile[] {
  if (!cache) {
    const files: string[] = [];
    for (const dir of ['src-main', 'src-preload', 'src-renderer/src']) walk(join(ROOT, dir), files);
    cache = files.sort().map(parseSource);
  }
  return cache;
}

export function under(prefix: string): (f: SourceFile) => boolean {
  return (f) => f.path.startsWith(prefix);
}

/**
 * SQL in a string literal: a statement's shape (`SELECT … FROM`, `INSERT INTO`, `UPDATE t SET`,
 * `DELETE FROM`, `CREATE TABLE`, …) in upper case, as this code base writes it. Prose and UI text
 * ("Select", a `SELECT` element's tag name) do not match.
 */
const SQL = [
  /\bSELECT\b[\s\S]*\bFROM\b/,
  /\bINSERT\s+(OR\s+[A-Z]+\s+)?INTO\b/,
  /\bUPDATE\s+[\w?]+\s+SET\b/,
  /\bDELETE\s+FROM\b/,
  /\b(CREATE|DROP)\s+(TEMP\s+|UNIQUE\s+)?(TABLE|INDEX|VIEW|TRIGGER)\b/,
  /\bALTER\s+TABLE\b/,
  /\bPRAGMA\s+\w+/,
];

export function sqlStrings(f: SourceFile): string[] {
  return f.strings.filter((s) => SQL.some((re) => re.test(s)));
}

/**
 * What loading `start` loads: the repository files and the packages reached through value
 * imports (type-only imports are erased at build and load nothing).
 */
export function loadedBy(start: string): { files: Set<string>; packages: Set<string> } {
  const byPath = new Map(appSources().map((f) => [f.path, f]));
  const files = new Set<string>();
  const packages = new Set<string>();
  const stack = [start];
  while (stack.length) {
    const p = stack.pop()!;
    if (files.has(p)) continue;
    files.add(p);
    for (const e of byPath.get(p)?.imports ?? []) {
      if (e.typeOnly) continue;
      if (e.target) stack.push(e.target);
      else packages.add(e.specifier);
    }
  }
  return { files, packages };
}
