const SET_FROM = 16;

type Entry = string | string[] | Set<string>;

/**
 * A map from a key to a small set of keys, stored as compactly as it can be: one value as the bare string,
 * a few in an array, many in a Set. Most owners (a scope, a waiting element, a correlation key) have one or
 * two entries, and a Set per owner would cost more memory than the owner itself.
 */
export class KeyMultimap {
  private readonly map = new Map<string, Entry>();

  get size(): number {
    return this.map.size;
  }

  add(key: string, value: string): void {
    const entry = this.map.get(key);
    if (entry === undefined) this.map.set(key, value);
    else if (typeof entry === 'string') {
      if (entry !== value) this.map.set(key, [entry, value]);
    } else if (Array.isArray(entry)) {
      if (entry.includes(value)) return;
      if (entry.length + 1 >= SET_FROM) this.map.set(key, new Set([...entry, value]));
      else entry.push(value);
    } else entry.add(value);
  }

  remove(key: string, value: string): void {
    const entry = this.map.get(key);
    if (entry === undefined) return;
    if (typeof entry === 'string') {
      if (entry === value) this.map.delete(key);
    } else if (Array.isArray(entry)) {
      const index = entry.indexOf(value);
      if (index < 0) return;
      entry.splice(index, 1);
      if (entry.length === 1) this.map.set(key, entry[0]!);
    } else {
      entry.delete(value);
      if (entry.size === 0) this.map.delete(key);
    }
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  /** The values of a key, in insertion order (a copy, safe to iterate while changing the map). */
  get(key: string): string[] {
    const entry = this.map.get(key);
    if (entry === undefined) return [];
    if (typeof entry === 'string') return [entry];
    return [...entry];
  }
}
