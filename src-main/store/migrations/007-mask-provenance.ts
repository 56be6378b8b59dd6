import type { Migration } from './index';

/**
 * v7: each aligned mask records what it was made from (issue 12, item 2): `made_from`, the
 * fingerprint of its cluster's kind, placement rule and members at the time, and `region_blob`,
 * the region mask it was placed in on its normal image (NULL for the implicit region). A mask
 * whose cluster or region has changed since is stale, and so are its pair and the pair's score.
 * NULL `made_from` for masks made before: their provenance is unknown and they are not flagged.
 */
export const migration007: Migration = {
  version: 7,
  name: 'mask-provenance',
  up: `
    ALTER TABLE aligned_masks ADD COLUMN made_from TEXT;
    ALTER TABLE aligned_masks ADD COLUMN region_blob TEXT;
  `,
};
