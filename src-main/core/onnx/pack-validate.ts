/**
 * Validation of an unpacked model pack: its pack.json against the kind's schema, every listed
 * file present with the right size and sha256, the roles the kind needs, each model's real
 * input/output names (and dtypes and fixed dims where the runtime reports them) against what
 * pack.json declares, and the kind's arrays (token embedding, e_f) against the declared widths.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { readNpy } from './npy';
import { PackError, insideRoot, sha256File } from './pack-files';
import { REQUIRED_ROLES, packManifestSchema, referencedFiles, type ModelSpec, type PackManifest, type TensorSpec } from './pack-schema';
import { createSession, describeSession, type TensorDescription } from './sessions';

export async function readManifest(dir: string): Promise<PackManifest> {
  let text: string;
  try {
    text = await fsp.readFile(join(dir, 'pack.json'), 'utf8');
  } catch {
    throw new PackError(['pack.json is missing at the pack root']);
  }
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

function checkListing(m: PackManifest): string[] {
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

async function checkFiles(dir: string, m: PackManifest): Promise<string[]> {
  const problems: string[] = [];
  for (const f of m.files) {
    const full = insideRoot(dir, f.path);
    if (!full) {
      problems.push(`file '${f.path}' leaves the pack folder`);
      continue;
    }
    let stat;
    try {
      stat = await fsp.lstat(full);
    } catch {
      problems.push(`file '${f.path}' is missing`);
      continue;
    }
    if (!stat.isFile()) {
      problems.push(`'${f.path}' is not a regular file`);
      continue;
    }
    if (f.bytes !== undefined && stat.size !== f.bytes) {
      problems.push(`file '${f.path}' is ${stat.size} bytes but pack.json says ${f.bytes}`);
      continue;
    }
    const actual = await sha256File(full);
    if (actual !== f.sha256) problems.push(`file '${f.path}' has sha256 ${actual} but pack.json says ${f.sha256}`);
  }
  return problems;
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

/** Loads each model once on the CPU, unoptimised, only to read its metadata. */
async function checkModels(dir: string, models: Record<string, ModelSpec>): Promise<string[]> {
  const problems: string[] = [];
  for (const [role, spec] of Object.entries(models)) {
    let opened;
    try {
      opened = await createSession(join(dir, spec.file), { provider: 'cpu', graphOptimization: 'disabled', intraOpThreads: 1 });
    } catch (e) {
      problems.push(`model '${role}' (${spec.file}) cannot be loaded by ONNX Runtime: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    try {
      const d = describeSession(opened.session);
      problems.push(...sideProblems(role, 'input', spec.inputs, d.inputs), ...sideProblems(role, 'output', spec.outputs, d.outputs));
    } finally {
      await opened.session.release();
    }
  }
  return problems;
}

async function npyShape(dir: string, path: string): Promise<number[] | string> {
  try {
    return readNpy(new Uint8Array(await fsp.readFile(join(dir, path)))).shape;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function lastDim(spec: ModelSpec | undefined, side: 'inputs' | 'outputs', name: string): number | string | null {
  const t = spec?.[side].find((x) => x.name === name);
  return t ? (t.shape[t.shape.length - 1] ?? null) : null;
}

async function checkArrays(dir: string, m: PackManifest): Promise<string[]> {
  const problems: string[] = [];
  if (m.kind === 'sd15-onnx') {
    const shape = await npyShape(dir, m.tokenEmbedding);
    if (typeof shape === 'string') problems.push(`'${m.tokenEmbedding}': ${shape}`);
    else if (shape.length !== 2) problems.push(`'${m.tokenEmbedding}' must be [vocab, dim] but is [${shape.join(', ')}]`);
    else {
      const width = lastDim(m.models.text_encoder, 'inputs', 'inputs_embeds');
      if (typeof width === 'number' && width !== shape[1]) {
        problems.push(`'${m.tokenEmbedding}' vectors are ${shape[1]} wide but the text encoder takes ${width}`);
      }
    }
    try {
      const tok = JSON.parse(await fsp.readFile(join(dir, m.tokenizer), 'utf8')) as { model?: unknown };
      if (!tok || typeof tok !== 'object' || !tok.model) problems.push(`'${m.tokenizer}' is not a tokenizer.json (no model)`);
    } catch (e) {
      problems.push(`'${m.tokenizer}' is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (m.kind === 'gaa-concepts') {
    for (const c of m.clusters) {
      const shape = await npyShape(dir, c.ef);
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

/** Validates the pack unpacked at `dir`; resolves to its manifest or throws PackError listing every problem found. */
export async function validatePackDir(dir: string): Promise<PackManifest> {
  const m = await readManifest(dir);
  const listing = checkListing(m);
  if (listing.length > 0) throw new PackError(listing);
  const files = await checkFiles(dir, m);
  if (files.length > 0) throw new PackError(files);
  const rest = [...(await checkModels(dir, m.models)), ...(await checkArrays(dir, m))];
  if (rest.length > 0) throw new PackError(rest);
  return m;
}
