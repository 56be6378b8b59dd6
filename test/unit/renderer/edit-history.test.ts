import { describe, expect, it } from 'vitest';
import { EditHistory } from '../../../src-renderer/src/regions/useHistory';

const append = (op: string) => (prev: readonly string[]) => [...prev, op];

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('the editor history', () => {
  it('undoes and redoes committed edits one at a time', () => {
    const h = new EditHistory<readonly string[]>([]);
    h.commit(append('polygon'));
    h.commit(append('stroke'));
    h.undo();
    expect(h.getSnapshot()).toMatchObject({ present: ['polygon'], canUndo: true, canRedo: true });
    h.undo();
    expect(h.getSnapshot()).toMatchObject({ present: [], canUndo: false, canRedo: true });
    h.redo();
    h.redo();
    expect(h.getSnapshot()).toMatchObject({ present: ['polygon', 'stroke'], canUndo: true, canRedo: false });
  });

  it('drops the redo branch when a new edit is committed after an undo', () => {
    const h = new EditHistory<readonly string[]>([]);
    h.commit(append('polygon'));
    h.commit(append('stroke'));
    h.undo();
    h.commit(append('fill'));
    expect(h.getSnapshot()).toMatchObject({ present: ['polygon', 'fill'], canRedo: false });
    h.redo();
    expect(h.getSnapshot().present).toEqual(['polygon', 'fill']);
  });

  it('does nothing on undo with no past or redo with no future, and tells no one', () => {
    const h = new EditHistory<readonly string[]>(['start']);
    let calls = 0;
    h.subscribe(() => calls++);
    const before = h.getSnapshot();
    h.undo();
    h.redo();
    expect(calls).toBe(0);
    expect(h.getSnapshot()).toBe(before);
  });

  it('keeps at most its limit of undo steps, forgetting the oldest', () => {
    const h = new EditHistory<number>(0, 3);
    for (let i = 1; i <= 5; i++) h.commit(() => i);
    let undone = 0;
    while (h.getSnapshot().canUndo) {
      h.undo();
      undone++;
    }
    expect(undone).toBe(3);
    expect(h.getSnapshot().present).toBe(2);
  });

  it('refuses edits, undo and redo while a restore runs, then starts a fresh timeline from what it loaded', async () => {
    const h = new EditHistory<readonly string[]>([]);
    h.commit(append('old'));
    const load = deferred<readonly string[] | null>();
    const restoring = h.restore(() => load.promise);
    expect(h.getSnapshot()).toMatchObject({ restoring: true, canUndo: false });
    h.commit(append('during'));
    h.undo();
    expect(h.getSnapshot().present).toEqual(['old']);
    load.resolve(['saved']);
    await restoring;
    expect(h.getSnapshot()).toMatchObject({ present: ['saved'], restoring: false, canUndo: false, canRedo: false });
    h.commit(append('after'));
    expect(h.getSnapshot()).toMatchObject({ present: ['saved', 'after'], canUndo: true });
  });

  it('keeps the timeline when a restore is abandoned or fails, and accepts edits again', async () => {
    const h = new EditHistory<readonly string[]>([]);
    h.commit(append('kept'));
    await h.restore(async () => null);
    expect(h.getSnapshot()).toMatchObject({ present: ['kept'], canUndo: true, restoring: false });
    await expect(h.restore(() => Promise.reject(new Error('cannot load')))).rejects.toThrow('cannot load');
    expect(h.getSnapshot()).toMatchObject({ present: ['kept'], restoring: false });
    h.commit(append('next'));
    expect(h.getSnapshot().present).toEqual(['kept', 'next']);
  });

  it('gives React a new snapshot only when something changed', () => {
    const h = new EditHistory<readonly string[]>([]);
    const a = h.getSnapshot();
    expect(h.getSnapshot()).toBe(a);
    h.commit(append('x'));
    expect(h.getSnapshot()).not.toBe(a);
  });
});
