/**
 * The concept-training bundle (METHOD.md §2): per category, the few-shot (image, mask) pairs of
 * every cluster with a JSON config, for training e_f and the position encoder outside the
 * workbench (masked LDM loss, paper Eq. 3-4). The trainer returns a `gaa-concepts` pack. This
 * file says what the bundle holds; io/export-writer/concept-bundle.ts writes it like an export.
 */
import { extensionOf, fileNameOf } from '../dataset/names';
import { packJsonSchemas } from '../onnx/pack-schema';
import { sanitiseSegment } from './names';

export const CONCEPT_BUNDLE_FORMAT = 'gaa-concept-bundle';
export const CONCEPT_BUNDLE_VERSION = 1;

/** METHOD.md §2 / paper App. B.1: e_f is 8 token vectors, e_p 4, spliced in for A* in "a photo of A*". */
export const FEATURE_TOKENS = 8;
export const POSITION_TOKENS = 4;
export const PLACEHOLDER = 'A*';
export const PROMPT = 'a photo of A*';
/** Stable Diffusion 1.x's native square side, at which the workbench runs the UNet and VAE. */
export const SD15_RESOLUTION = 512;
/** Width of a CLIP ViT-L/14 token embedding, the text encoder of SD 1.x. */
export const SD15_EMBEDDING_DIM = 768;

export interface ConceptBundleMember {
  /** Absolute path of the few-shot anomaly image (copied byte for byte). */
  image: string;
  /** Absolute path of the project's binarised mask of it (a 1-channel 0/255 PNG, copied byte for byte). */
  mask: string;
  /** The image's path inside the imported dataset, for the trainer's logs. */
  relPath: string;
  defectType: string;
}

export interface ConceptBundleCluster {
  /** The project's cluster id, as the concept pack's `clusters[].id` must give it back. */
  id: string;
  name: string;
  kind: 'structural' | 'logical' | 'combined';
  members: ConceptBundleMember[];
}

export interface ConceptBundleRequest {
  /** Destination chosen by the user (created if missing); the bundle is a folder inside it. */
  outDir: string;
  category: string;
  clusters: ConceptBundleCluster[];
  /** Folder name inside outDir; default `<category>-concept-bundle`. */
  name?: string;
  project?: string;
}

export interface ConceptBundleResult {
  root: string;
  files: number;
  clusters: { id: string; name: string; members: number }[];
}

interface BundleMemberJson {
  image: string;
  mask: string;
  source: string;
  defectType: string;
}

export interface ConceptBundleJson {
  format: typeof CONCEPT_BUNDLE_FORMAT;
  formatVersion: number;
  createdAt: string;
  project: string | null;
  category: string;
  resolution: number;
  featureTokens: number;
  positionTokens: number;
  placeholder: string;
  prompt: string;
  masks: string;
  preprocessing: { image: string; mask: string };
  training: { batchSize: number; learningRate: number; steps: number; source: string };
  clusters: { id: string; name: string; kind: string; members: BundleMemberJson[] }[];
  expectedPack: {
    kind: 'gaa-concepts';
    manifest: string;
    schema: string;
    embeddingDim: number;
    featureTokens: number;
    positionTokens: number;
    clusters: { id: string; ef: string; shape: [number, number] }[];
    positionEncoder: {
      file: string;
      inputs: { name: string; dtype: string; shape: (number | string)[] }[];
      outputs: { name: string; dtype: string; shape: (number | string)[] }[];
    };
  };
}

export function checkBundleRequest(req: ConceptBundleRequest): void {
  if (req.clusters.length === 0) throw new Error(`category '${req.category}' has no clusters: run the clustering first`);
  const ids = new Set<string>();
  for (const c of req.clusters) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(c.id)) throw new Error(`cluster id '${c.id}' cannot be a folder name`);
    if (ids.has(c.id)) throw new Error(`cluster id '${c.id}' appears twice`);
    ids.add(c.id);
    if (c.members.length === 0) throw new Error(`cluster '${c.name}' (${c.id}) has no few-shot members`);
  }
}

/** `clusters/<id>/images/003_<stem>.<ext>`: numbered so two members with the same file name never collide. */
function memberFiles(clusterId: string, index: number, m: ConceptBundleMember): { image: string; mask: string } {
  const base = fileNameOf(m.relPath);
  const ext = extensionOf(fileNameOf(m.image)).toLowerCase() || '.png';
  const stem = sanitiseSegment(base.slice(0, base.length - extensionOf(base).length), 'image');
  const n = String(index).padStart(3, '0');
  return { image: `clusters/${clusterId}/images/${n}_${stem}${ext}`, mask: `clusters/${clusterId}/masks/${n}_${stem}.png` };
}

