import { mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FolderRefusedError, makeFolders, refusePseudoFilesystem } from '../../../src-main/io/folders';

const work = mkdtempSync(join(tmpdir(), 'gaa-folders-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('folders a caller names', () => {
  it.runIf(process.platform === 'linux')('refuses /proc, /sys and /dev, directly or through a symbolic link', async () => {
    for (const p of ['/proc/self/x', '/proc', '/sys/kernel/x/y', '/dev/gaa-project']) {
      await expect(refusePseudoFilesystem(p), p).rejects.toBeInstanceOf(FolderRefusedError);
    }
    symlinkSync('/proc/self', join(work, 'to-proc'));
    await expect(refusePseudoFilesystem(join(work, 'to-proc', 'x', 'y'))).rejects.toThrow(/leads to \/proc\/\d+, under \/proc/);
    await expect(makeFolders(join(work, 'to-proc', 'x'))).rejects.toBeInstanceOf(FolderRefusedError);
  });

  it('accepts an ordinary folder, existing or not', async () => {
    await expect(refusePseudoFilesystem(work)).resolves.toBeUndefined();
    await expect(refusePseudoFilesystem(join(work, 'not', 'yet'))).resolves.toBeUndefined();
  });

  it('makes missing parents one level at a time and says which was the first it made', async () => {
    const target = join(work, 'a', 'b', 'c');
    expect(await makeFolders(target)).toBe(join(work, 'a'));
    expect(statSync(target).isDirectory()).toBe(true);
    expect(await makeFolders(target)).toBeUndefined();
  });

  it('names a file in the way instead of looping', async () => {
    writeFileSync(join(work, 'file'), 'x');
    await expect(makeFolders(join(work, 'file', 'sub'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});
