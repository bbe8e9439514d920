import type { EngineState, RecordBody } from '@baton-engine/engine';
import { jsonSize } from '@baton-engine/engine';
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
  /**
   * Largest size of all variables of one process instance, as JSON (default 16 MiB): a command whose
   * variables would take an instance past it is refused. Checked for what enters from outside (creation,
   * job and user task completion, job failure and error, set variables); what the engine
   * computes itself is bounded by the expression limits.
   */
  readonly maxInstanceVariableBytes: number;
}

export const DEFAULT_COMMAND_LIMITS: CommandLimits = {
  maxVariableDocumentBytes: 4 * 1024 * 1024,
  maxVariablesPerDocument: 10_000,
  maxNestingDepth: 100,
  maxInstanceVariableBytes: 16 * 1024 * 1024,
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

/**
 * Refuses a command whose variables would take its process instance past `maxInstanceVariableBytes`;
 * returns the error, or undefined. Call it after `checkCommandLimits` has accepted the command. Counts the command's whole document against what the instance holds
 * (a variable it replaces counts twice: a bound, not an exact sum).
 */
export function checkInstanceVariables(
  body: RecordBody,
  key: string,
  state: EngineState,
  limits: CommandLimits,
): BatonError | undefined {
  const value = body.value as { variables?: unknown; scopeKey?: string; processInstanceKey?: string };
  const variables = value?.variables;
  if (variables === null || typeof variables !== 'object') return undefined;
  let instance: string | undefined;
  switch (body.valueType) {
    case 'PROCESS_INSTANCE_CREATION':
      instance = undefined; // a new instance holds nothing yet
      break;
    case 'JOB':
      instance = state.job(key)?.value.processInstanceKey;
      if (instance === undefined) return undefined; // unknown job: its processor rejects it
      break;
    case 'USER_TASK':
      instance = state.userTask(key)?.value.processInstanceKey;
      if (instance === undefined) return undefined;
      break;
    case 'VARIABLE_DOCUMENT':
      instance = state.elementInstance(value.scopeKey ?? '')?.value.processInstanceKey;
      if (instance === undefined) return undefined;
      break;
    default:
      return undefined;
  }
  const held = instance === undefined ? 0 : state.instanceVariableBytes(instance);
  // The document passed `checkCommandLimits`, so it is at most maxVariableDocumentBytes: with that much room
  // left the instance cannot pass its limit, and the document need not be walked a second time (the usual case).
  if (held + limits.maxVariableDocumentBytes <= limits.maxInstanceVariableBytes) return undefined;
  const added = jsonSize(variables);
  if (held + added <= limits.maxInstanceVariableBytes) return undefined;
  const whose = instance === undefined ? 'a new process instance' : `process instance ${instance}`;
  return new BatonError(
    'INVALID_ARGUMENT',
    `Expected the variables of ${whose} to be at most ${limits.maxInstanceVariableBytes} bytes as JSON, ` +
      `but it holds ${held} bytes and 'variables' adds ${added} (the per-instance limit, ` +
      'commandLimits.maxInstanceVariableBytes); keep large payloads outside the engine and pass references',
  );
}
