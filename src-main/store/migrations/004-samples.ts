import type { Migration } from './index';

/**
 * v4: generated image-mask pairs with provenance, their Anomaly Region Score and the user's
 * decision (METHOD.md §2b, §5), the trained scorers, and export runs.
 */
export const migration004: Migration = {
  version: 4,
  name: 'samples-scores-exports',
  up: `
    CREATE TABLE samples (
      id INTEGER PRIMARY KEY,
      category_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
      cluster_id INTEGER REFERENCES clusters(id) ON DELETE SET NULL,
      cluster_name TEXT NOT NULL,
      aligned_mask_id INTEGER NOT NULL REFERENCES aligned_masks(id) ON DELETE CASCADE,
      normal_image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
      source_image_id INTEGER REFERENCES images(id) ON DELETE SET NULL,
      generator TEXT NOT NULL,
      generator_version TEXT NOT NULL,
      params TEXT NOT NULL,
      seed INTEGER NOT NULL,
      blend_mode TEXT NOT NULL,
      image_blob TEXT NOT NULL,
      mask_blob TEXT NOT NULL,
      width INTEGER NOT NULL,
      height INTEGER NOT NULL,
      job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
      created_at TEXT NOT NULL,
      ars REAL,
      -- The score map S (Eq. 7's S), min-max scaled to 0-255 per image, for the heat-map overlay.
      score_blob TEXT,
      scorer_id INTEGER,
      kept INTEGER NOT NULL DEFAULT 0,
      decision TEXT CHECK (decision IN ('accepted','rejected')),
      UNIQUE (aligned_mask_id, generator, seed)
    );
    CREATE INDEX samples_cluster ON samples (category_id, cluster_id);
    CREATE TABLE scorers (
      id INTEGER PRIMARY KEY,
      category_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
      settings TEXT NOT NULL,
      model TEXT NOT NULL,
      self_check TEXT,
      created_at TEXT NOT NULL
    );
    CREATE TABLE exports (
      id INTEGER PRIMARY KEY,
      root TEXT NOT NULL,
      formats TEXT NOT NULL,
      files INTEGER NOT NULL,
      created_at TEXT NOT NULL
    );
  `,
};
