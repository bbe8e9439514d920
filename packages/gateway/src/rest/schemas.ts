import { z } from 'zod';
import { HttpError } from './http-error.js';

/**
 * A 64-bit key as a decimal string. Not a JSON number: keys pass 2^53, where JavaScript numbers lose digits.
 */
export const keySchema = z
  .string()
  .regex(/^[0-9]{1,19}$/, 'Expected a key: a decimal string of up to 19 digits');

/** Process variables: a JSON object. */
export const variablesSchema = z.record(z.string(), z.unknown());

/** A duration in milliseconds. */
export const millisSchema = z.number().int().nonnegative();

/** Validates `value` against `schema`; a mismatch is a 400 that names each offending field. */
export function validate<S extends z.ZodTypeAny>(
  schema: S,
  value: unknown,
  what = 'request body',
): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data as z.infer<S>;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.length > 0 ? `'${issue.path.join('.')}'` : `the ${what}`;
    return `${field}: ${issue.message}`;
  });
  throw new HttpError(400, 'INVALID_ARGUMENT', `Invalid ${what}: ${problems.join('; ')}`);
}

/** A key from the path, e.g. `/v1/jobs/:key/complete`. */
export function pathKey(params: Readonly<Record<string, string>>, name = 'key'): string {
  return validate(keySchema, params[name], `path parameter '${name}'`);
}
