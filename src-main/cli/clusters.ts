/**
 * `gaa clusters list|rename|merge|set-rule|set-kind|lock` and `gaa regions list`: the same
 * contract requests the Clusters screen makes (clusters.get / rename / merge / setRule /
 * setLock, regions.get), so a script can give a cluster its kind, its placement rule and the
 * region that rule uses.
 */
import type { AnomalyKindChoice, ApiClient, ClusterState, ClusterSummary, MaskSizeReference, PlacementMode, PlacementRule } from '../api/contract';
import { MASK_SIZE_REFERENCES, SMALL_CLUSTER } from '../api/limits';
import { allocateCounts, type Allocation } from '../core/masks/allocation';

export class ClustersUsageError extends Error {}

/** The placement modes each kind allows, as the Clusters screen offers them (METHOD.md §3). */
export const MODES_BY_KIND: Record<AnomalyKindChoice, PlacementMode[]> = {
  structural: ['learned', 'inside', 'edge', 'centreline'],
  logical: ['logical'],
  combined: ['combined'],
};
const KINDS = Object.keys(MODES_BY_KIND) as AnomalyKindChoice[];

export interface ClusterListing {
  category: string;
  clusters: {
    id: number;
    name: string;
    size: number;
    /** Fewer than 3 members: its pairs repeat one or two exemplars. */
    small: boolean;
    locked: boolean;
    kind: AnomalyKindChoice;
    rule: PlacementRule;
    /** Share of the pairs it gets with the default (proportional) allocation. */
    share: number;
    defectTypes: Record<string, number>;
    members: { imageId: number; path: string; defectType: string }[];
  }[];
  /** The category's region names, for `--region`. */
  regions: string[];
  warnings: string[];
  canUndo: boolean;
}

export interface ClustersOptions {
  name?: string;
  mode?: string;
  kind?: string;
  region?: string;
  unlock?: boolean;
  alpha?: string;
  perturbation?: string;
  rotation?: string;
  'overlap-limit'?: string;
  size?: string;
}

/** The warnings a listing carries for clusters under SMALL_CLUSTER members. */
export function smallClusterWarnings(clusters: readonly { name: string; size: number }[]): string[] {
  return clusters
    .filter((c) => c.size > 0 && c.size < SMALL_CLUSTER)
    .map(
      (c) =>
        `cluster "${c.name}" has only ${c.size} member${c.size === 1 ? '' : 's'}: its pairs repeat ${c.size === 1 ? 'one exemplar' : 'two exemplars'}; merge it, or give it fewer pairs (the default allocation is by cluster size)`,
    );
}

/** Each cluster's share of the pairs under an allocation (3 decimals). */
export function allocationShares(clusters: readonly { size: number }[], allocation: Allocation): number[] {
  const sizes = clusters.map((c) => c.size);
  const scale = 1000;
  return allocateCounts(scale, sizes, allocation).map((n) => n / scale);
}

export function clusterListing(category: string, state: ClusterState, regions: string[]): ClusterListing {
  const shares = allocationShares(state.clusters, 'proportional');
  return {
    category,
    clusters: state.clusters.map((c, i) => ({
      id: c.id,
      name: c.name,
      size: c.size,
      small: c.size < SMALL_CLUSTER,
      locked: c.locked,
      kind: c.kind,
      rule: c.rule,
      share: shares[i],
      defectTypes: c.members.reduce<Record<string, number>>((acc, m) => ({ ...acc, [m.defectType]: (acc[m.defectType] ?? 0) + 1 }), {}),
      members: c.members.map((m) => ({ imageId: m.imageId, path: m.relPath, defectType: m.defectType })),
    })),
    regions,
    warnings: smallClusterWarnings(state.clusters),
    canUndo: state.canUndo,
  };
}

export function humanListing(l: ClusterListing): string {
  const lines = [`${l.category}: ${l.clusters.length} clusters`];
  for (const c of l.clusters) {
    const types = Object.entries(c.defectTypes)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ');
    lines.push(
      `  #${c.id} ${c.name}: ${c.size} member(s) [${types}], ${c.kind} / ${c.rule.mode}${c.rule.region ? ` in "${c.rule.region}"` : ''}` +
        `${c.locked ? ', locked' : ''}, ${(100 * c.share).toFixed(1)} % of the pairs${c.small ? '  (small)' : ''}`,
    );
  }
  lines.push(`  regions: ${l.regions.length ? l.regions.join(', ') : '(none: the implicit region is used)'}`);
  for (const w of l.warnings) lines.push(`  warning: ${w}`);
  return lines.join('\n');
}

