import type { Migration } from './index';

/**
 * v3: named product regions per category, their masks per normal image (drawn, imported or
 * propagated, with confidence and review status), and region-aligned anomaly masks (RAMS,
 * METHOD.md §3) with the full transform T that produced each one.
 */
export const migration003: Migration = {
  version: 3,
  name: 'regions-and-aligned-masks',
  up: `
    CREATE TABLE regions (
      id INTEGER PRIMARY KEY,
      category_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      colour TEXT NOT NULL,
      created_at TEXT NOT NULL,
      UNIQUE (category_id, name)
    );
    CREATE TABLE region_masks (
      id INTEGER PRIMARY KEY,
      image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
      region_id INTEGER NOT NULL REFERENCES regions(id) ON DELETE CASCADE,
      -- label: drawn by the user (or supplied as a file standing in for drawing); propagated: by the engine
      source TEXT NOT NULL CHECK (source IN ('label','propagated')),
      vectors TEXT,
      blob TEXT NOT NULL,
      area INTEGER NOT NULL,
      confidence REAL,
      status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','accepted','rejected')),
      created_at TEXT NOT NULL,
      UNIQUE (image_id, region_id)
    );
    CREATE INDEX region_masks_region ON region_masks (region_id, source, status);
    CREATE TABLE propagation_confidence (
      image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
      confidence REAL NOT NULL,
      flagged INTEGER NOT NULL,
      status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','accepted','rejected')),
      updated_at TEXT NOT NULL
    );
    CREATE TABLE aligned_masks (
      id INTEGER PRIMARY KEY,
      category_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
      cluster_id INTEGER REFERENCES clusters(id) ON DELETE SET NULL,
      cluster_name TEXT NOT NULL,
      job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
      normal_image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
      source_image_id INTEGER REFERENCES images(id) ON DELETE SET NULL,
      source_mask_id INTEGER REFERENCES masks(id) ON DELETE SET NULL,
      region TEXT,
      mode TEXT NOT NULL,
      inside_fraction REAL NOT NULL,
      transform TEXT NOT NULL,
      seed INTEGER NOT NULL,
      blob TEXT NOT NULL,
      width INTEGER NOT NULL,
      height INTEGER NOT NULL,
      area INTEGER NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE INDEX aligned_masks_cluster ON aligned_masks (category_id, cluster_id);
  `,
};
