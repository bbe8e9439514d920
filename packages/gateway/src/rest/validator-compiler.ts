import { Ajv } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';

// Bodies are checked as sent (no coercion: `"5"` is not a number, an unknown field is an error, not dropped);
// query strings and path parameters arrive as text, so there numbers and booleans are read from it.
// Every mismatch is reported (schemas.ts names them).
const bodyAjv = new Ajv({ coerceTypes: false, useDefaults: true, removeAdditional: false, allErrors: true });
const textAjv = new Ajv({ coerceTypes: true, useDefaults: true, removeAdditional: false, allErrors: true });

/** Fastify's validator compiler: strict for bodies, reading scalars from text for the query and the path. */
export const compileValidator: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? bodyAjv : textAjv).compile(schema);
