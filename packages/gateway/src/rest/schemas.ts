import { Ajv } from 'ajv';
import type { ErrorObject } from 'ajv';
import type { FastifySchemaCompiler, FastifyServerOptions } from 'fastify';
import { HttpError } from './http-error.js';

/**
 * JSON schemas of the REST API's requests, checked by Fastify before a handler runs; a mismatch is a 400
 * naming the field (see `formatValidationErrors`).
 */

/** The key pattern: 64-bit keys travel as decimal strings, because JSON numbers lose digits past 2^53. */
const KEY_PATTERN = '^[0-9]{1,19}$';

/** A 64-bit key as a decimal string. */
export const keySchema = { type: 'string', pattern: KEY_PATTERN } as const;

/** Process variables: a JSON object. */
export const variablesSchema = { type: 'object' } as const;

/** A duration in milliseconds. */
export const millisSchema = { type: 'integer', minimum: 0 } as const;

/** A non-empty string. */
export const nameSchema = { type: 'string', minLength: 1 } as const;

/** `{ key }` path parameters, as in `/v1/jobs/:key/complete`. */
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

// Bodies are checked as sent (no coercion: `"5"` is not a number, an unknown field is an error, not dropped);
// query strings and path parameters arrive as text, so there numbers and booleans are read from it.
// Every mismatch is reported (a message names at most MAX_PROBLEMS of them).
const bodyAjv = new Ajv({ coerceTypes: false, useDefaults: true, removeAdditional: false, allErrors: true });
const textAjv = new Ajv({ coerceTypes: true, useDefaults: true, removeAdditional: false, allErrors: true });
const MAX_PROBLEMS = 10;

/** Fastify's validator compiler: strict for bodies, reading scalars from text for the query and the path. */
export const compileValidator: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? bodyAjv : textAjv).compile(schema);

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

/** A rule JSON schema cannot name well: exactly one of two fields (`bpmnProcessId` or `processDefinitionKey`). */
export function requireExactlyOne(body: object, first: string, second: string): void {
  if (Object.hasOwn(body, first) === Object.hasOwn(body, second))
    throw new HttpError(
      400,
      'INVALID_ARGUMENT',
      `Invalid request body: Expected exactly one of ${first} and ${second}`,
    );
}
