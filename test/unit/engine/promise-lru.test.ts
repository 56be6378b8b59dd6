import { describe, expect, it } from 'vitest';
import { PromiseLru } from '../../../src-main/engine/promise-lru';

describe('PromiseLru', () => {
  it('starts the work for a key once and gives every caller meanwhile the same result', async () => {
    const lru = new PromiseLru<string>(4);
    let loads = 0;
    const load = async () => `decoded ${++loads}`;
    const all = await Promise.all([1, 2, 3, 4, 5].map(() => lru.get('backdrop.png', load)));
    expect(all).toEqual(Array(5).fill('decoded 1'));
    expect(loads).toBe(1);
  });

  it('forgets the least recently used key beyond its size, and a read counts as a use', async () => {
    const lru = new PromiseLru<string>(2);
    const loaded: string[] = [];
    const get = (key: string) => lru.get(key, async () => (loaded.push(key), key));
    await get('a');
    await get('b');
    await get('a'); // a is now the newer of the two
    await get('c'); // evicts b
    await get('a');
    await get('b');
    expect(loaded).toEqual(['a', 'b', 'c', 'b']);
  });

  it('forgets work that failed, so the next caller tries again, and shares a failure only with callers meanwhile', async () => {
    const lru = new PromiseLru<string>(4);
    let tries = 0;
    const load = async () => {
      tries++;
      if (tries === 1) throw new Error('the file is missing');
      return 'decoded';
    };
    const first = await Promise.allSettled([lru.get('backdrop.png', load), lru.get('backdrop.png', load)]);
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(tries).toBe(1);
    expect(await lru.get('backdrop.png', load)).toBe('decoded');
    expect(await lru.get('backdrop.png', load)).toBe('decoded');
    expect(tries).toBe(2);
  });
});
