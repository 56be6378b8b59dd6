import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { PackError } from '../../../../src-main/core/onnx/packs';
import { packJsonSchemas } from '../../../../src-main/core/onnx/pack-schema';
import { installPack, listPacks, removePack } from '../../../../src-main/io/packs';
import { unetModel } from '../../core/onnx/tiny-models';
import { DIM, SIZE, writeBackbonePack, writeConceptsPack, writeSd15Pack, writeSegmenterPack } from '../../core/onnx/tiny-packs';

const root = mkdtempSync(join(tmpdir(), 'gaa-packs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (label: string): string => join(root, `${label}-${n++}`);

/** Everything under a folder, as relative paths (hidden staging folders included). */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true }).map(String).sort();
}

async function refusal(source: string, packsDir: string): Promise<string> {
  try {
    await installPack(source, packsDir);
  } catch (e) {
    expect(e).toBeInstanceOf(PackError);
    return (e as Error).message;
  }
  throw new Error('the pack was accepted');
}

/** Zips a folder's files under `prefix`, as a user compressing the pack folder would. */
function zipFolder(dir: string, prefix = ''): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const rel of readdirSync(dir, { recursive: true }).map(String)) {
    const full = join(dir, rel);
    try {
      entries[prefix + rel.split('\\').join('/')] = readFileSync(full);
    } catch {
      // folders
    }
  }
  return zipSync(entries);
}

