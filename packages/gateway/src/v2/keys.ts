import { z } from 'zod';
import { invalidField } from './problem.js';

/**
 * Keys on the `/v2` wire are strings of decimal digits (the spec's `LongKey`: 64-bit, `^-?[0-9]+$`, at most 25
 * characters), in both directions: a JavaScript number cannot hold every 64-bit key.
 */
const KEY_PATTERN = /^-?[0-9]{1,24}$/;

/** A key in a request body: a string of digits; a number or anything else is refused naming the field. */
export const zKey = z
  .string({ invalid_type_error: 'expected a key (a string of digits)' })
  .regex(KEY_PATTERN, 'expected a key (a string of digits)');

/** A key from the path (`/process-instances/{processInstanceKey}`), checked; a bad one is a 400 naming it. */
export function pathKey(params: unknown, name: string): string {
  const value = (params as Record<string, unknown> | undefined)?.[name];
  if (typeof value !== 'string' || !KEY_PATTERN.test(value))
    throw invalidField(name, `expected a key (a string of digits), got '${String(value)}'`);
  return value;
}

/** A key as the response carries it: always a string ('-1' and empty mean none and are left out by callers). */
export function keyOut(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint' || typeof value === 'number') return String(value);
  throw new TypeError(`not a key: ${String(value)}`);
}

/** Whether a stored key names something (the engine writes '-1' or '' for "no key"). */
export function isSetKey(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && value !== '-1' && value !== '0';
}

/** An epoch-milliseconds time as the spec's date-time string, or undefined for none. */
export function dateOut(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return new Date(value).toISOString();
}

/**
 * An int64 number of the spec (`requestTimeout`, `timeToLive`, a clock `timestamp`, `operationReference`): a
 * JSON number, or a string of digits as the official client sends int64 values.
 */
export const zLong = z
  .union([z.number().int(), z.string().regex(/^-?[0-9]{1,19}$/, 'expected an integer')], {
    errorMap: () => ({ message: 'expected an integer (a number or a string of digits)' }),
  })
  .transform((v) => Number(v));
