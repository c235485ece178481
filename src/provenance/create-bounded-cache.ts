/** A least-recently-used map with a fixed number of entries. */
export interface BoundedCache<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  readonly size: number;
}

/** Creates an LRU cache holding at most `maxEntries` (0 disables it). */
export function createBoundedCache<V>(maxEntries: number): BoundedCache<V> {
  const map = new Map<string, V>();
  return {
    get(key) {
      const value = map.get(key);
      if (value === undefined) return undefined;
      // Re-insert so Map's insertion order tracks recency.
      map.delete(key);
      map.set(key, value);
      return value;
    },
    set(key, value) {
      if (maxEntries <= 0) return;
      map.delete(key);
      map.set(key, value);
      while (map.size > maxEntries) {
        const oldest = map.keys().next().value as string;
        map.delete(oldest);
      }
    },
    get size() {
      return map.size;
    },
  };
}
