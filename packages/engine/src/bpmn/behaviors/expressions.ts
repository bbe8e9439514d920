import type { ProcessingContext } from '../../processing/processing-context.js';
import type { ExpressionOrStatic } from '../../model/executable.js';
import type { Result } from '../../expressions/feel.js';
import { evaluateFeel, failure, feelTypeName, ok, warningsOf } from '../../expressions/feel.js';

/** Evaluates an expression in the scope of an element instance (its own variables and all outer ones). */
export function evaluateInScope(
  ctx: ProcessingContext,
  scopeKey: string,
  expression: string,
): Result<unknown> {
  return evaluateFeel(expression, ctx.state.visibleVariables(scopeKey), ctx.timestamp);
}

function expectType<T>(
  result: Result<unknown>,
  expression: string,
  expected: string,
  check: (v: unknown) => v is T,
): Result<T> {
  if (!result.ok) return result;
  if (check(result.value)) return ok(result.value);
  return failure(
    `Expected result of the expression '${expression}' to be '${expected}', but was '${feelTypeName(result.value)}'.${warningsOf(result)}`,
  );
}

const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isString = (v: unknown): v is string => typeof v === 'string';
const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

export function evaluateBoolean(
  ctx: ProcessingContext,
  scopeKey: string,
  expression: string,
): Result<boolean> {
  return expectType(evaluateInScope(ctx, scopeKey, expression), expression, 'BOOLEAN', isBoolean);
}

/** A static value or an expression that must yield a non-empty string. */
export function evaluateString(
  ctx: ProcessingContext,
  scopeKey: string,
  e: ExpressionOrStatic,
): Result<string> {
  if (e.kind === 'static') return ok(e.value);
  const result = expectType(evaluateInScope(ctx, scopeKey, e.expression), e.expression, 'STRING', isString);
  if (result.ok && result.value === '')
    return failure(`Expected the expression '${e.expression}' to yield a non-empty string.`);
  return result;
}

/** A static value or an expression that must yield a non-negative integer. */
export function evaluateCount(
  ctx: ProcessingContext,
  scopeKey: string,
  e: ExpressionOrStatic,
): Result<number> {
  if (e.kind === 'static') return ok(Number(e.value));
  return expectType(
    evaluateInScope(ctx, scopeKey, e.expression),
    e.expression,
    'NUMBER (a non-negative integer)',
    isInteger,
  );
}
