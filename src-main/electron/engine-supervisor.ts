/**
 * Keeps the engine's utility process running behind one stable EngineEndpoint. A crash
 * (a native library taking the process down) fails the requests in flight, tells the UI
 * that no project is open any more, and starts a fresh process; a process that keeps
 * crashing is left down, with the reason, rather than restarted in a loop.
 */
import { ApiError, type EventName, type Events, type RequestName } from '../api/contract';
import type { EngineEndpoint, ResolvedImage } from '../engine/endpoint';
import { EngineProcessClient, type EngineInitMessage } from '../engine/process/rpc';

/** The part of Electron's UtilityProcess the supervisor uses. */
export interface EngineProcess {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export interface SupervisorOptions {
  fork(): EngineProcess;
  userDataDir: string;
  /** Told about every unexpected exit; `restarted` is false once the supervisor has given up. */
  onCrash(message: string, restarted: boolean): void;
  /** More exits than this within `crashWindowMs` and the engine stays down. */
  maxCrashes?: number;
  crashWindowMs?: number;
  /** How long `close` waits for the engine to release its project before killing it. */
  closeTimeoutMs?: number;
  now?: () => number;
}

type EventListener = <E extends EventName>(event: E, payload: Events[E]) => void;

interface Running {
  child: EngineProcess;
  client: EngineProcessClient;
}

export class EngineSupervisor implements EngineEndpoint {
  private running: Running | null = null;
  private readonly listeners = new Set<EventListener>();
  private crashTimes: number[] = [];
  private down: string | null = 'the engine has not been started';
  private closing = false;

  constructor(private readonly opts: SupervisorOptions) {}

  start(): void {
    this.closing = false;
    this.spawn();
  }

  invoke(name: RequestName, args: unknown): Promise<unknown> {
    if (!this.running) return Promise.reject(new ApiError('internal', `${name} refused: ${this.down}`));
    return this.running.client.invoke(name, args);
  }

  resolveImage(refPath: string): Promise<ResolvedImage | null> {
    if (!this.running) return Promise.reject(new ApiError('internal', `image ${refPath} refused: ${this.down}`));
    return this.running.client.resolveImage(refPath);
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Lets the engine close its project cleanly, then ends its process. */
  async close(): Promise<void> {
    this.closing = true;
    this.down = 'the engine is shut down';
    const running = this.running;
    if (!running) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.opts.closeTimeoutMs ?? 10_000);
      timer.unref?.();
    });
    await Promise.race([running.client.close(), timedOut]);
    clearTimeout(timer);
    if (this.running === running) running.child.kill();
  }

  private spawn(): void {
    let child: EngineProcess;
    try {
      child = this.opts.fork();
    } catch (err) {
      this.down = `the engine could not be started: ${err instanceof Error ? err.message : String(err)}`;
      throw err;
    }
    const client = new EngineProcessClient(child);
    const running: Running = { child, client };
    client.onEvent((event, payload) => this.emit(event, payload));
    child.on('exit', (code) => this.exited(running, code));
    child.postMessage({ type: 'init', userDataDir: this.opts.userDataDir } satisfies EngineInitMessage);
    this.running = running;
    this.down = null;
  }

  private exited(running: Running, code: number): void {
    running.client.disconnect(`the engine process exited (code ${code})`);
    if (this.running !== running) return;
    this.running = null;
    if (this.closing) return;

    const now = (this.opts.now ?? Date.now)();
    const window = this.opts.crashWindowMs ?? 60_000;
    this.crashTimes = [...this.crashTimes.filter((t) => now - t < window), now];
    const restart = this.crashTimes.length <= (this.opts.maxCrashes ?? 3);

    this.emit('project.changed', null);
    if (restart) {
      try {
        this.spawn();
      } catch {
        this.opts.onCrash(`The engine stopped (exit code ${code}) and could not be restarted: ${this.down}`, false);
        return;
      }
      this.opts.onCrash(
        `The engine stopped unexpectedly (exit code ${code}) and has been restarted. The open project was closed; open it again to continue.`,
        true,
      );
    } else {
      this.down = `the engine stopped ${this.crashTimes.length} times within ${Math.round(window / 1000)} s and was not restarted`;
      this.opts.onCrash(`The ${this.down.replace(/^the /, '')}. Restart GAA Workbench to try again.`, false);
    }
  }

  private emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const l of [...this.listeners]) {
      try {
        l(event, payload);
      } catch (err) {
        console.error(`[engine] ${event} listener failed:`, err);
      }
    }
  }
}
