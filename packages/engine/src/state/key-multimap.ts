const SET_FROM = 16;

/**
 * A small set of values stored as compactly as it can be: one value bare, a few in an array, many in a Set.
 * Most owners (a scope, a waiting element, a correlation key) hold one or two values, and a Set per owner
 * would cost more memory than the owner itself. Values must be neither arrays nor Sets; `undefined` is the
 * empty bag.
 */
export type Bag<T> = T | T[] | Set<T>;

/** The bag with `value` added (the same bag when it was there already). */
export function bagAdd<T>(bag: Bag<T> | undefined, value: T): Bag<T> {
  if (bag === undefined) return value;
  if (bag instanceof Set) return bag.add(value);
  if (Array.isArray(bag)) {
    if (bag.includes(value)) return bag;
    if (bag.length + 1 >= SET_FROM) return new Set([...bag, value]);
    bag.push(value);
    return bag;
  }
  return bag === value ? bag : [bag, value];
}

/** The bag without `value`; undefined once it is empty. */
export function bagRemove<T>(bag: Bag<T> | undefined, value: T): Bag<T> | undefined {
  if (bag === undefined) return undefined;
  if (bag instanceof Set) {
    bag.delete(value);
    return bag.size === 0 ? undefined : bag;
  }
  if (Array.isArray(bag)) {
    const index = bag.indexOf(value);
    if (index >= 0) bag.splice(index, 1);
    return bag.length === 1 ? bag[0] : bag;
  }
  return bag === value ? undefined : bag;
}

/** The values of a bag in insertion order (a copy, safe to iterate while changing the bag). */
export function bagValues<T>(bag: Bag<T> | undefined): T[] {
  if (bag === undefined) return [];
  if (bag instanceof Set || Array.isArray(bag)) return [...bag];
  return [bag];
}

/** A map from a key to a bag of values. */
export class KeyMultimap<T = string> {
  private readonly map = new Map<string, Bag<T>>();

  get size(): number {
    return this.map.size;
  }

  add(key: string, value: T): void {
    const bag = this.map.get(key);
    const next = bagAdd(bag, value);
    if (next !== bag) this.map.set(key, next);
  }

  remove(key: string, value: T): void {
    const bag = this.map.get(key);
    const next = bagRemove(bag, value);
    if (next === undefined) this.map.delete(key);
    else if (next !== bag) this.map.set(key, next);
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  /** The values of a key, in insertion order (a copy, safe to iterate while changing the map). */
  get(key: string): T[] {
    return bagValues(this.map.get(key));
  }
}
