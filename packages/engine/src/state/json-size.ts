/**
 * The length of a value's JSON text, without building it (strings counted in UTF-16 units: close to bytes for
 * most text). Used to bound what commands and instances carry.
 */
export function jsonSize(value: unknown): number {
  if (value === null || value === undefined) return 4;
  switch (typeof value) {
    case 'string':
      return value.length + 2;
    case 'number':
    case 'bigint':
      return String(value).length;
    case 'boolean':
      return 5;
    case 'object': {
      let size = 2;
      if (Array.isArray(value)) {
        for (const item of value) size += jsonSize(item) + 1;
        return size;
      }
      for (const [name, item] of Object.entries(value)) size += name.length + 4 + jsonSize(item);
      return size;
    }
    default:
      return 0;
  }
}

/** What one variable adds to its instance: its name and its value as JSON. */
export function variableSize(name: string, value: unknown): number {
  return name.length + 4 + jsonSize(value);
}
