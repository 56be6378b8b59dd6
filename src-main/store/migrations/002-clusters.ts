import type { Migration } from './index';

/**
 * v2: anomaly concept clustering (AMFC, METHOD.md §1): cached features, clustering runs with
 * their tree, clusters with the user's kind / placement rule / lock, memberships (with a flag
 * for members moved by hand) and an undo history of snapshots.
 */
export const migration002: Migration = {
  version: 2,
  name: 'clusters',
  up: `
    CREATE TABLE anomaly_features (
      mask_id INTEGER NOT NULL REFERENCES masks(id) ON DELETE CASCADE,
      version TEXT NOT NULL,
      colour BLOB NOT NULL,
      texture BLOB NOT NULL,
      shape BLOB NOT NULL,
      deep BLOB,
      PRIMARY KEY (mask_id, version)
    ) WITHOUT ROWID;
    CREATE TABLE cluster_runs (
      id INTEGER PRIMARY KEY,
      category_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
      params TEXT NOT NULL,
      features_version TEXT NOT NULL,
      k INTEGER NOT NULL,
      rounds INTEGER NOT NULL,
      tree TEXT NOT NULL,
      scatter TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE TABLE clusters (
      id INTEGER PRIMARY KEY,
      category_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
      run_id INTEGER REFERENCES cluster_runs(id) ON DELETE SET NULL,
      node_id TEXT,
      name TEXT NOT NULL,
      locked INTEGER NOT NULL DEFAULT 0,
      kind TEXT NOT NULL DEFAULT 'structural' CHECK (kind IN ('structural','logical','combined')),
      rule TEXT NOT NULL DEFAULT '{}',
      ch REAL,
      db REAL,
      created_at TEXT NOT NULL
    );
    CREATE INDEX clusters_category ON clusters (category_id);
    CREATE TABLE cluster_members (
      image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
      cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
      manual INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX cluster_members_cluster ON cluster_members (cluster_id);
    CREATE TABLE cluster_history (
      id INTEGER PRIMARY KEY,
      category_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
      action TEXT NOT NULL,
      -- 'undo' entries hold the state before an action; 'redo' entries the state an undo replaced.
      stack TEXT NOT NULL CHECK (stack IN ('undo','redo')),
      snapshot TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE INDEX cluster_history_category ON cluster_history (category_id, stack, id);
  `,
};
