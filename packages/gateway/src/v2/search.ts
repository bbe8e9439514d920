import type {
  FieldCondition,
  FieldKind,
  FilterOperator,
  ReadModelQueries,
  SearchResource,
} from '@baton-engine/read-model';
import { MAX_LIMIT, searchFields } from '@baton-engine/read-model';
import { DEFAULT_TENANT } from '../tenancy.js';
import { invalidField, ProblemError } from './problem.js';

/**
 * The spec's search request `{ filter, sort, page }` and response `{ items, page }` over the read model.
 *
 * - `filter`: each property is a value (equality) or an advanced filter (`$eq`, `$neq`, `$exists`, `$in`,
 *   `$notIn`, `$like`, and `$gt`/`$gte`/`$lt`/`$lte` for numbers and dates); an unknown property or operator
 *   is a 400 naming it. `tenantId` accepts only `<default>` (Baton has one tenant).
 * - `sort`: `[{ field, order: ASC | DESC }]`, the key last so that pages are stable.
 * - `page`: `{ from, limit }` or `{ after | before, limit }` (default limit 100). Cursors are opaque
 *   (base64); they hold the position in the result, so a page after inserts may repeat or skip a row.
 */
export interface SearchDefinition<Item> {
  readonly resource: SearchResource;
  /** The filter properties the spec defines, by their spec name → the read model's field (same name if equal). */
  readonly filter: readonly string[] | Readonly<Record<string, string>>;
  /** The sort fields the spec defines, spec name → read model field. */
  readonly sort: readonly string[] | Readonly<Record<string, string>>;
  /** Filter properties the spec defines that Baton cannot search by: a 400 saying so, never ignored. */
  readonly unsupported?: readonly string[];
  /** Whether the spec allows `$or: [filter, …]` in this filter. */
  readonly or?: boolean;
  /**
   * Filter properties that are not a field of the read model (`variables` of process instances): they turn
   * their value into conditions, or into `false` when nothing can match.
   */
  readonly special?: Readonly<
    Record<
      string,
      (
        value: unknown,
        path: string,
      ) => Promise<readonly FieldCondition[] | false> | readonly FieldCondition[] | false
    >
  >;
  /** A read-model row (see `apiRow`) as the spec's item (async where the engine is asked, e.g. for a start form). */
  readonly item: (row: Record<string, unknown>) => Item | Promise<Item>;
}

export interface SearchResponse<Item> {
  readonly items: Item[];
  readonly page: {
    readonly totalItems: number;
    readonly hasMoreTotalItems: boolean;
    readonly startCursor?: string;
    readonly endCursor?: string;
  };
}

const DEFAULT_LIMIT = 100;
const OPERATORS: Readonly<Record<FilterOperator, readonly FieldKind[]>> = {
  $eq: ['key', 'string', 'integer', 'date', 'boolean'],
  $neq: ['key', 'string', 'integer', 'date', 'boolean'],
  $exists: ['key', 'string', 'integer', 'date', 'boolean'],
  $in: ['key', 'string', 'integer', 'date'],
  $notIn: ['key', 'string', 'integer', 'date'],
  $like: ['string', 'key'],
  $gt: ['integer', 'date'],
  $gte: ['integer', 'date'],
  $lt: ['integer', 'date'],
  $lte: ['integer', 'date'],
};

/** The read model, or a 403 saying that searches need it (as Camunda answers without secondary storage). */
export function requireReadModel(readModel: ReadModelQueries | undefined): ReadModelQueries {
  if (readModel) return readModel;
  throw new ProblemError(
    403,
    'FORBIDDEN',
    'This endpoint needs the read model (secondary storage), and this server runs without one',
  );
}

/** Runs a search request (the body of `POST /v2/<resource>/search`); `fixed` conditions are added (a path key). */
export async function runSearch<Item>(
  readModel: ReadModelQueries | undefined,
  definition: SearchDefinition<Item>,
  body: unknown,
  fixed: readonly FieldCondition[] = [],
): Promise<SearchResponse<Item>> {
  const model = requireReadModel(readModel);
  const request = body ?? {};
  if (typeof request !== 'object' || Array.isArray(request))
    throw invalidField('body', 'expected a search request object { filter, sort, page }');
  const { filter, sort, page, ...rest } = request as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0)
    throw invalidField(unknown[0]!, 'not a property of a search request (expected filter, sort, page)');
  const { $or, ...fields } = (filter ?? {}) as Record<string, unknown>;
  const conditions = [
    ...fixed,
    ...(await filterConditions(definition, filter === undefined ? undefined : fields, 'filter')),
  ];
  if (conditions.some((c) => c.field === NOTHING)) return emptyPage();
  let anyOf: FieldCondition[][] | undefined;
  if ($or !== undefined) {
    if (!definition.or) throw invalidField('filter.$or', 'not a filter property here');
    if (!Array.isArray($or)) throw invalidField('filter.$or', 'expected an array of filters');
    const groups: FieldCondition[][] = [];
    for (const [i, alternative] of ($or as unknown[]).entries())
      groups.push(await filterConditions(definition, alternative, `filter.$or.${i}`));
    anyOf = groups.filter((group) => !group.some((c) => c.field === NOTHING));
    if (anyOf.length === 0 && $or.length > 0) return emptyPage();
  }
  const order = sortOf(definition, sort);
  const { offset, limit } = pageOf(page);
  const result = await model.search(definition.resource, {
    conditions,
    ...(anyOf ? { anyOf } : {}),
    sort: order,
    offset,
    limit,
  });
  const kinds = searchFields(definition.resource);
  const items = await Promise.all(result.items.map((row) => definition.item(apiRow(row, kinds))));
  return {
    items,
    page: {
      totalItems: result.total,
      hasMoreTotalItems: false,
      ...(items.length > 0
        ? { startCursor: cursor(offset), endCursor: cursor(offset + items.length - 1) }
        : {}),
    },
  };
}