describe('model pack install', () => {
  it('installs each kind from a folder and lists it', async () => {
    const packs = fresh('packs');
    await installPack(writeSd15Pack(fresh('sd')), packs);
    await installPack(writeConceptsPack(fresh('cp')), packs);
    await installPack(writeBackbonePack(fresh('bb')), packs);
    const seg = await installPack(writeSegmenterPack(fresh('seg')), packs);
    expect(seg.dir).toBe(join(packs, 'tiny-segmenter'));
    const listing = await listPacks(packs);
    expect(listing.packs.map((p) => [p.name, p.kind])).toEqual([
      ['tiny-backbone', 'backbone'],
      ['tiny-concepts', 'gaa-concepts'],
      ['tiny-sd15', 'sd15-onnx'],
      ['tiny-segmenter', 'segmenter'],
    ]);
    expect(listing.broken).toEqual([]);
    expect(readdirSync(packs).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('installs from a zip, flat or with the pack folder inside', async () => {
    const packs = fresh('packs');
    const flat = join(root, `flat-${n++}.zip`);
    writeFileSync(flat, zipFolder(writeConceptsPack(fresh('cp'))));
    const a = await installPack(flat, packs);
    expect(a.name).toBe('tiny-concepts');
    const nested = join(root, `nested-${n++}.zip`);
    writeFileSync(nested, zipFolder(writeSd15Pack(fresh('sd')), 'tiny-sd15/'));
    const b = await installPack(nested, packs);
    expect(b.kind).toBe('sd15-onnx');
    expect(readFileSync(join(b.dir, 'unet/model.onnx'))).toEqual(Buffer.from(unetModel(DIM, SIZE / 8)));
    expect(readdirSync(packs).sort()).toEqual(['tiny-concepts', 'tiny-sd15']);
  });

  it('refuses a file whose size or sha256 differs, naming the file, and installs nothing', async () => {
    const packs = fresh('packs');
    const src = writeSd15Pack(fresh('sd'));
    writeFileSync(join(src, 'token_embedding.npy'), readFileSync(join(src, 'token_embedding.npy')).subarray(0, 128));
    const src2 = writeSd15Pack(fresh('sd'), (m) => {
      const files = m.files as { path: string; sha256: string; bytes?: number }[];
      const f = files.find((x) => x.path === 'vae_decoder/model.onnx')!;
      f.sha256 = '0'.repeat(64);
    });
    const sizeMsg = await refusal(src, packs);
    expect(sizeMsg).toMatch(/'token_embedding\.npy' is 128 bytes but pack\.json says \d+/);
    const hashMsg = await refusal(src2, packs);
    expect(hashMsg).toMatch(/file 'vae_decoder\/model\.onnx' has sha256 [0-9a-f]{64} but pack\.json says 0{64}/);
    expect(tree(packs)).toEqual([]);
  });

  it('refuses a missing file, naming it', async () => {
    const packs = fresh('packs');
    const src = writeConceptsPack(fresh('cp'));
    rmSync(join(src, 'e_f/crack-2.npy'));
    expect(await refusal(src, packs)).toMatch(/file 'e_f\/crack-2\.npy' is missing/);
    expect(tree(packs)).toEqual([]);
  });

  it("refuses a pack.json path with '..' or an absolute path", async () => {
    const packs = fresh('packs');
    const dotdot = writeConceptsPack(fresh('cp'), (m) => {
      (m.clusters as { ef: string }[])[0].ef = '../outside.npy';
    });
    expect(await refusal(dotdot, packs)).toMatch(/path '\.\.\/outside\.npy' contains '\.\.'/);
    const absolute = writeConceptsPack(fresh('cp'), (m) => {
      (m.files as { path: string }[])[0].path = '/etc/passwd';
    });
    expect(await refusal(absolute, packs)).toMatch(/path '\/etc\/passwd' is absolute/);
    expect(tree(packs)).toEqual([]);
  });

  it("refuses a zip entry that would land outside the pack (zip-slip) and writes nothing", async () => {
    const packs = join(fresh('area'), 'packs');
    const zip = join(root, `slip-${n++}.zip`);
    writeFileSync(zip, zipSync({ 'pack.json': new TextEncoder().encode('{}'), '../escaped.txt': new TextEncoder().encode('x') }));
    expect(await refusal(zip, packs)).toMatch(/zip entry '\.\.\/escaped\.txt' contains '\.\.'/);
    expect(existsSync(join(packs, '..', 'escaped.txt'))).toBe(false);
    expect(existsSync(join(packs, 'escaped.txt'))).toBe(false);
    expect(tree(packs)).toEqual([]);
  });

  it('refuses a model whose input names differ from pack.json, naming both', async () => {
    const packs = fresh('packs');
    const src = writeSd15Pack(fresh('sd'));
    // The real UNet here calls its timestep input 't'; pack.json still says 'timestep'.
    writeFileSync(join(src, 'unet/model.onnx'), unetModel(DIM, SIZE / 8, 'int64', 77, ['sample', 't', 'encoder_hidden_states']));
    const m = JSON.parse(readFileSync(join(src, 'pack.json'), 'utf8')) as { files: { path: string; sha256: string; bytes: number }[] };
    const { createHash } = await import('node:crypto');
    const bytes = readFileSync(join(src, 'unet/model.onnx'));
    const entry = m.files.find((f) => f.path === 'unet/model.onnx')!;
    entry.sha256 = createHash('sha256').update(bytes).digest('hex');
    entry.bytes = bytes.length;
    writeFileSync(join(src, 'pack.json'), JSON.stringify(m));
    const msg = await refusal(src, packs);
    expect(msg).toContain("model 'unet' has no input 'timestep' (its inputs are sample, t, encoder_hidden_states)");
    expect(msg).toContain("model 'unet' has input 't', which pack.json does not declare");
    expect(tree(packs)).toEqual([]);
  });

  it('refuses a dtype that differs from the model and a kind missing a required role', async () => {
    const packs = fresh('packs');
    const wrongDtype = writeSd15Pack(fresh('sd'), (m) => {
      const unet = (m.models as Record<string, { inputs: { name: string; dtype: string }[] }>).unet;
      unet.inputs.find((t) => t.name === 'timestep')!.dtype = 'float32';
    });
    expect(await refusal(wrongDtype, packs)).toContain("model 'unet' input 'timestep' is int64 but pack.json says float32");
    const noVae = writeSd15Pack(fresh('sd'), (m) => {
      delete (m.models as Record<string, unknown>).vae_encoder;
    });
    expect(await refusal(noVae, packs)).toContain("kind 'sd15-onnx' needs a model with role 'vae_encoder'");
    expect(tree(packs)).toEqual([]);
  });

  it("refuses a segmenter whose prompt decoder lacks SAM's 'masks' output, which the Segment tool reads", async () => {
    const packs = fresh('packs');
    const renamed = writeSegmenterPack(fresh('seg'), (m) => {
      (m.models as Record<string, { outputs: { name: string }[] }>).prompt_decoder.outputs[0].name = 'logits';
    });
    expect(await refusal(renamed, packs)).toContain("model 'prompt_decoder' must have output 'masks' (pack.json declares logits)");
    expect(tree(packs)).toEqual([]);
  });

  it('refuses a second pack of the same name unless asked to replace it', async () => {
    const packs = fresh('packs');
    await installPack(writeBackbonePack(fresh('bb')), packs);
    expect(await refusal(writeBackbonePack(fresh('bb')), packs)).toMatch(/already installed/);
    const again = await installPack(writeBackbonePack(fresh('bb')), packs, { replace: true });
    expect(again.name).toBe('tiny-backbone');
    expect(readdirSync(packs)).toEqual(['tiny-backbone']);
  });

  it('removes an installed pack and refuses names that are not pack names', async () => {
    const packs = fresh('packs');
    await installPack(writeBackbonePack(fresh('bb')), packs);
    await removePack(packs, 'tiny-backbone');
    expect(readdirSync(packs)).toEqual([]);
    await expect(removePack(packs, '../packs')).rejects.toThrow(/not a pack name/);
    await expect(removePack(packs, 'tiny-backbone')).rejects.toThrow(/no pack named/);
  });

  it('keeps the JSON Schema files in resources/pack-schemas in step with the validators', () => {
    const schemas = packJsonSchemas();
    for (const [kind, schema] of Object.entries(schemas)) {
      const file = join(__dirname, '../../../../resources/pack-schemas', `${kind}.schema.json`);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(JSON.parse(JSON.stringify(schema)));
    }
  });
});
