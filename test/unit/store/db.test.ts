import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, SchemaTooNewError, schemaVersion } from '../../../src-main/store/db';
import { LATEST_SCHEMA_VERSION, migrations } from '../../../src-main/store/migrations';

const dirs: string[] = [];
function tempFile(): string {
  const d = mkdtempSync(join(tmpdir(), 'gaa-db-'));
  dirs.push(d);
  return join(d, 'project.gaa.sqlite');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the project database', () => {
  it('opens in WAL mode with foreign keys and full sync at the latest schema', () => {
    const db = openDatabase(tempFile());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    closeDatabase(db);
  });

  it('numbers migrations strictly upwards from 1', () => {
    migrations.forEach((m, i) => expect(m.version).toBe(i + 1));
  });

  it('refuses a database written by a newer version and leaves it untouched', () => {
    const file = tempFile();
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    raw.exec('CREATE TABLE future (x)');
    raw.close();
    expect(() => openDatabase(file)).toThrow(SchemaTooNewError);
    expect(() => openDatabase(file)).toThrow(/newer GAA Workbench.*schema version/);
    const again = new Database(file);
    expect(again.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 5);
    expect(again.prepare("SELECT name FROM sqlite_master WHERE name = 'future'").get()).toBeTruthy();
    again.close();
  });

  // One test per migration: a database made by the previous version upgrades and keeps its data.
  for (const m of migrations) {
    it(`migration ${m.version} (${m.name}) upgrades a version-${m.version - 1} database without losing data`, () => {
      const file = tempFile();
      const before = openDatabase(file, { targetVersion: m.version - 1 });
      expect(schemaVersion(before)).toBe(m.version - 1);
      if (m.version - 1 >= 1) before.prepare("INSERT INTO project (id, name, created_at) VALUES (1, 'kept', 'x')").run();
      closeDatabase(before);
      const after = openDatabase(file, { targetVersion: m.version });
      expect(schemaVersion(after)).toBe(m.version);
      if (m.version - 1 >= 1) expect(after.prepare('SELECT name FROM project').get()).toEqual({ name: 'kept' });
      closeDatabase(after);
    });
  }

  it('refuses a mask whose image does not exist (foreign keys are on)', () => {
    const file = tempFile();
    const db = openDatabase(file);
    // A mask without an image violates the foreign key: the write is refused, nothing half-written.
    expect(() =>
      db.prepare("INSERT INTO masks (image_id, role, width, height, area, blob) VALUES (999, 'union', 1, 1, 1, 'x')").run(),
    ).toThrow(/FOREIGN KEY/);
    expect(db.prepare('SELECT COUNT(*) AS n FROM masks').get()).toEqual({ n: 0 });
    closeDatabase(db);
  });
});
