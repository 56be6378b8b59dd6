/**
 * A cluster's anomaly concept at inference (§3.4): its feature-focused embedding e_f (from
 * the concept pack) and the position-focused embedding e_p = E(M_align) of the aligned mask,
 * concatenated {e_f, e_p} in that order.
 */
import type { Mask } from '../image/raster';
import { readNpy } from './npy';
import type { ConceptsPack } from './packs';
import { tensor, type OpenedSession, type PackRuntime } from './runtime';
import { maskToEncoderInput } from './tensor-image';

export interface ConceptModel {
  clusterId: string;
  embeddingDim: number;
  featureTokens: number;
  positionTokens: number;
  /** e_f, [featureTokens × embeddingDim], row-major. */
  ef: Float32Array;
  positionEncoder: OpenedSession;
  maskSize: number;
}

export async function loadConcept(runtime: PackRuntime, pack: ConceptsPack, clusterId: string, positionEncoder: OpenedSession): Promise<ConceptModel> {
  const m = pack.manifest;
  const cluster = m.clusters.find((c) => c.id === clusterId);
  if (!cluster) throw new Error(`concept pack '${pack.name}' has no cluster '${clusterId}' (it has ${m.clusters.map((c) => c.id).join(', ')})`);
  const ef = readNpy(await runtime.readFile(pack.dir, cluster.ef));
  if (ef.shape.length !== 2 || ef.shape[0] !== m.featureTokens || ef.shape[1] !== m.embeddingDim) {
    throw new Error(`e_f of cluster '${clusterId}' is [${ef.shape.join(', ')}], expected [${m.featureTokens}, ${m.embeddingDim}]`);
  }
  return {
    clusterId,
    embeddingDim: m.embeddingDim,
    featureTokens: m.featureTokens,
    positionTokens: m.positionTokens,
    ef: ef.data,
    positionEncoder,
    maskSize: m.maskSize,
  };
}

/** {e_f, e_p} for one aligned mask: [(featureTokens + positionTokens) × embeddingDim]. */
export async function conceptVectors(concept: ConceptModel, alignedMask: Mask): Promise<Float32Array> {
  const s = concept.maskSize;
  const feeds = { mask: tensor('float32', maskToEncoderInput(alignedMask, s), [1, 1, s, s]) };
  const result = await concept.positionEncoder.session.run(feeds);
  const ep = result.e_p.data as Float32Array;
  const want = concept.positionTokens * concept.embeddingDim;
  if (ep.length !== want) throw new Error(`the position encoder gave ${ep.length} values for e_p, expected ${want}`);
  const out = new Float32Array(concept.ef.length + want);
  out.set(concept.ef, 0);
  out.set(ep, concept.ef.length);
  return out;
}
