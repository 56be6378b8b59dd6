/** Test plumbing shared by the export test files. Test-only. */
import { afterEach } from 'vitest';
import { makeTempDir } from './fixtures';

/**
 * Call at the top of a test file: the returned function makes a temporary folder that is
 * removed after the test that made it.
 */
export function tempDirsRemovedAfterEach(): (label: string) => string {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    while (cleanups.length) cleanups.pop()!();
  });
  return (label) => {
    const t = makeTempDir(label);
    cleanups.push(t.cleanup);
    return t.dir;
  };
}

/** The error `p` rejects with; a `p` that resolves fails the test. */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the write to fail, but it succeeded');
}
