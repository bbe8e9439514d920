/**
 * Bounds on evaluating one FEEL expression, so that an expression in a model (`for i in 1..100000000 …`, a
 * recursive function) raises an incident instead of blocking its partition or exhausting memory.
 *
 * The engine core has no timers, so the time bound comes from the runtime as a `TimeBoundRunner` (node:vm
 * in the `baton` package). Without one, expressions run unbounded in time, still bounded in result size.
 */

/** Runs `evaluate` and returns its result, or throws once it has run longer than `timeoutMs`. */
export type TimeBoundRunner = <T>(evaluate: () => T, timeoutMs: number) => T;

export interface ExpressionLimits {
  /** The longest one expression with loops, ranges or functions may take (default 1,000 ms). */
  readonly timeoutMs: number;
  /** The largest result one expression may produce, as JSON (default 4 MiB). */
  readonly maxResultBytes: number;
  /** Provided by the runtime; see the module comment. */
  readonly runner?: TimeBoundRunner;
}

export const DEFAULT_EXPRESSION_LIMITS: ExpressionLimits = {
  timeoutMs: 1_000,
  maxResultBytes: 4 * 1024 * 1024,
};

let current: ExpressionLimits = DEFAULT_EXPRESSION_LIMITS;

/** Sets the limits for every evaluation in this process (the runtime calls it when an engine starts). */
export function setExpressionLimits(limits: Partial<ExpressionLimits>): void {
  current = { ...current, ...limits };
}

export function expressionLimits(): ExpressionLimits {
  return current;
}

/** Thrown by a `TimeBoundRunner` that stopped an evaluation; any error with this name counts. */
export class ExpressionTimeout extends Error {
  override readonly name = 'ExpressionTimeout';
}

/** Whether an error is a runner's timeout (its own, or Node's vm timeout). */
export function isTimeout(error: unknown): boolean {
  return (
    error instanceof ExpressionTimeout ||
    (error as { code?: string } | null)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT'
  );
}

// Loops (`for`, `some`, `every`), ranges, user functions (recursion) and powers can take unbounded time;
// every other construct is bounded by the size of its inputs, which the command limits bound.
const MAY_RUN_LONG = /\b(?:for|some|every|function)\b|\.\.|\*\*/;
const seen = new Map<string, boolean>();

/** Whether an expression can take long enough to need the time bound (cached per expression text). */
export function mayRunLong(expression: string): boolean {
  let answer = seen.get(expression);
  if (answer === undefined) {
    answer = MAY_RUN_LONG.test(expression);
    if (seen.size >= 10_000) seen.clear();
    seen.set(expression, answer);
  }
  return answer;
}

/** Whether a JSON-compatible value takes more than `max` bytes as JSON; stops counting once it does. */
export function exceedsJsonSize(value: unknown, max: number): boolean {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') size += item.length + 2;
    else if (item === null || typeof item !== 'object') size += String(item).length;
    else if (Array.isArray(item)) {
      size += 1 + item.length;
      for (const element of item) stack.push(element);
    } else {
      for (const [key, element] of Object.entries(item)) {
        size += key.length + 4;
        stack.push(element);
      }
    }
    if (size > max) return true;
  }
  return false;
}
