import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/engine/engine';

const root = mkdtempSync(join(tmpdir(), 'gaa-recent-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A user-data folder whose recent-projects.json holds `content`, and the engine's app.info for it. */
async function appInfoWith(content: string) {
  const userDataDir = join(root, `ud-${n++}`);
  mkdirSync(userDataDir, { recursive: true });
  const file = join(userDataDir, 'recent-projects.json');
  writeFileSync(file, content);
  const engine = new Engine({ host: 'cli', userDataDir });
  try {
    return { info: await engine.call('app.info', {}), file, engine };
  } finally {
    await engine.close();
  }
}

const good = { dir: '/projects/line-3', name: 'line 3', openedAt: '2025-01-02T03:04:05.000Z' };

describe('the recent projects list', () => {
  it('leaves out an entry whose name is not text, keeps the others, and says why naming the file', async () => {
    const { info, file } = await appInfoWith(JSON.stringify([{ dir: '/projects/broken', name: { text: 'x' }, openedAt: '2025-01-01' }, good]));
    expect(info.recentProjects).toEqual([good]);
    expect(info.recentWarning).toContain(file);
    expect(info.recentWarning).toMatch(/entry 1: name/);
  });

  it('lists nothing, with a warning, when the file is not JSON or not a list', async () => {
    for (const content of ['[{"dir": "/p", ', '{"dir": "/p"}']) {
      const { info, file } = await appInfoWith(content);
      expect(info.recentProjects).toEqual([]);
      expect(info.recentWarning).toContain(file);
    }
  });

  it('reads a valid file without a warning, and a project opened afterwards rewrites it valid', async () => {
    const { info } = await appInfoWith(JSON.stringify([good]));
    expect(info.recentProjects).toEqual([good]);
    expect(info.recentWarning).toBeNull();
    const damaged = await appInfoWith(JSON.stringify([{ dir: 7 }, good]));
    const project = join(root, `project-${n}`);
    const engine = new Engine({ host: 'cli', userDataDir: join(damaged.file, '..') });
    try {
      await engine.call('project.create', { dir: project });
      const after = await engine.call('app.info', {});
      expect(after.recentWarning).toBeNull();
      expect(after.recentProjects.map((r) => r.dir)).toEqual([project, good.dir]);
    } finally {
      await engine.close();
    }
    expect((JSON.parse(readFileSync(damaged.file, 'utf8')) as { dir: string }[]).map((r) => r.dir)).toEqual([project, good.dir]);
  });
});