export function bundleJson(req: ConceptBundleRequest, createdAt: string): ConceptBundleJson {
  return {
    format: CONCEPT_BUNDLE_FORMAT,
    formatVersion: CONCEPT_BUNDLE_VERSION,
    createdAt,
    project: req.project ?? null,
    category: req.category,
    resolution: SD15_RESOLUTION,
    featureTokens: FEATURE_TOKENS,
    positionTokens: POSITION_TOKENS,
    placeholder: PLACEHOLDER,
    prompt: PROMPT,
    masks: 'single-channel PNG, same size as its image; 255 = anomaly, 0 = background',
    preprocessing: {
      image: `RGB (gray replicated), the whole image resized to ${SD15_RESOLUTION}×${SD15_RESOLUTION} (stretched, not cropped), scaled to [-1, 1], NCHW`,
      mask: 'nearest-sampled to maskSize×maskSize, values 0/1, float32 [1, 1, maskSize, maskSize]',
    },
    training: { batchSize: 4, learningRate: 0.005, steps: 310000, source: 'paper App. B.1 (MVTec AD); a starting point, not a requirement' },
    clusters: req.clusters.map((c) => ({
      id: c.id,
      name: c.name,
      kind: c.kind,
      members: c.members.map((m, i) => ({ ...memberFiles(c.id, i, m), source: m.relPath, defectType: m.defectType })),
    })),
    expectedPack: {
      kind: 'gaa-concepts',
      manifest: 'pack.json',
      schema: 'gaa-concepts.schema.json',
      embeddingDim: SD15_EMBEDDING_DIM,
      featureTokens: FEATURE_TOKENS,
      positionTokens: POSITION_TOKENS,
      clusters: req.clusters.map((c) => ({ id: c.id, ef: `e_f/${c.id}.npy`, shape: [FEATURE_TOKENS, SD15_EMBEDDING_DIM] })),
      positionEncoder: {
        file: 'position_encoder.onnx',
        inputs: [{ name: 'mask', dtype: 'float32', shape: [1, 1, 'maskSize', 'maskSize'] }],
        outputs: [{ name: 'e_p', dtype: 'float32', shape: [1, POSITION_TOKENS, SD15_EMBEDDING_DIM] }],
      },
    },
  };
}

export function bundleReadme(doc: ConceptBundleJson): string {
  const clusterLines = doc.clusters.map((c) => `| \`${c.id}\` | ${c.name} | ${c.kind} | ${c.members.length} |`).join('\n');
  return `# GAA concept-training bundle: ${doc.category}

Written by GAA Workbench (format \`${doc.format}\` version ${doc.formatVersion}, ${doc.createdAt}).
It holds what an external trainer needs to learn the category's anomaly concepts
(Localized Concept Decomposition, paper §3.2, Eq. 3-4: masked latent-diffusion loss with
textual inversion). Training needs a GPU and a training framework; the workbench only runs
the result.

## What is in this folder

- \`bundle.json\`: the machine-readable config (below).
- \`clusters/<id>/images/\`: each cluster's few-shot anomaly images, copied unchanged.
- \`clusters/<id>/masks/\`: the matching masks, same file stem, single-channel PNG,
  255 = anomaly, 0 = background, same size as the image.
- \`gaa-concepts.schema.json\`: the JSON Schema of the \`pack.json\` to return.

| cluster id | name | kind | pairs |
|---|---|---|---|
${clusterLines}

## bundle.json

- \`resolution\` (${doc.resolution}): the square side the Stable Diffusion 1.x UNet and VAE run at.
  Images: ${doc.preprocessing.image}.
- \`featureTokens\` (${doc.featureTokens}) and \`positionTokens\` (${doc.positionTokens}): per cluster a
  feature-focused embedding e_f of ${doc.featureTokens} token vectors; one position encoder E shared by
  all clusters maps a mask to e_p, ${doc.positionTokens} token vectors. Mask input: ${doc.preprocessing.mask}.
- \`prompt\` ("${doc.prompt}") with \`placeholder\` "${doc.placeholder}": at inference the placeholder's
  token is replaced by the ${doc.featureTokens + doc.positionTokens} vectors {e_f, e_p}, in that order.
- \`clusters[]\`: \`id\` (the project's cluster id; the pack must use exactly these ids), \`name\`,
  \`kind\` (structural / logical / combined) and \`members[]\` (\`image\`, \`mask\`: paths in this
  folder; \`source\`: the path in the original dataset; \`defectType\`).
- \`training\`: the paper's settings (batch 4, learning rate 5e-3, 310k steps), a starting point.
- \`expectedPack\`: the layout of the pack to produce.

## The pack to produce: \`gaa-concepts\`

A folder (or a zip of it) with:

- \`pack.json\` (see \`gaa-concepts.schema.json\`): \`name\`, \`kind: "gaa-concepts"\`, \`version\`,
  \`licence\`, \`embeddingDim\` (${doc.expectedPack.embeddingDim} for SD 1.x), \`maskSize\` (the position
  encoder's input side), \`featureTokens: ${doc.featureTokens}\`, \`positionTokens: ${doc.positionTokens}\`,
  \`baseModel\` (the sd15-onnx pack trained against), \`clusters: [{ "id", "name", "ef" }]\`, \`models\`
  with \`position_encoder\` (its file, inputs and outputs), and \`files\`: every file with its sha256.
- \`e_f/<cluster id>.npy\`: float32 array [${doc.featureTokens}, embeddingDim], one per cluster.
- \`position_encoder.onnx\`: input \`mask\` float32 [1, 1, maskSize, maskSize], output \`e_p\` float32
  [1, ${doc.positionTokens}, embeddingDim].

Import it with \`gaa concepts import --project P --category ${doc.category} --pack PATH\`. The workbench
refuses a pack naming a cluster id the project does not have, or whose arrays have the wrong
shape; clusters the pack leaves out can still use the built-in exemplar generator. Clustering
again gives new cluster ids: export a new bundle after re-clustering.
`;
}

/** Every file of the bundle that is not a copied member, by its path inside the bundle; bundle.json last. */
export function bundleDocuments(doc: ConceptBundleJson): [string, string][] {
  return [
    ['gaa-concepts.schema.json', `${JSON.stringify(packJsonSchemas()['gaa-concepts'], null, 2)}\n`],
    ['README.md', bundleReadme(doc)],
    ['bundle.json', `${JSON.stringify(doc, null, 2)}\n`],
  ];
}
