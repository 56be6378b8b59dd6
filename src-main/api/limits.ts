/**
 * Size limits every front shares, in one place (zod-free: the host, the contract and the UI read
 * it). A request the contract accepts fits the web host's body cap, so Electron and the browser
 * accept the same requests.
 */
import type { MaskSizeReference } from './types';

/** The largest request, JSON-encoded; a drawn region mask at 16k × 16k is a few MiB of base64 PNG. */
export const MAX_REQUEST_BYTES = 64 * 1024 * 1024;

/** The largest message the web host reads from its push-only event socket. */
export const MAX_SOCKET_MESSAGE_BYTES = 64 * 1024;

/** The most items one page of a listing returns. */
export const MAX_PAGE_ITEMS = 2000;

/**
 * Default share of an export's pairs that are (flipped copies of) the real few-shot pairs. Half,
 * so the real defects keep shaping what is learnt and the synthetic ones add their variety: the
 * in-app value check (2 seeds) on devdata tire rose from 3.9 to 6.3 pixel AP going from about a
 * fifth to half (real pairs alone 5.6), commutator and macaroni1 moved within ±1.1.
 */
export const DEFAULT_REAL_SHARE = 0.5;

/** Clusters with fewer members than this are flagged (CLI JSON, Clusters screen): their pairs repeat one or two exemplars. */
export const SMALL_CLUSTER = 3;

/**
 * A generated pair's label must show its defect (METHOD.md §2b), read by the export and Review:
 * at least this share of the mask's pixels changed by more than 8 grey levels...
 */
export const MIN_VISIBLE_INSIDE = 0.1;

/**
 * The export's optional contrast floor ("leave out faint pairs", `minContrast`): a pair whose
 * defect's contrast to the surface is under this fraction of its cluster's median exemplar's is
 * a faint label (a thin mark that the mixed-gradient solve mostly gave back to the target's
 * grain) that can teach a segmenter to flag plain texture. Off by default (0): see the README
 * for what it did downstream.
 */
export const FAINT_CONTRAST_RATIO = 0.5;

/**
 * True when the pair shows its defect: enough of the mask visibly changed and, when a floor is
 * asked for, its contrast reaches it. Null (not recorded, or nothing to compare with) passes.
 */
export function showsItsDefect(insideVisible: number | null, contrastRatio: number | null = null, minContrast = 0): boolean {
  return (insideVisible === null || insideVisible >= MIN_VISIBLE_INSIDE) && (contrastRatio === null || contrastRatio >= minContrast);
}

/**
 * The choices of a placement rule's `size` (A_avg of Eq. 6), and the one a rule without it gets:
 * the paper's cluster mean. Sizes spread like the exemplars' did not train a better U-Net on devdata
 * tire (pixel AP 25.4 / 43.9 against 39.0 / 39.7 on seeds 0 and 1), so they stay a choice.
 */
export const MASK_SIZE_REFERENCES = ['mean', 'exemplars'] as const satisfies readonly MaskSizeReference[];
export const DEFAULT_MASK_SIZE_REFERENCE: MaskSizeReference = 'mean';
