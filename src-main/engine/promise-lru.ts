/**
 * A small least-recently-used map of promises: the work for a key (decoding an image, reading a
 * frame from it) starts once, and callers asking for the same key meanwhile share it.
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
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value as string);
    return p;
  }
}
