import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, parseArgs, type EventName, type Events, type RequestName } from '../../../src-main/api/contract';
import type { EngineEndpoint, ResolvedImage } from '../../../src-main/engine/endpoint';
import { EngineProcessClient, serveEngine } from '../../../src-main/engine/process/rpc';

type Listener = <E extends EventName>(event: E, payload: Events[E]) => void;

/** Stands in for the engine: parses arguments like the real one and answers a few requests by hand. */
class ScriptedEngine implements EngineEndpoint {
  listeners = new Set<Listener>();
  closed = 0;
  hang = false;
  async invoke(name: RequestName, args: unknown): Promise<unknown> {
    const parsed = parseArgs(name, args);
    if (this.hang) return new Promise(() => {});
    if (name === 'project.info') throw new ApiError('no_project', 'no project is open');
    if (name === 'jobs.list') throw new TypeError('cannot read properties of undefined');
    if (name === 'project.close') return { closed: true, callback: () => {} };
    return { echoed: parsed };
  }
  onEvent(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async resolveImage(refPath: string): Promise<ResolvedImage | null> {
    if (refPath === 'mask/7') return { filePath: '/p/blobs/ab/cd.png', mime: 'image/png' };
    if (refPath === 'image/66') throw new ApiError('no_project', 'no project is open');
    return null;
  }
  async close(): Promise<void> {
    this.closed++;
  }
  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const l of this.listeners) l(event, payload);
  }
}

const open: MessagePort[] = [];
afterEach(() => {
  for (const p of open.splice(0)) p.close();
});

function pair() {
  const { port1, port2 } = new MessageChannel();
  open.push(port1, port2);
  const engine = new ScriptedEngine();
  let closedCalls = 0;
  serveEngine(engine, port2, { onClosed: () => closedCalls++ });
  const client = new EngineProcessClient(port1);
  return { engine, client, port1, closedCalls: () => closedCalls };
}

describe('the engine message protocol', () => {
  it('round-trips a request and its parsed result', async () => {
    const { client } = pair();
    await expect(client.invoke('dataset.errors', { limit: 5 })).resolves.toEqual({ echoed: { offset: 0, limit: 5 } });
  });

  it('keeps concurrent answers with their own requests', async () => {
    const { client } = pair();
    const [a, b] = await Promise.all([
      client.invoke('dataset.image', { imageId: 1 }),
      client.invoke('dataset.image', { imageId: 2 }),
    ]);
    expect(a).toEqual({ echoed: { imageId: 1 } });
    expect(b).toEqual({ echoed: { imageId: 2 } });
  });

  it('carries a user error across with its code and message', async () => {
    const { client } = pair();
    const err = await client.invoke('project.info', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'no_project', message: 'no project is open' });
  });

  it('reports invalid arguments as bad_request', async () => {
    const { client } = pair();
    await expect(client.invoke('dataset.image', { imageId: -3 })).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringContaining('dataset.image: imageId'),
    });
  });

  it('reports an unexpected failure as internal', async () => {
    const { client } = pair();
    await expect(client.invoke('jobs.list', {})).rejects.toMatchObject({
      code: 'internal',
      message: 'cannot read properties of undefined',
    });
  });

  it('turns a result that cannot cross the process boundary into an internal error', async () => {
    const { client } = pair();
    await expect(client.invoke('project.close', {})).rejects.toMatchObject({
      code: 'internal',
      message: expect.stringContaining('engine reply could not be sent'),
    });
  });

  it('refuses a request name outside the contract', async () => {
    const { client } = pair();
    await expect(client.invoke('fs.readFile' as RequestName, {})).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('resolves images, including to nothing', async () => {
    const { client } = pair();
    await expect(client.resolveImage('mask/7')).resolves.toEqual({ filePath: '/p/blobs/ab/cd.png', mime: 'image/png' });
    await expect(client.resolveImage('image/9')).resolves.toBeNull();
    await expect(client.resolveImage('image/66')).rejects.toMatchObject({ code: 'no_project' });
  });

  it('pushes engine events to every listener until they unsubscribe', async () => {
    const { engine, client } = pair();
    const seen: [string, unknown][] = [];
    const off = client.onEvent((event, payload) => seen.push([event, payload]));
    const progress = { jobId: 4, kind: 'import' as const, done: 1, total: 2, failed: 0, etaMs: 900, message: 'a.png' };
    engine.emit('job.progress', progress);
    // A request sent after the event is answered after it, so the event has arrived by then.
    await client.invoke('app.info', {});
    off();
    engine.emit('project.changed', null);
    await client.invoke('app.info', {});
    expect(seen).toEqual([['job.progress', progress]]);
  });

  it('rejects every pending request when the process goes away, and refuses new ones', async () => {
    const { engine, client } = pair();
    engine.hang = true;
    const first = client.invoke('project.open', { dir: '/p' });
    const second = client.resolveImage('image/1');
    client.disconnect('the engine process exited (code 139)');
    await expect(first).rejects.toMatchObject({ code: 'internal', message: expect.stringContaining('exited (code 139)') });
    await expect(second).rejects.toThrow(/image image\/1 got no answer: the engine process exited/);
    await expect(client.invoke('app.info', {})).rejects.toThrow(/refused: the engine process exited/);
    expect(client.connected).toBe(false);
  });

  it('closes the engine on request and says when it is done', async () => {
    const { engine, client, closedCalls } = pair();
    await client.close();
    expect(engine.closed).toBe(1);
    expect(closedCalls()).toBe(1);
  });

  it('ignores malformed messages and answers the next good one', async () => {
    const { client, port1 } = pair();
    port1.postMessage(null);
    port1.postMessage({ type: 'invoke', id: 'x', name: 'app.info' });
    port1.postMessage({ type: 'image', id: 1 });
    await expect(client.invoke('app.info', {})).resolves.toEqual({ echoed: {} });
  });
});