/** One record by a key field, or a 404 naming it. */
export async function getOne<Item>(
  readModel: ReadModelQueries | undefined,
  definition: SearchDefinition<Item>,
  field: string,
  key: string,
  what: string,
): Promise<Item> {
  const model = requireReadModel(readModel);
  const result = await model.search(definition.resource, {
    conditions: [{ field, op: '$eq', value: key }],
    limit: 1,
  });
  const row = result.items[0];
  if (!row)
    throw new ProblemError(
      404,
      'NOT_FOUND',
      `Expected to find ${what} with key '${key}', but none was found`,
    );
  return await definition.item(apiRow(row, searchFields(definition.resource)));
}

/**
 * A read-model row as the API writes it: dates as ISO 8601 strings, keys as strings, absent values (null, '',
 * '-1' keys) left out, and the tenant `<default>`.
 */
export function apiRow(
  row: Record<string, unknown>,
  kinds: Readonly<Record<string, FieldKind>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { tenantId: DEFAULT_TENANT };
  for (const [name, value] of Object.entries(row)) {
    if (value === null || value === undefined) continue;
    const kind = kinds[name];
    if (kind === 'date') out[name] = new Date(value as number).toISOString();
    else if (kind === 'key') {
      const key = String(value);
      if (key !== '' && key !== '-1') out[name] = key;
    } else out[name] = value;
  }
  return out;
}

/** A condition that matches nothing (a tenant other than `<default>`). */
const NOTHING = '\u0000nothing';

function names(list: readonly string[] | Readonly<Record<string, string>>): Map<string, string> {
  return new Map(Array.isArray(list) ? list.map((n) => [n, n]) : Object.entries(list));
}

async function filterConditions(
  definition: SearchDefinition<unknown>,
  filter: unknown,
  at: string,
): Promise<FieldCondition[]> {
  if (filter === undefined || filter === null) return [];
  if (typeof filter !== 'object' || Array.isArray(filter))
    throw invalidField(at, 'expected an object of filter properties');
  const fields = names(definition.filter);
  const out: FieldCondition[] = [];
  for (const [name, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    if (name === 'tenantId') {
      if (!tenantMatches(value)) out.push({ field: NOTHING, op: '$eq', value: null });
      continue;
    }
    const special = definition.special?.[name];
    if (special) {
      const conditions = await special(value, `${at}.${name}`);
      if (conditions === false) out.push({ field: NOTHING, op: '$eq', value: null });
      else out.push(...conditions);
      continue;
    }
    if (definition.unsupported?.includes(name))
      throw invalidField(`${at}.${name}`, 'Baton cannot search by this property (not supported)');
    const field = fields.get(name);
    if (field === undefined)
      throw invalidField(
        `${at}.${name}`,
        `not a filter property here; expected one of ${[...fields.keys(), ...Object.keys(definition.special ?? {}), 'tenantId'].join(', ')}`,
      );
    out.push(...propertyConditions(`${at}.${name}`, field, searchFields(definition.resource)[field]!, value));
  }
  return out;
}

/** One filter property (a value, or an advanced filter object) as conditions on a read-model field. */
export function propertyConditions(
  at: string,
  field: string,
  kind: FieldKind,
  value: unknown,
): FieldCondition[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    checkValue(at, kind, value);
    return [{ field, op: '$eq', value }];
  }
  const out: FieldCondition[] = [];
  for (const [op, operand] of Object.entries(value as Record<string, unknown>)) {
    const path = `${at}.${op}`;
    const allowed = OPERATORS[op as FilterOperator];
    if (!allowed)
      throw invalidField(path, `unknown operator; expected one of ${Object.keys(OPERATORS).join(', ')}`);
    if (!allowed.includes(kind)) throw invalidField(path, `not an operator for a ${kind} property`);
    if (op === '$exists') {
      if (typeof operand !== 'boolean') throw invalidField(path, 'expected a boolean');
    } else if (op === '$in' || op === '$notIn') {
      if (!Array.isArray(operand)) throw invalidField(path, 'expected an array');
      operand.forEach((v, i) => checkValue(`${path}.${i}`, kind, v));
    } else if (op === '$like') {
      if (typeof operand !== 'string') throw invalidField(path, 'expected a string');
    } else checkValue(path, kind, operand);
    out.push({ field, op: op as FilterOperator, value: operand });
  }
  return out;
}

