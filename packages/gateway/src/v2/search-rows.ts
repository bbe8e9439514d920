import type { FieldCondition, FieldKind } from '@baton-engine/read-model';
import { invalidField } from './problem.js';
import type { SearchDefinition, SearchResponse } from './search.js';
import { cursor, pageOf, propertyConditions, sortOf } from './search.js';

/** A search over rows held in memory (engine state), with the spec's filter, sort and page as `runSearch` reads them. */
export interface RowSearch {
  /** Filter properties and their kinds. */
  readonly fields: Readonly<Record<string, FieldKind>>;
  /** The sort fields the spec defines. */
  readonly sort: readonly string[];
  /** Properties whose values are an enumeration: a value outside it is a 400 naming it. */
  readonly enums?: Readonly<Record<string, readonly string[]>>;
  /** The field that orders rows last, so that pages are stable (a key). */
  readonly tieBreaker: string;
}

/** Runs a search request (`{ filter, sort, page }`) over rows in the spec's shape. */
export function searchRows(
  rows: readonly Record<string, unknown>[],
  search: RowSearch,
  body: unknown,
): SearchResponse<Record<string, unknown>> {
  const request = body ?? {};
  if (typeof request !== 'object' || Array.isArray(request))
    throw invalidField('body', 'expected a search request object { filter, sort, page }');
  const { filter = {}, sort, page, ...rest } = request as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined)
    throw invalidField(unknown, 'not a property of a search request (expected filter, sort, page)');
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter))
    throw invalidField('filter', 'expected an object of filter properties');
  const conditions: FieldCondition[] = [];
  for (const [name, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    const kind = search.fields[name];
    if (!kind)
      throw invalidField(
        `filter.${name}`,
        `not a filter property here; expected one of ${Object.keys(search.fields).join(', ')}`,
      );
    const found = propertyConditions(`filter.${name}`, name, kind, value);
    const allowed = search.enums?.[name];
    if (allowed) for (const c of found) checkEnum(`filter.${name}`, c, allowed);
    conditions.push(...found);
  }
  const order = sortOf({ sort: search.sort } as unknown as SearchDefinition<unknown>, sort);
  const { offset, limit } = pageOf(page);
  const matching = rows.filter((row) => conditions.every((c) => matches(row[c.field], c)));
  const kinds = search.fields;
  matching.sort((a, b) => {
    for (const { field, order: direction } of [...order, { field: search.tieBreaker, order: 'ASC' }]) {
      const by = compare(a[field], b[field], kinds[field]);
      if (by !== 0) return direction === 'ASC' ? by : -by;
    }
    return 0;
  });
  const items = matching.slice(offset, offset + limit);
  return {
    items,
    page: {
      totalItems: matching.length,
      hasMoreTotalItems: false,
      ...(items.length > 0
        ? { startCursor: cursor(offset), endCursor: cursor(offset + items.length - 1) }
        : {}),
    },
  };
}

function checkEnum(path: string, condition: FieldCondition, allowed: readonly string[]): void {
  if (condition.op === '$exists' || condition.op === '$like') return;
  const values: unknown[] = Array.isArray(condition.value) ? condition.value : [condition.value];
  const bad = values.find((v) => !allowed.includes(v as string));
  if (bad !== undefined)
    throw invalidField(path, `expected one of ${allowed.join(', ')}, got ${JSON.stringify(bad)}`);
}

function matches(value: unknown, c: FieldCondition): boolean {
  switch (c.op) {
    case '$exists':
      return (value !== undefined) === c.value;
    case '$eq':
      return value === c.value;
    case '$neq':
      return value !== c.value;
    case '$in':
      return (c.value as unknown[]).includes(value);
    case '$notIn':
      return !(c.value as unknown[]).includes(value);
    case '$like':
      return typeof value === 'string' && likeRegExp(c.value as string).test(value);
    default:
      return false;
  }
}

/** `*` any characters, `?` one, `\` escapes (as the read model's `$like`). */
function likeRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\' && i + 1 < pattern.length) out += escape(pattern[++i]!);
    else if (ch === '*') out += '.*';
    else if (ch === '?') out += '.';
    else out += escape(ch);
  }
  return new RegExp(`^${out}$`, 's');
}

function escape(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compare(a: unknown, b: unknown, kind: FieldKind | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  if (kind === 'key') {
    const [x, y] = [BigInt(a as string), BigInt(b as string)];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return String(a) < String(b) ? -1 : 1;
}
