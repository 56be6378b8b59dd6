import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExportRequest } from '../../../../src-main/core/export';
import { exportDataset, STAGING_MARKER } from '../../../../src-main/io/export-writer';
import { grayPng, maskFrom, pair, rgbPng, walk } from './fixtures';
import { tempDirsRemovedAfterEach } from './helpers';

let request: (outDir: string, name: string) => ExportRequest;

beforeAll(async () => {
  const image = await rgbPng(12, 12, 5);
  const mask = await grayPng(12, 12, maskFrom(12, 12, (x, y) => (x > 3 && x < 8 && y > 2 && y < 9 ? 255 : 0)));
  request = (outDir, name) => ({
    outDir,
    name,
    formats: ['mvtec'],
    normals: [],
    pairs: [0, 1, 2].map(() => pair({ image: { png: image }, mask: { png: mask } })),
  });
});

const temp = tempDirsRemovedAfterEach();

/** A pid that certainly ran and certainly no longer does: a child that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid!;
}

/** A folder shaped like a killed export's staging folder, with a few half-written files. */
function leftover(outDir: string, folder: string, marker: object | string | null): string {
  const dir = path.join(outDir, folder);
  mkdirSync(path.join(dir, 'bottle/test/crack'), { recursive: true });
  writeFileSync(path.join(dir, 'bottle/test/crack/000.png'), 'half');
  if (marker !== null) writeFileSync(path.join(dir, STAGING_MARKER), typeof marker === 'string' ? marker : JSON.stringify(marker));
  return dir;
}

const ours = (pid: number, host = hostname()) => ({ app: 'gaa-workbench export', pid, host, startedAt: '2026-01-01T00:00:00.000Z' });

describe('staging folders left by a killed export', () => {
  it('are removed when the next export to the same destination starts, and nothing else is', async () => {
    const out = temp('sweep');
    const dead = leftover(out, '.run.partial-0123abcd', ours(deadPid()));
    const deadOtherName = leftover(out, '.older.partial-89abcdef', ours(deadPid()));
    // Everything below must survive the sweep.
    const noMarker = leftover(out, '.mine.partial-00000000', null);
    const foreignMarker = leftover(out, '.mine2.partial-00000001', '{"app":"something else","pid":1,"host":"x"}');
    const liveProcess = leftover(out, '.live.partial-00000002', ours(process.ppid));
    const otherMachine = leftover(out, '.remote.partial-00000003', ours(deadPid(), `${hostname()}-elsewhere`));
    const wrongName = leftover(out, '.run.partial-XYZ', ours(deadPid()));
    const userFolder = leftover(out, 'run.partial-0123abce', ours(deadPid()));
    writeFileSync(path.join(out, '.file.partial-0123abcf'), 'a file, not a folder');
    const target = leftover(out, 'target', ours(deadPid()));
    symlinkSync(target, path.join(out, '.link.partial-0123abd0'));

    const result = await exportDataset(request(out, 'run'));
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(deadOtherName)).toBe(false);
    for (const kept of [noMarker, foreignMarker, liveProcess, otherMachine, wrongName, userFolder, target]) {
      expect(walk(kept)).toContain('bottle/test/crack/000.png');
    }
    expect(readdirSync(out).sort()).toEqual(
      ['.file.partial-0123abcf', '.link.partial-0123abd0', '.live.partial-00000002', '.mine.partial-00000000', '.mine2.partial-00000001',
        '.remote.partial-00000003', '.run.partial-XYZ', 'run', 'run.partial-0123abce', 'target'].sort(),
    );
    // The marker never reaches the finished export.
    expect(walk(result.root)).not.toContain(STAGING_MARKER);
    expect(walk(result.root)).toContain('manifest.json');
  });

  it('carry the marker while being written', async () => {
    const out = temp('marker');
    let seen: string[] = [];
    await exportDataset(request(out, 'run'), {
      onProgress: (done) => {
        if (done === 1) seen = readdirSync(out).flatMap((d) => (d.startsWith('.run.partial-') ? readdirSync(path.join(out, d)) : []));
      },
    });
    expect(seen).toContain(STAGING_MARKER);
  });

  it('keep the marker until the folder is renamed into place, so a kill at any moment before leaves a sweepable folder', async () => {
    const out = temp('rename');
    let atRename: string[] = [];
    const result = await exportDataset(request(out, 'run'), {
      fs: {
        rename: async (from: string, to: string) => {
          atRename = readdirSync(from);
          await rename(from, to);
        },
      },
    });
    expect(atRename).toContain(STAGING_MARKER);
    expect(walk(result.root)).not.toContain(STAGING_MARKER);
  });

  it('of an export still running in this process are never swept by another export', async () => {
    const out = temp('concurrent');
    let releaseFirst!: () => void;
    const secondDone = new Promise<void>((ok) => (releaseFirst = ok));
    let firstStaging = '';
    // The first export holds its first pair file until the second export has finished, so the
    // second's sweep runs while the first's marked staging folder is on disk.
    const first = exportDataset(request(out, 'first'), {
      fs: {
        writeFile: async (file, data) => {
          if (!file.endsWith(STAGING_MARKER) && !firstStaging) {
            firstStaging = path.dirname(path.dirname(path.dirname(path.dirname(file))));
            await secondDone;
          }
          await writeFile(file, data);
        },
      },
    });
    while (!firstStaging) await new Promise<void>((ok) => setImmediate(ok));
    expect(readdirSync(firstStaging)).toContain(STAGING_MARKER);
    await exportDataset(request(out, 'second'));
    expect(existsSync(firstStaging)).toBe(true);
    releaseFirst();
    const result = await first;
    expect(walk(result.root).filter((f) => f.endsWith('.png'))).toHaveLength(6);
    expect(readdirSync(out).sort()).toEqual(['first', 'second']);
  });
});
