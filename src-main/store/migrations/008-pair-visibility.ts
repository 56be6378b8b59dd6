import type { Migration } from './index';

/**
 * v8: each generated pair records how much of its mask visibly changed (METHOD.md §2b, the
 * other half of "aligned by construction": the label must show a defect). `inside_visible` is the
 * fraction of mask pixels changed by more than the alignment tolerance; a pair below the floor is
 * a label without a defect and is never exported as a synthetic pair. `contrast_ratio` is the
 * defect's contrast to its surface over its cluster's median exemplar's (variation.ts). NULL for
 * pairs made before.
 */
export const migration008: Migration = {
  version: 8,
  name: 'pair-visibility',
  up: `
    ALTER TABLE samples ADD COLUMN inside_visible REAL;
    ALTER TABLE samples ADD COLUMN contrast_ratio REAL;
  `,
};
