import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

/** The order of the file-system calls a blob write makes, with the paths they name. */
const calls: string[] = [];
const fdPaths = new Map<number, string>();
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return {
    ...fs,
    openSync: (p: string, flags: string) => {
      const fd = fs.openSync(p, flags);
      fdPaths.set(fd, p);
      return fd;
    },
    fsyncSync: (fd: number) => {
      calls.push(`fsync ${fdPaths.get(fd)}`);
      fs.fsyncSync(fd);
    },
    renameSync: (from: string, to: string) => {
      calls.push(`rename ${from} -> ${to}`);
      fs.renameSync(from, to);
    },
  };
});

const { BlobStore } = await import('../../../src-main/store/blobs');
const dir = mkdtempSync(join(tmpdir(), 'gaa-blobs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the blob store', () => {
  it('fsyncs a blob under its temporary name before renaming it, then syncs its folder', () => {
    const store = new BlobStore(dir);
    const name = store.put(new Uint8Array([1, 2, 3]), 'png');
    const full = store.path(name);
    const rename = calls.findIndex((c) => c.startsWith('rename '));
    expect(rename).toBeGreaterThan(0);
    const tmp = calls[rename].split(' ')[1];
    expect(tmp).toMatch(/\.tmp$/);
    expect(calls[rename]).toBe(`rename ${tmp} -> ${full}`);
    expect(calls.slice(0, rename)).toContain(`fsync ${tmp}`);
    expect(calls.slice(rename + 1)).toContain(`fsync ${join(dir, 'blobs', name.slice(0, 2))}`);
  });
});
