import { checkFeelSyntax, evaluateFeel } from '@baton-engine/engine';

/**
 * A configurable field: a FEEL expression when it starts with `=` (`=data.orderId`), otherwise the text itself.
 * Evaluations never throw: they return the value or a message naming the field and the expression.
 */
export type FieldResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** The syntax error of a field's FEEL expression, or undefined (also for static text). */
export function fieldSyntaxError(text: string): string | undefined {
  const trimmed = text.trim();
  return trimmed.startsWith('=') ? checkFeelSyntax(trimmed.slice(1)) : undefined;
}

export function evaluateField(
  field: string,
  text: string,
  context: Record<string, unknown>,
): FieldResult<unknown> {
  const trimmed = text.trim();
  if (!trimmed.startsWith('=')) return { ok: true, value: text };
  // Outside processing: connectors run after commit, so now() may read the wall clock.
  const result = evaluateFeel(trimmed.slice(1), context, undefined);
  if (!result.ok) return { ok: false, message: `${field}: ${result.message}` };
  if (result.value === null && result.warnings && result.warnings.length > 0) {
    const warnings = result.warnings.map((w) => w.message).join('; ');
    return { ok: false, message: `${field}: '${text}' evaluated to null (${warnings})` };
  }
  return { ok: true, value: result.value };
}

/** A field that must yield a non-empty string (a number is turned into one, as Zeebe does for keys). */
export function evaluateString(
  field: string,
  text: string,
  context: Record<string, unknown>,
  options: { allowEmpty?: boolean } = {},
): FieldResult<string> {
  const result = evaluateField(field, text, context);
  if (!result.ok) return result;
  const value = typeof result.value === 'number' ? String(result.value) : result.value;
  if (typeof value !== 'string' || (!options.allowEmpty && value === '')) {
    return {
      ok: false,
      message: `${field}: expected '${text}' to give a ${options.allowEmpty ? '' : 'non-empty '}string, but it gave ${JSON.stringify(result.value)}`,
    };
  }
  return { ok: true, value };
}

/** A field that must yield a JSON object (variables). */
export function evaluateObject(
  field: string,
  text: string,
  context: Record<string, unknown>,
): FieldResult<Record<string, unknown>> {
  const result = evaluateField(field, text, context);
  if (!result.ok) return result;
  const value = result.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      ok: false,
      message: `${field}: expected '${text}' to give an object (a context), but it gave ${JSON.stringify(value)}`,
    };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/** A condition: true, false, or a failure when it is neither. */
export function evaluateCondition(
  field: string,
  text: string,
  context: Record<string, unknown>,
): FieldResult<boolean> {
  const result = evaluateField(field, text, context);
  if (!result.ok) return result;
  if (typeof result.value !== 'boolean') {
    return {
      ok: false,
      message: `${field}: expected '${text}' to give true or false, but it gave ${JSON.stringify(result.value)}`,
    };
  }
  return { ok: true, value: result.value };
}
