import { evaluate, FeelDate, FeelDateTime, parseExpression, toFeel, unaryTest } from 'feelin';
import { systemTimeZone, zoneOffsetMillis } from '../timers/time-zones.js';
import { exceedsJsonSize, expressionLimits, isTimeout, mayRunLong } from './evaluation-limits.js';
import { unshadow } from './shadowed-builtins.js';

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

const variableNames = new Map<string, string | undefined>();

/**
 * The variable an expression reads when it is only a variable or a property path of one (`r`, `r.total`,
 * `(r.a).b`), as Zeebe's `Expression.getVariableName`; undefined for anything else (`r + 1`, `r[1]`, `f(r)`).
 */
export function variableNameOf(expression: string): string | undefined {
  if (variableNames.has(expression)) return variableNames.get(expression);
  const name = parseVariableName(expression);
  // Expressions come from deployed models, so the cache stays small; bound it all the same.
  if (variableNames.size >= 10_000) variableNames.clear();
  variableNames.set(expression, name);
  return name;
}

function parseVariableName(expression: string): string | undefined {
  let tree: ReturnType<typeof parseExpression>;
  try {
    tree = parseExpression(expression, {}, undefined);
  } catch {
    return undefined;
  }
  let broken = false;
  tree.iterate({
    enter(node) {
      if (node.type.isError) broken = true;
    },
  });
  if (broken) return undefined;
  type SyntaxNode = NonNullable<typeof tree.topNode.firstChild>;
  let node: SyntaxNode | null = tree.topNode.firstChild;
  if (!node || node.nextSibling) return undefined;
  while (node) {
    switch (node.type.name) {
      case 'PathExpression':
        node = node.firstChild;
        break;
      case 'ParenthesizedExpression':
        node = node.getChild('(')?.nextSibling ?? null;
        break;
      case 'VariableName':
        return expression.slice(node.from, node.to).trim().replace(/\s+/g, ' ');
      default:
        return undefined;
    }
  }
  return undefined;
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

/**
 * Evaluates a FEEL expression against a context of variables; the result is made JSON-compatible.
 *
 * `now` is the time `now()` and `today()` see (ms since the epoch): while processing, always the command's
 * timestamp, so that evaluation is deterministic and follows a test's controlled clock. `undefined` only
 * outside processing (connectors, tools), where feelin's wall clock is right.
 */
export function evaluateFeel(
  expression: string,
  context: Record<string, unknown>,
  now: number | undefined,
): Result<unknown> {
  const limits = expressionLimits();
  const guarded = mayRunLong(expression);
  // The value is made JSON-compatible and measured inside the bound: a huge result takes long to walk too.
  const run = () => {
    let evaluated = evaluate(expression, withFunctions(expression, context, now)) as {
      value: unknown;
      warnings: FeelWarning[];
    };
    // A variable named like a built-in hid the function: evaluate again with the built-in visible.
    const retry = evaluated.warnings.some((w) => w.type === 'NO_FUNCTION_FOUND')
      ? unshadow(expression, context)
      : undefined;
    if (retry)
      evaluated = evaluate(retry.expression, withFunctions(retry.expression, retry.context, now)) as {
        value: unknown;
        warnings: FeelWarning[];
      };
    const json = toJsonValue(evaluated.value);
    const tooLarge = guarded && exceedsJsonSize(json, limits.maxResultBytes);
    return { warnings: evaluated.warnings, value: json, tooLarge };
  };
  let result: ReturnType<typeof run>;
  try {
    result = guarded && limits.runner ? limits.runner(run, limits.timeoutMs) : run();
  } catch (err) {
    if (isTimeout(err))
      return failure(
        `failed to evaluate expression '${expression}': it ran longer than ${limits.timeoutMs} ms, the limit for one expression`,
      );
    if (err instanceof RangeError)
      return failure(
        `failed to evaluate expression '${expression}': ${err.message} (too deep a recursion or too large a value)`,
      );
    return failure(`failed to evaluate expression '${expression}': ${(err as Error).message}`);
  }
  if (result.tooLarge)
    return failure(
      `failed to evaluate expression '${expression}': its result is larger than ${limits.maxResultBytes} bytes, the limit for one expression`,
    );
  const fatal = result.warnings.filter((w) => FAILING_WARNINGS.has(w.type));
  if (fatal.length > 0) {
    return failure(
      `failed to evaluate expression '${expression}': ${fatal.map((w) => w.message).join('; ')}`,
    );
  }
  const value = result.value;
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

/** Runs a decision table's unary test against the input value `?`, with `now()`/`today()` as in `evaluateFeel`. */
export function evaluateUnaryTest(
  test: string,
  context: Record<string, unknown>,
  now: number | undefined,
): Result<boolean | null> {
  const limits = expressionLimits();
  const run = () => unaryTest(test, withFunctions(test, context, now)).value;
  try {
    return ok(mayRunLong(test) && limits.runner ? limits.runner(run, limits.timeoutMs) : run());
  } catch (err) {
    if (isTimeout(err))
      return failure(
        `the test '${test}' ran longer than ${limits.timeoutMs} ms, the limit for one expression`,
      );
    return failure(`the test '${test}' failed: ${(err as Error).message}`);
  }
}

/**
 * The context with the functions the expression calls beyond feelin's: Camunda's `fromAi`, and `now()` and
 * `today()` bound to the given time, in the system time zone as feelin's own (and Zeebe's: the record's
 * instant in `ZoneId.systemDefault()`). A variable of such a name keeps shadowing the function, as it does in
 * feelin. The context is copied only when the expression names one of them (this runs for every evaluation).
 */
function withFunctions(
  expression: string,
  context: Record<string, unknown>,
  now: number | undefined,
): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  const missing = (name: string) => expression.includes(name) && !Object.hasOwn(context, name);
  if (missing('fromAi')) extra.fromAi = fromAi;
  if (now !== undefined && missing('now')) extra.now = () => dateTimeAt(now);
  if (now !== undefined && missing('today'))
    extra.today = () => new FeelDate(dateTimeAt(now).value.toPlainDate());
  for (const _ in extra) return { ...context, ...extra };
  return context;
}

/** A FEEL date and time for an instant, in the system time zone (as feelin's `now()`). */
function dateTimeAt(epochMillis: number): FeelDateTime {
  const zone = systemTimeZone();
  const offset = zoneOffsetMillis(zone, epochMillis) ?? 0;
  // toFeel turns a Date into a UTC date and time; shifted by the zone's offset it is the local wall-clock.
  const local = toFeel(new Date(epochMillis + offset)) as FeelDateTime;
  return new FeelDateTime(local.value, zone);
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
