import type { ErrorObject } from 'ajv';
import type { FastifyServerOptions } from 'fastify';
import { HttpError } from './http-error.js';

/**
 * JSON schemas of the REST API's requests, checked by Fastify before a handler runs; a mismatch is a 400
 * naming the field (see `formatValidationErrors`).
 */

/** The key pattern: 64-bit keys travel as decimal strings, because JSON numbers lose digits past 2^53. */
const KEY_PATTERN = '^[0-9]{1,19}$';

/** A 64-bit key as a decimal string. */
export const keySchema = { type: 'string', pattern: KEY_PATTERN } as const;

/** A non-empty string. */
export const nameSchema = { type: 'string', minLength: 1 } as const;

/** `{ key }` path parameters, as in `/baton/v1/forms/:key`. */
export const keyParams = {
  type: 'object',
  properties: { key: keySchema },
  required: ['key'],
} as const;

export interface KeyParams {
  readonly key: string;
}

/** An object with exactly these properties (`required` among them): anything else is refused, by name. */
export function objectSchema(
  properties: Readonly<Record<string, object>>,
  required: readonly string[] = [],
): object {
  return { type: 'object', properties, required, additionalProperties: false };
}

/** A message names at most this many mismatches (the validators report every one). */
const MAX_PROBLEMS = 10;

const PART_NAMES: Readonly<Record<string, string>> = {
  body: 'request body',
  querystring: 'query',
  params: 'path parameter',
  headers: 'headers',
};

/** A validation failure as one 400 naming each offending field: `Invalid request body: 'retries': must be integer`. */
export const formatValidationErrors: NonNullable<FastifyServerOptions['schemaErrorFormatter']> = (
  errors,
  dataVar,
) => {
  const part = PART_NAMES[dataVar] ?? dataVar;
  const problems = (errors as ErrorObject[]).map((error) => {
    const path = error.instancePath
      .split('/')
      .slice(1)
      .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (error.keyword === 'additionalProperties') {
      const name = [...path, String(error.params.additionalProperty)].join('.');
      return dataVar === 'querystring'
        ? `unknown query parameter '${name}'`
        : `'${name}': unknown field (not one of the documented ones)`;
    }
    if (error.keyword === 'required')
      return `'${[...path, String(error.params.missingProperty)].join('.')}': is required`;
    const field = path.length > 0 ? `'${path.join('.')}'` : `the ${part}`;
    const message =
      error.keyword === 'pattern' && error.params.pattern === KEY_PATTERN
        ? 'Expected a key: a decimal string of up to 19 digits'
        : (error.message ?? error.keyword);
    return `${field}: ${message}`;
  });
  const listed =
    problems.length > MAX_PROBLEMS
      ? [...problems.slice(0, MAX_PROBLEMS), `and ${problems.length - MAX_PROBLEMS} more`]
      : problems;
  const what = dataVar === 'params' ? `${part} ${listed.join('; ')}` : `${part}: ${listed.join('; ')}`;
  return new HttpError(400, 'INVALID_ARGUMENT', `Invalid ${what}`);
};
