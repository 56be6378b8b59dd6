import { linkSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, loadSettings, packsDir, saveSettings, settingsPath, updateSettings } from '../../../src-main/engine/app/settings';

const root = mkdtempSync(join(tmpdir(), 'gaa-settings-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(root, `ud-${n++}`);

describe('app settings file', () => {
  it('gives auto provider and default threads when there is no file, without a warning', () => {
    const ud = fresh();
    const loaded = loadSettings(ud);
    expect(loaded.settings).toEqual({ executionProvider: 'auto', intraOpThreads: null });
    expect(loaded.warning).toBeNull();
    expect(loaded.file).toBe(join(ud, 'settings.json'));
    expect(packsDir(ud)).toBe(join(ud, 'packs'));
  });

  it('reads back what was saved', () => {
    const ud = fresh();
    saveSettings(ud, { executionProvider: 'cuda', intraOpThreads: 3 });
    expect(loadSettings(ud)).toEqual({ settings: { executionProvider: 'cuda', intraOpThreads: 3 }, warning: null, file: settingsPath(ud) });
    expect(JSON.parse(readFileSync(settingsPath(ud), 'utf8'))).toEqual({ executionProvider: 'cuda', intraOpThreads: 3 });
  });

  it('falls back to defaults with a warning naming the file when the JSON is damaged', () => {
    const ud = fresh();
    saveSettings(ud, { executionProvider: 'cpu', intraOpThreads: 2 });
    writeFileSync(settingsPath(ud), '{"executionProvider": "cpu", ');
    const loaded = loadSettings(ud);
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS);
    expect(loaded.warning).toContain(settingsPath(ud));
    expect(loaded.warning).toMatch(/not valid JSON/);
  });

  it('falls back to defaults with a warning naming the bad field when a value is invalid', () => {
    const ud = fresh();
    saveSettings(ud, DEFAULT_SETTINGS);
    writeFileSync(settingsPath(ud), JSON.stringify({ executionProvider: 'tpu', intraOpThreads: 4 }));
    const loaded = loadSettings(ud);
    expect(loaded.settings).toEqual({ executionProvider: 'auto', intraOpThreads: null });
    expect(loaded.warning).toMatch(/executionProvider/);
    writeFileSync(settingsPath(ud), JSON.stringify({ intraOpThreads: 0 }));
    expect(loadSettings(ud).warning).toMatch(/intraOpThreads/);
  });

  it('replaces the file by rename, leaving the old file untouched and no temporary file behind', () => {
    const ud = fresh();
    saveSettings(ud, { executionProvider: 'cpu', intraOpThreads: 1 });
    const before = readFileSync(settingsPath(ud), 'utf8');
    // A second name for the same inode: an in-place write would change it too, a rename does not.
    const oldInode = join(root, `old-inode-${n++}.json`);
    linkSync(settingsPath(ud), oldInode);
    saveSettings(ud, { executionProvider: 'cuda', intraOpThreads: 8 });
    expect(readFileSync(oldInode, 'utf8')).toBe(before);
    expect(loadSettings(ud).settings).toEqual({ executionProvider: 'cuda', intraOpThreads: 8 });
    expect(readdirSync(ud)).toEqual(['settings.json']);
  });

  it('refuses to save an invalid value and keeps the stored settings', () => {
    const ud = fresh();
    saveSettings(ud, { executionProvider: 'cpu', intraOpThreads: 2 });
    expect(() => saveSettings(ud, { executionProvider: 'cpu', intraOpThreads: 1.5 })).toThrow();
    expect(loadSettings(ud).settings).toEqual({ executionProvider: 'cpu', intraOpThreads: 2 });
    expect(readdirSync(ud)).toEqual(['settings.json']);
  });

  it('updates only the fields given, over defaults when the stored file is damaged', () => {
    const ud = fresh();
    saveSettings(ud, { executionProvider: 'cuda', intraOpThreads: 4 });
    expect(updateSettings(ud, { intraOpThreads: null })).toEqual({ executionProvider: 'cuda', intraOpThreads: null });
    writeFileSync(settingsPath(ud), 'not json');
    expect(updateSettings(ud, { executionProvider: 'cpu' })).toEqual({ executionProvider: 'cpu', intraOpThreads: null });
    expect(loadSettings(ud).warning).toBeNull();
  });
});
