import type { RecordBody } from '@baton-engine/engine';
import { BatonError } from '../errors.js';

/**
 * Bounds on what one command may carry, checked before it is queued: a command past them is refused alone
 * (INVALID_ARGUMENT naming the field and the limit) instead of failing the batch it would have joined.
 */
export interface CommandLimits {
  /** Largest variable document of one command, as JSON text (default 4 MiB, as the gRPC message limit). */
  readonly maxVariableDocumentBytes: number;
  /** Most variables (top-level names) in one document (default 10,000); each becomes a record. */
  readonly maxVariablesPerDocument: number;
  /** Deepest nesting of objects and arrays anywhere in a command (default 100). */
  readonly maxNestingDepth: number;
}

export const DEFAULT_COMMAND_LIMITS: CommandLimits = {
  maxVariableDocumentBytes: 4 * 1024 * 1024,
  maxVariablesPerDocument: 10_000,
  maxNestingDepth: 100,
};

/** Names refused anywhere in a document: JavaScript gives them a meaning of their own. */
const RESERVED_NAMES = new Set(['__proto__']);

/** Refuses a command past the limits; returns the error, or undefined when it is within them. */
export function checkCommandLimits(body: RecordBody, limits: CommandLimits): BatonError | undefined {
  const value = body.value as unknown;
  // A malformed body is for its processor to refuse (or, being a bug, to fail alone).
  if (value === null || typeof value !== 'object') return undefined;
  for (const [field, content] of Object.entries(value)) {
    const problem = walk(content, [field], 1, limits);
    if (problem) return new BatonError('INVALID_ARGUMENT', problem);
    if (field === 'variables' && content !== null && typeof content === 'object') {
      const names = Object.keys(content).length;
      if (names > limits.maxVariablesPerDocument)
        return new BatonError(
          'INVALID_ARGUMENT',
          `Expected at most ${limits.maxVariablesPerDocument} variables in 'variables', but it has ${names}`,
        );
      const bytes = jsonSize(content);
      if (bytes > limits.maxVariableDocumentBytes)
        return new BatonError(
          'INVALID_ARGUMENT',
          `Expected 'variables' to be at most ${limits.maxVariableDocumentBytes} bytes as JSON, but it is ${bytes} bytes`,
        );
    }
  }
  return undefined;
}

/**
 * The first problem inside `value` (too deep, a reserved name, a number JSON cannot hold), naming its path.
 * `path` holds the segments down to `value` (pushed and popped, joined only for a problem: this runs for
 * every command, and nearly every command has none).
 */
function walk(
  value: unknown,
  path: (string | number)[],
  depth: number,
  limits: CommandLimits,
): string | undefined {
  // The log is JSON, which has no such numbers: they would read back as null after a restart.
  if (typeof value === 'number' && !Number.isFinite(value))
    return `Expected '${shown(path)}' to be a finite number, but it is ${value}`;
  if (value === null || typeof value !== 'object') return undefined;
  if (depth > limits.maxNestingDepth)
    return `Expected '${shown(path)}' to nest at most ${limits.maxNestingDepth} levels deep, but it nests deeper`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      const problem = walk(value[i], path, depth + 1, limits);
      path.pop();
      if (problem) return problem;
    }
    return undefined;
  }
  for (const name of Object.keys(value)) {
    if (RESERVED_NAMES.has(name))
      return `Expected no property named '${name}' in '${shown(path)}' (a reserved name), but found one`;
    path.push(name);
    const problem = walk((value as Record<string, unknown>)[name], path, depth + 1, limits);
    path.pop();
    if (problem) return problem;
  }
  return undefined;
}

/** A path as the messages show it: `variables.order.items[3]`. */
function shown(path: readonly (string | number)[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** The length of the value's JSON text (strings counted in UTF-16 units: close to bytes for most text). */
function jsonSize(value: unknown): number {
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
