/**
 * A filtered image list that is never held whole: pages of `dataset.listImages` are fetched
 * when a row scrolls into view (or the viewer steps onto it) and kept by page index.
 * The grid and the viewer share one instance, so ←/→ in the viewer walks the same list.
 */
import type { ImageKind, ImageSplit, ImageSummary, RequestArgs } from '../../../src-main/api/contract';
import { useSyncExternalStore } from 'react';
import { api, errorMessage } from '../api';

export interface ImageFilter {
  categoryId?: number;
  kind?: ImageKind;
  defectType?: string;
  split?: ImageSplit;
  hasError?: boolean;
}

export const PAGE_SIZE = 200;

export class ImageList {
  /** null until the first page answers. */
  total: number | null = null;
  /** Bumped on every change, for useSyncExternalStore. */
  version = 0;
  error: string | null = null;
  private pages = new Map<number, ImageSummary[]>();
  private inFlight = new Map<number, Promise<void>>();
  private listeners = new Set<() => void>();
  private closed = false;

  constructor(readonly filter: ImageFilter) {}

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops notifying: a newer filter has replaced this list. */
  dispose(): void {
    this.closed = true;
    this.listeners.clear();
  }

  get(index: number): ImageSummary | undefined {
    return this.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  /** Makes sure every page touching [from, to] is loaded or loading. */
  ensureRange(from: number, to: number): void {
    const last = this.total === null ? to : Math.min(to, this.total - 1);
    for (let p = Math.floor(Math.max(0, from) / PAGE_SIZE); p <= Math.floor(last / PAGE_SIZE); p++) void this.loadPage(p);
  }

  /** Resolves with the item at `index` once its page is in. */
  async at(index: number): Promise<ImageSummary | undefined> {
    await this.loadPage(Math.floor(index / PAGE_SIZE));
    return this.get(index);
  }

  /** Re-fetches loaded pages in place (after a split change); keeps what is shown until answers land. */
  refresh(): void {
    for (const p of [...this.pages.keys()]) {
      this.inFlight.delete(p);
      void this.loadPage(p, true);
    }
  }

  private loadPage(page: number, force = false): Promise<void> {
    if (!force && this.pages.has(page)) return Promise.resolve();
    const pending = this.inFlight.get(page);
    if (pending) return pending;
    const args: RequestArgs<'dataset.listImages'> = { ...this.filter, offset: page * PAGE_SIZE, limit: PAGE_SIZE };
    const job = api
      .invoke('dataset.listImages', args)
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
        this.inFlight.delete(page);
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

/** Re-renders the caller whenever the list gains pages or its total changes. */
export function useImageListVersion(list: ImageList): number {
  return useSyncExternalStore(
    (cb) => list.subscribe(cb),
    () => list.version,
  );
}
