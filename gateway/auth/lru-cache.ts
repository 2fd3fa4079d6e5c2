/**
 * A bounded map that forgets what has not been used for a while: two generations of at most
 * half the capacity each. New entries, and entries read from the old generation, go to the
 * current one; when it is full it becomes the old one and the previous old one is dropped. A
 * hit in the current generation changes nothing, where an exact LRU re-inserts on every hit
 * (a Map delete and set per request, whose table churn showed in the gateway's profile). An
 * entry read at least once per generation is never evicted; what goes first is the entries not
 * read since the generation before.
 */
export class LruCache<K, V> {
  private current = new Map<K, V>();
  private old = new Map<K, V>();
  private readonly generationSize: number;

  constructor(capacity: number) {
    this.generationSize = Math.max(1, Math.floor(capacity / 2));
  }

  /** Entries held, at most the capacity (rounded down to even, at least 2). */
  get size(): number {
    let n = this.current.size;
    for (const key of this.old.keys()) if (!this.current.has(key)) n++;
    return n;
  }

  get(key: K): V | undefined {
    const value = this.current.get(key);
    if (value !== undefined) return value;
    const aged = this.old.get(key);
    if (aged === undefined) return undefined;
    this.old.delete(key);
    this.put(key, aged);
    return aged;
  }

  set(key: K, value: V): void {
    this.old.delete(key);
    if (this.current.has(key)) this.current.set(key, value);
    else this.put(key, value);
  }

  delete(key: K): void {
    this.current.delete(key);
    this.old.delete(key);
  }

  clear(): void {
    this.current.clear();
    this.old.clear();
  }

  private put(key: K, value: V): void {
    if (this.current.size >= this.generationSize) {
      this.old = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
  }
}
