import type { Migration } from './index';

/**
 * v6: each generated pair records how far it strays outside its mask (METHOD.md §2b, the
 * alignment rule: the largest change outside the mask grown by its band, and how many pixels
 * change by more than the tolerance) and the random draws that made it (variation), so Review
 * can show it and export can leave out a pair that breaks the rule. NULL for pairs made before.
 */
export const migration006: Migration = {
  version: 6,
  name: 'pair-alignment',
  up: `
    ALTER TABLE samples ADD COLUMN outside_change_max INTEGER;
    ALTER TABLE samples ADD COLUMN outside_over INTEGER;
    ALTER TABLE samples ADD COLUMN draws TEXT;
  `,
};
