import { EventEmitter } from 'node:events';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseArgs, type EventName, type Events, type RequestName } from '../../../src-main/api/contract';
import type { EngineEndpoint } from '../../../src-main/engine/endpoint';
import { runEngineProcess } from '../../../src-main/engine/process/main';
import { EngineSupervisor, type EngineProcess } from '../../../src-main/electron/engine-supervisor';

// process.ts imports the real engine for its Electron entry; these tests hand it fakes instead.
vi.mock('../../../src-main/engine/engine', () => ({ Engine: class {} }));

type Listener = <E extends EventName>(event: E, payload: Events[E]) => void;

class FakeEngine implements EngineEndpoint {
  listeners = new Set<Listener>();
  closed = false;
  hang = false;
  constructor(readonly userDataDir: string) {}
  async invoke(name: RequestName, args: unknown): Promise<unknown> {
    parseArgs(name, args);
    if (this.hang) return new Promise(() => {});
    return { served: name, by: this.userDataDir };
  }
  onEvent(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async resolveImage(): Promise<null> {
    return null;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

const ports: MessagePort[] = [];

/** A utility process stand-in: one MessageChannel, with process.ts's runEngineProcess on the far end. */
class FakeChild extends EventEmitter implements EngineProcess {
  readonly engines: FakeEngine[] = [];
  exitCode: number | null = null;
  killed = false;
  private readonly near: MessagePort;

  constructor() {
    super();
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    this.near = port1;
    runEngineProcess(
      port2,
      (dir) => {
        const engine = new FakeEngine(dir);
        this.engines.push(engine);
        return engine;
      },
      (code) => this.exit(code),
    );
  }
  postMessage(message: unknown): void {
    this.near.postMessage(message);
  }
  override on(event: string, listener: (...args: never[]) => void): this {
    if (event === 'message') this.near.on('message', listener as (m: unknown) => void);
    else super.on(event, listener as (...args: unknown[]) => void);
    return this;
  }
  kill(): boolean {
    this.killed = true;
    this.exit(15);
    return true;
  }
  exit(code: number): void {
    if (this.exitCode !== null) return;
    this.exitCode = code;
    this.emit('exit', code);
  }
}

let children: FakeChild[] = [];
let crashes: [string, boolean][] = [];
let clock = 0;

function supervisor(opts: { maxCrashes?: number } = {}) {
  const sup = new EngineSupervisor({
    fork: () => {
      const child = new FakeChild();
      children.push(child);
      return child;
    },
    userDataDir: '/home/u/.config/gaa',
    onCrash: (message, restarted) => crashes.push([message, restarted]),
    now: () => clock,
    ...opts,
  });
  sup.start();
  return sup;
}

beforeEach(() => {
  children = [];
  crashes = [];
  clock = 0;
});
afterEach(() => {
  for (const p of ports.splice(0)) p.close();
});

describe('the engine supervisor', () => {
  it('starts the engine with the user data folder and serves requests through it', async () => {
    const sup = supervisor();
    await expect(sup.invoke('app.info', {})).resolves.toEqual({ served: 'app.info', by: '/home/u/.config/gaa' });
    expect(children[0].engines.map((e) => e.userDataDir)).toEqual(['/home/u/.config/gaa']);
  });

  it('fails the request in flight when the engine crashes, tells the UI, and starts a new engine', async () => {
    const sup = supervisor();
    const events: [string, unknown][] = [];
    sup.onEvent((event, payload) => events.push([event, payload]));
    await sup.invoke('app.info', {});
    children[0].engines[0].hang = true;
    const inFlight = sup.invoke('project.open', { dir: '/data/p' });
    children[0].exit(139);

    await expect(inFlight).rejects.toMatchObject({ code: 'internal', message: expect.stringContaining('exited (code 139)') });
    expect(events).toEqual([['project.changed', null]]);
    expect(crashes).toEqual([[expect.stringContaining('has been restarted'), true]]);
    expect(children).toHaveLength(2);
    await expect(sup.invoke('app.info', {})).resolves.toEqual({ served: 'app.info', by: '/home/u/.config/gaa' });
    expect(children[1].engines).toHaveLength(1);
  });

  it('stops restarting an engine that keeps crashing within a minute', async () => {
    const sup = supervisor({ maxCrashes: 3 });
    for (let i = 0; i < 4; i++) {
      clock += 5_000;
      children.at(-1)!.exit(1);
    }
    expect(children).toHaveLength(4);
    expect(crashes.map(([, restarted]) => restarted)).toEqual([true, true, true, false]);
    expect(crashes.at(-1)![0]).toMatch(/stopped 4 times within 60 s/);
    await expect(sup.invoke('app.info', {})).rejects.toMatchObject({ code: 'internal', message: expect.stringContaining('not restarted') });
  });

  it('keeps restarting crashes that are far apart', () => {
    supervisor({ maxCrashes: 3 });
    for (let i = 0; i < 6; i++) {
      clock += 61_000;
      children.at(-1)!.exit(1);
    }
    expect(children).toHaveLength(7);
    expect(crashes.every(([, restarted]) => restarted)).toBe(true);
  });

  it('closes the engine cleanly on quit and does not restart it', async () => {
    const sup = supervisor();
    await sup.invoke('app.info', {});
    await sup.close();
    expect(children[0].engines[0].closed).toBe(true);
    expect(children[0].exitCode).toBe(0);
    expect(children).toHaveLength(1);
    expect(crashes).toEqual([]);
    await expect(sup.invoke('app.info', {})).rejects.toMatchObject({ code: 'internal' });
  });
});

describe('the engine process entry', () => {
  it('exits with an error when the engine cannot start', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const exits: number[] = [];
    const listeners: ((m: unknown) => void)[] = [];
    const fakePort = { postMessage: () => {}, on: (_e: 'message', l: (m: unknown) => void) => listeners.push(l) };
    runEngineProcess(
      fakePort,
      () => {
        throw new Error('libvips failed to load');
      },
      (code) => exits.push(code),
    );
    listeners[0]({ type: 'init', userDataDir: '/u' });
    expect(exits).toEqual([1]);
  });

  it('does not build an engine for anything but a proper init message', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const made: string[] = [];
    const listeners: ((m: unknown) => void)[] = [];
    const fakePort = { postMessage: () => {}, on: (_e: 'message', l: (m: unknown) => void) => listeners.push(l) };
    runEngineProcess(fakePort, (dir) => (made.push(dir), new FakeEngine(dir)), () => {});
    listeners[0]({ type: 'invoke', id: 1, name: 'app.info', args: {} });
    listeners[0]({ type: 'init', userDataDir: '' });
    listeners[0]({ type: 'init', userDataDir: '/u' });
    expect(made).toEqual(['/u']);
  });
});
