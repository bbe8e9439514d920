import { HttpError } from './http-error.js';

/**
 * Typed access to a request's query string. Every malformed or unknown parameter is a 400 naming it, so a
 * typo in a search never silently widens the result.
 */
export class QueryParams {
  constructor(
    private readonly query: URLSearchParams,
    known: readonly string[],
  ) {
    const allowed = new Set(known);
    for (const name of query.keys()) {
      if (!allowed.has(name))
        throw invalid(`unknown query parameter '${name}'; expected one of ${known.join(', ')}`);
    }
  }

  string(name: string): string | undefined {
    const value = this.query.get(name);
    return value === null || value === '' ? undefined : value;
  }

  /** One of `values`, upper-cased. */
  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const value = this.string(name)?.toUpperCase();
    if (value === undefined) return undefined;
    if (!(values as readonly string[]).includes(value))
      throw invalid(`'${name}' must be one of ${values.join(', ')}, got '${this.string(name)}'`);
    return value as T;
  }

  integer(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!/^-?[0-9]+$/.test(value)) throw invalid(`'${name}' must be an integer, got '${value}'`);
    return Number(value);
  }

  boolean(name: string): boolean | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (value !== 'true' && value !== 'false')
      throw invalid(`'${name}' must be true or false, got '${value}'`);
    return value === 'true';
  }

  /** A key: a decimal string of up to 19 digits. */
  key(name: string): string | undefined {
    const value = this.string(name);
    if (value !== undefined && !/^[0-9]{1,19}$/.test(value))
      throw invalid(`'${name}' must be a key (a decimal string of up to 19 digits), got '${value}'`);
    return value;
  }

  /** A point in time as epoch milliseconds or an ISO 8601 date-time. */
  time(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const millis = /^[0-9]+$/.test(value) ? Number(value) : Date.parse(value);
    if (!Number.isFinite(millis))
      throw invalid(`'${name}' must be a time (epoch milliseconds or ISO 8601), got '${value}'`);
    return millis;
  }

  /** A JSON value (a bare word that is not JSON is taken as a string, so `?variableValue=gold` works). */
  json(name: string): unknown {
    const value = this.query.get(name);
    if (value === null) return undefined;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      if (/^[\w.@-]+$/.test(value)) return value;
      throw invalid(`'${name}' must be a JSON value, got '${value}'`);
    }
  }
}

function invalid(message: string): HttpError {
  return new HttpError(400, 'INVALID_ARGUMENT', `Invalid query: ${message}`);
}
