/**
 * A list the engine pages (`dataset.listImages`, `masks.list`, `samples.list`) that is never held whole: pages are
 * fetched when a row scrolls into view or the side-by-side view steps onto them. `refresh()`
 * re-reads the total and the loaded pages in place, so a list can grow while a job commits.
 */
import { useSyncExternalStore } from 'react';
import { errorMessage } from '../errors';

export interface Page<T> {
  total: number;
  items: T[];
}

export type PageFetcher<T> = (offset: number, limit: number) => Promise<Page<T>>;

export class PagedList<T> {
  /** null until the first page answers. */
  total: number | null = null;
  version = 0;
  error: string | null = null;
  private pages = new Map<number, T[]>();
  private inFlight = new Map<number, Promise<void>>();
  private listeners = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly fetchPage: PageFetcher<T>,
    readonly pageSize = 200,
  ) {}

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.closed = true;
    this.listeners.clear();
  }

  get(index: number): T | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  ensureRange(from: number, to: number): void {
    const last = this.total === null ? to : Math.min(to, this.total - 1);
    for (let p = Math.floor(Math.max(0, from) / this.pageSize); p <= Math.floor(Math.max(0, last) / this.pageSize); p++) void this.loadPage(p);
  }

  async at(index: number): Promise<T | undefined> {
    await this.loadPage(Math.floor(index / this.pageSize));
    return this.get(index);
  }

  /** Re-reads the total (page 0 at least) and every loaded page; what is shown stays until answers land. */
  refresh(): void {
    const pages = new Set([0, ...this.pages.keys()]);
    for (const p of pages) {
      this.inFlight.delete(p);
      void this.loadPage(p, true);
    }
  }

  private loadPage(page: number, force = false): Promise<void> {
    if (!force && this.pages.has(page)) return Promise.resolve();
    const pending = this.inFlight.get(page);
    if (pending) return pending;
    const job = this.fetchPage(page * this.pageSize, this.pageSize)
      .then((res) => {
        if (this.closed) return;
        this.total = res.total;
        this.pages.set(page, res.items);
        this.error = null;
      })
      .catch((err) => {
        if (this.closed) return;
        this.error = errorMessage(err);
      })
      .finally(() => {
        if (this.inFlight.get(page) === job) this.inFlight.delete(page);
        this.emit();
      });
    this.inFlight.set(page, job);
    return job;
  }

  private emit(): void {
    if (this.closed) return;
    this.version++;
    for (const l of [...this.listeners]) l();
  }
}

export function usePagedListVersion<T>(list: PagedList<T>): number {
  return useSyncExternalStore(
    (cb) => list.subscribe(cb),
    () => list.version,
  );
}
