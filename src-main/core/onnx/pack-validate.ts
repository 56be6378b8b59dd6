/**
 * Validation of an unpacked model pack, the checks themselves: its pack.json against the kind's
 * schema, the roles the kind needs, each model's real input/output names (and dtypes and fixed
 * dims where the runtime reports them) against what pack.json declares, and the kind's arrays
 * (token embedding, e_f) against the declared widths. io/packs reads the files and hashes them.
 */
import { readNpy } from './npy';
import { PackError } from './packs';
import { REQUIRED_ROLES, packManifestSchema, referencedFiles, type ModelSpec, type PackManifest, type TensorSpec } from './pack-schema';
import type { OpenedSession, SessionOptions, TensorDescription } from './runtime';

/** Reads one file of the pack being validated, by its path inside the pack. */
export type PackFileReader = (file: string) => Promise<Uint8Array>;

/** Options a session is opened with only to read its metadata: CPU, unoptimised, one thread. */
export const METADATA_SESSION: SessionOptions = { provider: 'cpu', graphOptimization: 'disabled', intraOpThreads: 1 };

/** pack.json's text (null when the file is missing) as a manifest, or PackError saying what is wrong. */
export function parseManifest(text: string | null): PackManifest {
  if (text === null) throw new PackError(['pack.json is missing at the pack root']);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new PackError([`pack.json is not valid JSON: ${e instanceof Error ? e.message : String(e)}`]);
  }
  const parsed = packManifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new PackError(parsed.error.issues.map((i) => `pack.json ${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`));
  }
  return parsed.data;
}

/** Every file pack.json uses is listed once, and the kind has its roles with the inputs and outputs the workbench feeds. */
export function checkListing(m: PackManifest): string[] {
  const problems: string[] = [];
  const listed = new Set<string>();
  for (const f of m.files) {
    if (listed.has(f.path)) problems.push(`file '${f.path}' is listed twice`);
    listed.add(f.path);
  }
  for (const ref of new Set(referencedFiles(m))) {
    if (!listed.has(ref)) problems.push(`'${ref}' is used by pack.json but not listed (with its sha256) in files`);
  }
  for (const [role, req] of Object.entries(REQUIRED_ROLES[m.kind])) {
    const spec = m.models[role];
    if (!spec) {
      problems.push(`kind '${m.kind}' needs a model with role '${role}'`);
      continue;
    }
    problems.push(...roleNameProblems(role, 'input', spec.inputs, req.inputs, req.exact));
    problems.push(...roleNameProblems(role, 'output', spec.outputs, req.outputs, req.exact));
    if (!req.exact && req.outputs.length === 0 && spec.outputs.length === 0) problems.push(`model '${role}' declares no outputs`);
  }
  if (m.kind === 'gaa-concepts') {
    const ids = new Set<string>();
    for (const c of m.clusters) {
      if (ids.has(c.id)) problems.push(`cluster id '${c.id}' appears twice`);
      ids.add(c.id);
    }
  }
  return problems;
}

function roleNameProblems(role: string, what: string, declared: TensorSpec[], required: readonly string[], exact: boolean): string[] {
  const names = declared.map((t) => t.name);
  const out = required.filter((r) => !names.includes(r)).map((r) => `model '${role}' must have ${what} '${r}' (pack.json declares ${names.join(', ') || 'none'})`);
  if (exact) {
    for (const n of names) if (!required.includes(n)) out.push(`model '${role}' declares ${what} '${n}', which the workbench does not use (expected ${required.join(', ')})`);
  }
  return out;
}

function tensorProblems(role: string, what: string, declared: TensorSpec, actual: TensorDescription): string[] {
  const out: string[] = [];
  if (actual.dtype !== null && actual.dtype !== declared.dtype) {
    out.push(`model '${role}' ${what} '${declared.name}' is ${actual.dtype} but pack.json says ${declared.dtype}`);
  }
  if (actual.shape !== null) {
    if (actual.shape.length !== declared.shape.length) {
      out.push(`model '${role}' ${what} '${declared.name}' has rank ${actual.shape.length} but pack.json declares [${declared.shape.join(', ')}]`);
    } else {
      declared.shape.forEach((d, i) => {
        const a = actual.shape![i];
        if (typeof d === 'number' && typeof a === 'number' && d !== a) {
          out.push(`model '${role}' ${what} '${declared.name}' dimension ${i} is ${a} but pack.json says ${d}`);
        }
      });
    }
  }
  return out;
}