function tenantMatches(value: unknown): boolean {
  if (typeof value === 'string') return value === DEFAULT_TENANT;
  if (value && typeof value === 'object') {
    const f = value as Record<string, unknown>;
    if (f.$eq !== undefined) return f.$eq === DEFAULT_TENANT;
    if (Array.isArray(f.$in)) return f.$in.includes(DEFAULT_TENANT);
    return true;
  }
  throw invalidField('filter.tenantId', 'expected a string');
}

const KEY = /^-?[0-9]{1,24}$/;

function checkValue(path: string, kind: FieldKind, value: unknown): void {
  const ok =
    kind === 'key'
      ? typeof value === 'string' && KEY.test(value)
      : kind === 'string'
        ? typeof value === 'string'
        : kind === 'integer'
          ? Number.isInteger(value)
          : kind === 'boolean'
            ? typeof value === 'boolean'
            : typeof value === 'string' && Number.isFinite(Date.parse(value));
  if (!ok) {
    const expected = {
      key: 'a key (a string of digits)',
      string: 'a string',
      integer: 'an integer',
      boolean: 'a boolean',
      date: 'an ISO 8601 date-time string',
    }[kind];
    throw invalidField(path, `expected ${expected}, got ${JSON.stringify(value)}`);
  }
}

export function sortOf(
  definition: SearchDefinition<unknown>,
  sort: unknown,
): { field: string; order: 'ASC' | 'DESC' }[] {
  if (sort === undefined || sort === null) return [];
  if (!Array.isArray(sort)) throw invalidField('sort', 'expected an array of { field, order }');
  const fields = names(definition.sort);
  return sort.map((s: unknown, i) => {
    if (!s || typeof s !== 'object') throw invalidField(`sort.${i}`, 'expected { field, order }');
    const { field, order = 'ASC' } = s as { field?: unknown; order?: unknown };
    const mapped = typeof field === 'string' ? fields.get(field) : undefined;
    if (mapped === undefined)
      throw invalidField(
        `sort.${i}.field`,
        `expected one of ${[...fields.keys()].join(', ')}, got ${JSON.stringify(field)}`,
      );
    const normalized = typeof order === 'string' ? order.toUpperCase() : order;
    if (normalized !== 'ASC' && normalized !== 'DESC')
      throw invalidField(`sort.${i}.order`, `expected ASC or DESC, got ${JSON.stringify(order)}`);
    return { field: mapped, order: normalized };
  });
}

export function pageOf(page: unknown): { offset: number; limit: number } {
  if (page === undefined || page === null) return { offset: 0, limit: DEFAULT_LIMIT };
  if (typeof page !== 'object' || Array.isArray(page))
    throw invalidField('page', 'expected { from, limit } or { after | before, limit }');
  const { from, limit = DEFAULT_LIMIT, after, before, ...rest } = page as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined)
    throw invalidField(`page.${extra}`, 'not a page property (from, limit, after, before)');
  if (!Number.isInteger(limit) || (limit as number) < 0 || (limit as number) > MAX_LIMIT)
    throw invalidField(
      'page.limit',
      `expected an integer from 0 to ${MAX_LIMIT}, got ${JSON.stringify(limit)}`,
    );
  const size = limit as number;
  const given = [from, after, before].filter((v) => v !== undefined).length;
  if (given > 1) throw invalidField('page', 'give one of from, after and before');
  if (after !== undefined) return { offset: uncursor('page.after', after) + 1, limit: size };
  if (before !== undefined) {
    const end = uncursor('page.before', before);
    return { offset: Math.max(0, end - size), limit: Math.min(size, end) };
  }
  if (from === undefined) return { offset: 0, limit: size };
  if (!Number.isInteger(from) || (from as number) < 0)
    throw invalidField('page.from', `expected a non-negative integer, got ${JSON.stringify(from)}`);
  return { offset: from as number, limit: size };
}

export function cursor(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64');
}

function uncursor(path: string, value: unknown): number {
  if (typeof value === 'string') {
    try {
      const decoded = JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as { offset?: unknown };
      if (Number.isInteger(decoded.offset) && (decoded.offset as number) >= 0)
        return decoded.offset as number;
    } catch {
      // falls through to the error below
    }
  }
  throw invalidField(path, 'not a cursor of this server (use startCursor or endCursor of a response)');
}

function emptyPage<Item>(): SearchResponse<Item> {
  return { items: [], page: { totalItems: 0, hasMoreTotalItems: false } };
}
