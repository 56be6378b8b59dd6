import { describe, expect, it } from 'vitest';
import { PagedList, type Page } from '../../../src-renderer/src/state/pagedList';

/** A server of `total` numbered items whose page requests answer when the test says. */
class FakePages {
  requests: { offset: number; limit: number; answer(): Promise<void>; fail(message: string): Promise<void> }[] = [];
  constructor(public total: number) {}
  readonly fetch = (offset: number, limit: number): Promise<Page<string>> =>
    new Promise((resolve, reject) => {
      const tick = () => new Promise((r) => setTimeout(r, 0));
      this.requests.push({
        offset,
        limit,
        answer: async () => {
          const end = Math.min(this.total, offset + limit);
          resolve({ total: this.total, items: Array.from({ length: Math.max(0, end - offset) }, (_, i) => `item ${offset + i}`) });
          await tick();
        },
        fail: async (message) => {
          reject(new Error(message));
          await tick();
        },
      });
    });
  offsets(): number[] {
    return this.requests.map((r) => r.offset);
  }
  async answerAll(): Promise<void> {
    while (this.requests.length) await this.requests.shift()!.answer();
  }
}

describe('a paged list', () => {
  it('fetches only the pages a visible range touches, each once while its request is out', async () => {
    const server = new FakePages(1000);
    const list = new PagedList(server.fetch, 100);
    list.ensureRange(150, 320);
    list.ensureRange(180, 250);
    expect(server.offsets()).toEqual([100, 200, 300]);
    await server.answerAll();
    expect(list.get(150)).toBe('item 150');
    expect(list.get(320)).toBe('item 320');
    expect(list.get(99)).toBeUndefined();
    list.ensureRange(150, 320);
    expect(server.requests).toHaveLength(0);
  });

  it('knows its total from the first page that answers and asks for nothing past it', async () => {
    const server = new FakePages(250);
    const list = new PagedList(server.fetch, 100);
    expect(list.total).toBeNull();
    list.ensureRange(0, 10);
    await server.answerAll();
    expect(list.total).toBe(250);
    list.ensureRange(0, 900);
    expect(server.offsets()).toEqual([100, 200]);
  });

  it('loads the page of one item on demand', async () => {
    const server = new FakePages(500);
    const list = new PagedList(server.fetch, 100);
    const item = list.at(342);
    expect(server.offsets()).toEqual([300]);
    await server.answerAll();
    await expect(item).resolves.toBe('item 342');
  });

  it('tells subscribers each time a page lands, with a new version', async () => {
    const server = new FakePages(500);
    const list = new PagedList(server.fetch, 100);
    const versions: number[] = [];
    list.subscribe(() => versions.push(list.version));
    list.ensureRange(0, 199);
    await server.answerAll();
    expect(versions).toEqual([1, 2]);
  });

  it('re-reads the total and every loaded page on refresh, showing the old items until the answers land', async () => {
    const server = new FakePages(150);
    const list = new PagedList(server.fetch, 100);
    list.ensureRange(0, 149);
    await server.answerAll();
    server.total = 260;
    list.refresh();
    expect(server.offsets().sort((a, b) => a - b)).toEqual([0, 100]);
    expect(list.total).toBe(150);
    expect(list.get(120)).toBe('item 120');
    await server.answerAll();
    expect(list.total).toBe(260);
    expect(list.get(199)).toBe('item 199');
  });

  it('refreshes page 0 for the total even when no page was loaded yet', () => {
    const server = new FakePages(10);
    const list = new PagedList(server.fetch, 100);
    list.refresh();
    expect(server.offsets()).toEqual([0]);
  });

  it('keeps a failed page’s message until a page answers, and asks for the failed page again', async () => {
    const server = new FakePages(300);
    const list = new PagedList(server.fetch, 100);
    list.ensureRange(0, 10);
    await server.requests.shift()!.fail('engine busy');
    expect(list.error).toBe('engine busy');
    expect(list.get(0)).toBeUndefined();
    list.ensureRange(0, 10);
    expect(server.offsets()).toEqual([0]);
    await server.answerAll();
    expect(list.error).toBeNull();
    expect(list.get(0)).toBe('item 0');
  });

  it('ignores answers that land after it was disposed', async () => {
    const server = new FakePages(300);
    const list = new PagedList(server.fetch, 100);
    let calls = 0;
    list.subscribe(() => calls++);
    list.ensureRange(0, 10);
    list.dispose();
    await server.answerAll();
    expect(calls).toBe(0);
    expect(list.total).toBeNull();
    expect(list.get(0)).toBeUndefined();
  });
});