function sideProblems(role: string, what: string, declared: TensorSpec[], actual: TensorDescription[]): string[] {
  const out: string[] = [];
  const actualNames = actual.map((a) => a.name);
  for (const d of declared) {
    const a = actual.find((x) => x.name === d.name);
    if (!a) out.push(`model '${role}' has no ${what} '${d.name}' (its ${what}s are ${actualNames.join(', ')})`);
    else out.push(...tensorProblems(role, what, d, a));
  }
  for (const a of actual) {
    if (!declared.some((d) => d.name === a.name)) out.push(`model '${role}' has ${what} '${a.name}', which pack.json does not declare`);
  }
  return out;
}

/** Loads each model once (METADATA_SESSION) only to read its metadata, and compares it with pack.json. */
export async function checkModels(models: Record<string, ModelSpec>, open: (file: string, options: SessionOptions) => Promise<OpenedSession>): Promise<string[]> {
  const problems: string[] = [];
  for (const [role, spec] of Object.entries(models)) {
    let opened;
    try {
      opened = await open(spec.file, METADATA_SESSION);
    } catch (e) {
      problems.push(`model '${role}' (${spec.file}) cannot be loaded by ONNX Runtime: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    try {
      const d = opened.session.describe();
      problems.push(...sideProblems(role, 'input', spec.inputs, d.inputs), ...sideProblems(role, 'output', spec.outputs, d.outputs));
    } finally {
      await opened.session.release();
    }
  }
  return problems;
}

async function npyShape(read: PackFileReader, path: string): Promise<number[] | string> {
  try {
    return readNpy(await read(path)).shape;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function lastDim(spec: ModelSpec | undefined, side: 'inputs' | 'outputs', name: string): number | string | null {
  const t = spec?.[side].find((x) => x.name === name);
  return t ? (t.shape[t.shape.length - 1] ?? null) : null;
}

/** The kind's arrays have the shapes pack.json and the models declare; the tokenizer is a tokenizer.json. */
export async function checkArrays(m: PackManifest, read: PackFileReader): Promise<string[]> {
  const problems: string[] = [];
  if (m.kind === 'sd15-onnx') {
    const shape = await npyShape(read, m.tokenEmbedding);
    if (typeof shape === 'string') problems.push(`'${m.tokenEmbedding}': ${shape}`);
    else if (shape.length !== 2) problems.push(`'${m.tokenEmbedding}' must be [vocab, dim] but is [${shape.join(', ')}]`);
    else {
      const width = lastDim(m.models.text_encoder, 'inputs', 'inputs_embeds');
      if (typeof width === 'number' && width !== shape[1]) {
        problems.push(`'${m.tokenEmbedding}' vectors are ${shape[1]} wide but the text encoder takes ${width}`);
      }
    }
    try {
      const tok = JSON.parse(new TextDecoder('utf-8', { ignoreBOM: true }).decode(await read(m.tokenizer))) as { model?: unknown };
      if (!tok || typeof tok !== 'object' || !tok.model) problems.push(`'${m.tokenizer}' is not a tokenizer.json (no model)`);
    } catch (e) {
      problems.push(`'${m.tokenizer}' is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (m.kind === 'gaa-concepts') {
    for (const c of m.clusters) {
      const shape = await npyShape(read, c.ef);
      if (typeof shape === 'string') problems.push(`cluster '${c.id}' e_f '${c.ef}': ${shape}`);
      else if (shape.length !== 2 || shape[0] !== m.featureTokens || shape[1] !== m.embeddingDim) {
        problems.push(`cluster '${c.id}' e_f '${c.ef}' is [${shape.join(', ')}] but must be [${m.featureTokens}, ${m.embeddingDim}]`);
      }
    }
    const width = lastDim(m.models.position_encoder, 'outputs', 'e_p');
    if (typeof width === 'number' && width !== m.embeddingDim) problems.push(`position encoder e_p is ${width} wide but embeddingDim is ${m.embeddingDim}`);
  }
  return problems;
}
