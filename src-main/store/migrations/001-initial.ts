import type { Migration } from './index';

/** v1: project, categories, images, masks, the few-shot split, per-item errors, jobs. */
export const migration001: Migration = {
  version: 1,
  name: 'initial',
  up: `
    CREATE TABLE project (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      name TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
    CREATE TABLE categories (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      split_seed INTEGER NOT NULL DEFAULT 0,
      defects_config TEXT,
      created_at TEXT NOT NULL
    );
    CREATE TABLE sources (
      id INTEGER PRIMARY KEY,
      root TEXT NOT NULL,
      layout TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE TABLE jobs (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('queued','running','done','failed','cancelled','interrupted')),
      params TEXT NOT NULL,
      done INTEGER NOT NULL DEFAULT 0,
      total INTEGER NOT NULL DEFAULT 0,
      failed INTEGER NOT NULL DEFAULT 0,
      error TEXT,
      result TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    -- One row per finished item: what makes a killed job resumable without duplicates.
    CREATE TABLE job_items (
      job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
      item_key TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('done','failed','skipped')),
      PRIMARY KEY (job_id, item_key)
    ) WITHOUT ROWID;
    CREATE TABLE images (
      id INTEGER PRIMARY KEY,
      category_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
      source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,
      kind TEXT NOT NULL CHECK (kind IN ('normal','anomaly')),
      defect_type TEXT NOT NULL,
      origin TEXT NOT NULL CHECK (origin IN ('train','validation','test')),
      -- normal: train|test; anomaly: fewshot|heldout (METHOD.md §0)
      split TEXT NOT NULL CHECK (split IN ('train','test','fewshot','heldout')),
      split_manual INTEGER NOT NULL DEFAULT 0,
      source_path TEXT NOT NULL,
      rel_path TEXT NOT NULL,
      width INTEGER NOT NULL DEFAULT 0,
      height INTEGER NOT NULL DEFAULT 0,
      channels INTEGER NOT NULL DEFAULT 0,
      bit_depth INTEGER NOT NULL DEFAULT 0,
      hash TEXT,
      thumb_blob TEXT,
      has_error INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL,
      UNIQUE (category_id, rel_path)
    );
    CREATE INDEX images_browse ON images (category_id, kind, defect_type, split);
    CREATE INDEX images_hash ON images (category_id, hash);
    CREATE TABLE masks (
      id INTEGER PRIMARY KEY,
      image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
      role TEXT NOT NULL CHECK (role IN ('union','region')),
      region_index INTEGER,
      source_path TEXT,
      width INTEGER NOT NULL,
      height INTEGER NOT NULL,
      area INTEGER NOT NULL CHECK (area > 0),
      blob TEXT NOT NULL
    );
    CREATE INDEX masks_image ON masks (image_id);
    CREATE TABLE item_errors (
      id INTEGER PRIMARY KEY,
      job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
      image_id INTEGER REFERENCES images(id) ON DELETE CASCADE,
      file TEXT NOT NULL,
      reason TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE INDEX item_errors_image ON item_errors (image_id);
  `,
};
