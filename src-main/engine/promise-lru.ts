/**
 * A small least-recently-used map of promises: the work for a key (decoding an image, reading a
 * frame from it) starts once, and callers asking for the same key meanwhile share it. Work that
 * fails is forgotten once it fails, so the next caller tries again (a file put back, a disk that
 * came back) instead of getting the old failure until the key is evicted.
 */
export class PromiseLru<T> {
  private readonly map = new Map<string, Promise<T>>();
  constructor(private readonly size: number) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.map.get(key);
    if (hit) {
      this.map.delete(key);
      this.map.set(key, hit);
      return hit;
    }
    const p = load();
    this.map.set(key, p);
    p.catch(() => {
      if (this.map.get(key) === p) this.map.delete(key);
    });
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value as string);
    return p;
  }
}