/** A cluster given by id or by name, within the category. */
export function findCluster(state: ClusterState, ref: string | undefined): ClusterSummary {
  if (ref === undefined || ref === '') throw new ClustersUsageError('name the cluster (its id or its name)');
  const byId = /^\d+$/.test(ref) ? state.clusters.find((c) => c.id === Number(ref)) : undefined;
  const found = byId ?? state.clusters.find((c) => c.name === ref);
  if (!found) {
    throw new Error(`no cluster "${ref}" in this category (it has: ${state.clusters.map((c) => `#${c.id} ${c.name}`).join(', ') || 'none'})`);
  }
  return found;
}

function number01(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!(n >= 0 && n <= 1)) throw new ClustersUsageError(`--${name} must be a number from 0 to 1`);
  return n;
}

function rotationOption(raw: string | undefined): [number, number] | undefined {
  if (raw === undefined) return undefined;
  const parts = raw.split(',').map((x) => Number(x.trim()));
  if (parts.length !== 2 || parts.some((x) => !(x >= -180 && x <= 180)) || parts[0] > parts[1]) {
    throw new ClustersUsageError('--rotation must be two angles in degrees, low,high, within -180..180 (e.g. -30,30)');
  }
  return [parts[0], parts[1]];
}

async function regionNames(api: ApiClient, categoryId: number): Promise<string[]> {
  return (await api.call('regions.get', { categoryId })).regions.map((r) => r.name);
}

/**
 * The rule a region option names: `implicit` or empty is the category's implicit region; any
 * other name must be one of the category's regions (drawn, imported or propagated).
 */
async function regionOption(api: ApiClient, categoryId: number, raw: string | undefined, current: string | null): Promise<string | null> {
  if (raw === undefined) return current;
  const r = raw.trim();
  if (r === '' || r === 'implicit') return null;
  const known = await regionNames(api, categoryId);
  if (!known.includes(r)) {
    throw new Error(
      `no region "${r}" in this category (it has: ${known.join(', ') || 'none'}); label them in the app or with \`gaa regions import\`, or use --region implicit`,
    );
  }
  return r;
}

