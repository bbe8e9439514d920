import { BuilderError } from '../builder-error.js';

/**
 * Returns `text` as a FEEL expression with Zeebe's leading `=`. Conditions and scripts are always
 * expressions, so a missing `=` is added rather than letting Zeebe read the text as a string literal.
 */
export function asFeelExpression(text: string, elementId: string, what: string): string {
  const trimmed = text.trim();
  const body = trimmed.startsWith('=') ? trimmed.slice(1).trim() : trimmed;
  if (body === '') throw new BuilderError(`${what} of '${elementId}' is empty`, elementId);
  return trimmed.startsWith('=') ? trimmed : `=${trimmed}`;
}

/** Throws unless `value` is a non-empty string; for attributes Zeebe requires. */
export function requireText(value: unknown, elementId: string, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new BuilderError(`${what} of '${elementId}' must be a non-empty string`, elementId);
  }
  return value;
}
