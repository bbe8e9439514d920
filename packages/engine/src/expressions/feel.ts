import { evaluate, parseExpression } from 'feelin';

/** An expected outcome as a value: the value, or a message saying why there is none. */
export type Result<T> =
  | { readonly ok: true; readonly value: T; readonly warnings?: readonly FeelWarning[] }
  | { readonly ok: false; readonly message: string };

/** What feelin reports while evaluating to null, e.g. a variable that was not found. */
export interface FeelWarning {
  readonly type: string;
  readonly message: string;
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const failure = <T = never>(message: string): Result<T> => ({ ok: false, message });

/** Returns a message describing the first syntax error in a FEEL expression, or undefined if it parses. */
export function checkFeelSyntax(expression: string): string | undefined {
  if (expression.trim() === '') return 'the expression is empty';
  let error: string | undefined;
  try {
    const tree = parseExpression(expression, {}, undefined);
    tree.iterate({
      enter(node) {
        if (error === undefined && node.type.isError) {
          const near = expression.slice(node.from, Math.max(node.to, node.from + 10));
          error =
            near === ''
              ? `syntax error: unexpected end of expression at position ${node.from}`
              : `syntax error at position ${node.from} near '${near}'`;
        }
      },
    });
  } catch (err) {
    return (err as Error).message;
  }
  return error;
}

/**
 * Warnings that make an evaluation fail, as FEEL-scala fails in Camunda 8: calling a function that does not
 * exist or that throws. Other problems (a missing variable, a type mismatch) yield null with a warning.
 */
const FAILING_WARNINGS: ReadonlySet<string> = new Set(['NO_FUNCTION_FOUND', 'FUNCTION_INVOCATION_FAILURE']);

/**
 * Camunda's `fromAi(value, description, type, schema, options)`: marks an input of an ad-hoc sub-process's tool
 * as a parameter an AI agent fills in; it evaluates to the value.
 */
function fromAi(
  value: unknown,
  description?: unknown,
  type?: unknown,
  schema?: unknown,
  options?: unknown,
): unknown {
  void [description, type, schema, options];
  return value;
}

/** Evaluates a FEEL expression against a context of variables; the result is made JSON-compatible. */
export function evaluateFeel(expression: string, context: Record<string, unknown>): Result<unknown> {
  let result: { value: unknown; warnings: FeelWarning[] };
  // Camunda's own functions join the context only where they are called (no copy of it otherwise).
  const withCamundaFunctions = expression.includes('fromAi') ? { fromAi, ...context } : context;
  try {
    result = evaluate(expression, withCamundaFunctions);
  } catch (err) {
    return failure(`failed to evaluate expression '${expression}': ${(err as Error).message}`);
  }
  const fatal = result.warnings.filter((w) => FAILING_WARNINGS.has(w.type));
  if (fatal.length > 0) {
    return failure(
      `failed to evaluate expression '${expression}': ${fatal.map((w) => w.message).join('; ')}`,
    );
  }
  const value = toJsonValue(result.value);
  if (value === undefined) {
    return failure(
      `expression '${expression}' evaluated to a value that cannot be stored (a function or range)`,
    );
  }
  if (value === null && result.warnings.length > 0) {
    return { ok: true, value: null, warnings: result.warnings };
  }
  return ok(value);
}

/** The warnings feelin reported while producing a null, for incident messages. */
export function warningsOf(result: Result<unknown>): string {
  const warnings = result.ok ? result.warnings : undefined;
  if (!warnings || warnings.length === 0) return '';
  return ` The evaluation reported the following warnings: ${warnings.map((w) => `[${w.type}] ${w.message}`).join('; ')}`;
}

function toJsonValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'function':
      return undefined;
    case 'object': {
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
        return JSON.parse(JSON.stringify(value)) as unknown;
      }
      if (Array.isArray(value)) return value.map((v) => toJsonValue(v) ?? null);
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return undefined;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const converted = toJsonValue(v);
        if (converted !== undefined) out[k] = converted;
      }
      return out;
    }
    default:
      return null;
  }
}

/** Splits "=expr" into a FEEL expression, or returns undefined for a static value. */
export function feelExpressionOf(text: string): string | undefined {
  const trimmed = text.trim();
  return trimmed.startsWith('=') ? trimmed.slice(1) : undefined;
}

/** A FEEL string literal for a static text, so that static mapping sources evaluate to themselves. */
export function feelStringLiteral(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The FEEL name of a value's type, as in Zeebe's incident messages. */
export function feelTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return 'STRING';
  if (typeof value === 'number') return 'NUMBER';
  if (typeof value === 'boolean') return 'BOOLEAN';
  if (Array.isArray(value)) return 'ARRAY';
  return 'OBJECT';
}