/** Runs one `clusters` subcommand; every edit answers with the listing as it is afterwards. */
export async function clustersCommand(
  api: ApiClient,
  category: { id: number; name: string },
  args: string[],
  opts: ClustersOptions,
): Promise<{ doc: unknown; human: string }> {
  const [sub, ...rest] = args;
  const state = await api.call('clusters.get', { categoryId: category.id });
  const answer = async (next: ClusterState, did: string) => {
    const listing = clusterListing(category.name, next, await regionNames(api, category.id));
    return { doc: { ...listing, did }, human: `${did}\n${humanListing(listing)}` };
  };
  const noMore = (n: number) => {
    if (rest.length > n) throw new ClustersUsageError(`clusters ${sub}: unexpected argument "${rest[n]}"`);
  };
  switch (sub) {
    case 'list': {
      noMore(0);
      const listing = clusterListing(category.name, state, await regionNames(api, category.id));
      return { doc: listing, human: humanListing(listing) };
    }
    case 'rename': {
      noMore(2);
      const c = findCluster(state, rest[0]);
      const name = rest[1] ?? opts.name;
      if (!name) throw new ClustersUsageError('clusters rename <cluster> <new name>');
      return answer(await api.call('clusters.rename', { clusterId: c.id, name }), `Renamed "${c.name}" to "${name}"`);
    }
    case 'merge': {
      if (rest.length < 2) throw new ClustersUsageError('clusters merge <cluster> <cluster> [...] [--name NAME]');
      const clusters = rest.map((r) => findCluster(state, r));
      const next = await api.call('clusters.merge', { clusterIds: clusters.map((c) => c.id), ...(opts.name ? { name: opts.name } : {}) });
      return answer(next, `Merged ${clusters.map((c) => `"${c.name}"`).join(', ')} into #${clusters[0].id}`);
    }
    case 'set-kind': {
      noMore(2);
      const c = findCluster(state, rest[0]);
      const kind = (rest[1] ?? opts.kind) as AnomalyKindChoice | undefined;
      if (!kind || !KINDS.includes(kind)) throw new ClustersUsageError(`clusters set-kind <cluster> ${KINDS.join('|')}`);
      // As the Clusters screen: the mode is kept when the new kind allows it, else the kind's first.
      const allowed = MODES_BY_KIND[kind];
      const mode = allowed.includes(c.rule.mode) ? c.rule.mode : allowed[0];
      const rule = { ...c.rule, mode, region: await regionOption(api, category.id, opts.region, c.rule.region) };
      return answer(await api.call('clusters.setRule', { clusterId: c.id, kind, rule }), `"${c.name}" is ${kind} (placement ${mode})`);
    }
    case 'set-rule': {
      noMore(1);
      const c = findCluster(state, rest[0]);
      const mode = (opts.mode ?? c.rule.mode) as PlacementMode;
      const allowed = MODES_BY_KIND[c.kind];
      if (!allowed.includes(mode)) {
        throw new ClustersUsageError(
          `a ${c.kind} cluster is placed ${allowed.join(' | ')}, not "${mode}"${c.kind === 'structural' ? '' : ' (change its kind with clusters set-kind)'}`,
        );
      }
      const rule: PlacementRule = { ...c.rule, mode, region: await regionOption(api, category.id, opts.region, c.rule.region) };
      const alpha = number01('alpha', opts.alpha);
      const perturbation = number01('perturbation', opts.perturbation);
      const overlapLimit = number01('overlap-limit', opts['overlap-limit']);
      const rotation = rotationOption(opts.rotation);
      if (alpha !== undefined) rule.alpha = alpha;
      if (perturbation !== undefined) rule.perturbation = perturbation;
      if (overlapLimit !== undefined) rule.overlapLimit = overlapLimit;
      if (rotation !== undefined) rule.rotation = rotation;
      if (opts.size !== undefined) {
        if (!(MASK_SIZE_REFERENCES as readonly string[]).includes(opts.size)) throw new ClustersUsageError(`--size is ${MASK_SIZE_REFERENCES.join(' or ')}, not "${opts.size}"`);
        rule.size = opts.size as MaskSizeReference;
      }
      const next = await api.call('clusters.setRule', { clusterId: c.id, kind: c.kind, rule });
      return answer(next, `"${c.name}" is placed ${mode} in ${rule.region === null ? 'the implicit region' : `"${rule.region}"`}`);
    }
    case 'lock': {
      noMore(1);
      const c = findCluster(state, rest[0]);
      const locked = !opts.unlock;
      return answer(await api.call('clusters.setLock', { clusterId: c.id, locked }), `"${c.name}" ${locked ? 'locked' : 'unlocked'}`);
    }
    default:
      throw new ClustersUsageError('clusters needs a subcommand: list, rename, merge, set-rule, set-kind or lock');
  }
}

/** `gaa regions list`: the category's regions and how many images carry each. */
export async function regionsListing(api: ApiClient, category: { id: number; name: string }): Promise<{ doc: unknown; human: string }> {
  const state = await api.call('regions.get', { categoryId: category.id });
  const labelledBy = new Map<string, number>();
  for (const l of state.labelled) for (const r of l.regions) labelledBy.set(r, (labelledBy.get(r) ?? 0) + 1);
  const regions = state.regions.map((r) => ({ id: r.id, name: r.name, colour: r.colour, labelled: labelledBy.get(r.name) ?? 0 }));
  const doc = { category: category.name, regions, labelled: state.labelled.length, propagated: state.propagated.length };
  const human = [
    `${category.name}: ${regions.length} region(s); ${state.labelled.length} image(s) labelled, ${state.propagated.length} propagated`,
    ...regions.map((r) => `  ${r.name} (labelled on ${r.labelled})`),
    '  Use one in a rule: gaa clusters set-rule <cluster> --mode edge --region <name>',
  ].join('\n');
  return { doc, human };
}
