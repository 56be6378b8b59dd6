/**
 * The temporary folder an export is written into before it is renamed into place
 * (METHOD.md §6: an interrupted export never leaves a half folder behind).
 */
import path from 'node:path';
import { abortError } from './fs';
import type { ExportFs } from './types';

export class Staging {
  private readonly madeDirs = new Set<string>();
  private done = 0;

  constructor(
    /** Absolute path of the temporary folder. */
    readonly dir: string,
    private readonly fs: ExportFs,
    private readonly total: number,
    private readonly signal: AbortSignal | undefined,
    private readonly onProgress: ((done: number, total: number) => void) | undefined,
  ) {}

  get filesWritten(): number {
    return this.done;
  }

  throwIfAborted(): void {
    if (this.signal?.aborted) throw abortError();
  }

  /** Writes `rel` (forward slashes, relative to the export root); `synced` fsyncs it before returning. */
  async write(rel: string, data: Buffer | string, synced = false): Promise<void> {
    this.throwIfAborted();
    const file = path.join(this.dir, ...rel.split('/'));
    const parent = path.dirname(file);
    if (!this.madeDirs.has(parent)) {
      await this.fs.mkdir(parent);
      this.madeDirs.add(parent);
    }
    if (synced) await this.fs.writeFileSynced(file, data);
    else await this.fs.writeFile(file, data);
    this.done++;
    this.onProgress?.(this.done, this.total);
  }
}
