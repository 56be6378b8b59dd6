/**
 * Which regions are drawn on only some of the labelled images. Propagation learns from every
 * labelled image, and one that does not label a region says the region is absent there (an
 * empty mask), so a region left out of some exemplars teaches "absent" where it is present: its
 * propagated confidence drops (0.95 to 0.75 in issue 12) with no other sign.
 */
import type { RegionState } from '../../../src-main/api/contract';

export interface PartialRegion {
  region: string;
  /** Labelled images that have this region. */
  labelledOn: number;
  /** Labelled images in all. */
  of: number;
  /** The labelled images without it (their paths). */
  missingOn: string[];
}

export function partlyLabelledRegions(state: Pick<RegionState, 'regions' | 'labelled'>): PartialRegion[] {
  const out: PartialRegion[] = [];
  for (const r of state.regions) {
    const missingOn = state.labelled.filter((l) => !l.regions.includes(r.name)).map((l) => l.relPath);
    const labelledOn = state.labelled.length - missingOn.length;
    if (labelledOn > 0 && missingOn.length > 0) out.push({ region: r.name, labelledOn, of: state.labelled.length, missingOn });
  }
  return out;
}
