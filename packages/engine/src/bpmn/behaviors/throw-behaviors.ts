import type { ProcessingContext } from '../../processing/processing-context.js';
import type { ElementContext } from '../element-context.js';
import { evaluateString } from './expressions.js';
import { raiseIncident } from './incidents.js';
import type { ThrowOutcome } from './throw-events.js';
import { throwEvent } from './throw-events.js';
import { triggerSignal } from './signals.js';

/** Broadcasts the signal of a throw/end event; false (and an incident) when its name cannot be evaluated. */
export function throwSignal(ctx: ProcessingContext, el: ElementContext): boolean {
  const definition = el.element.eventDefinition;
  if (definition?.kind !== 'signal') return true;
  const name = evaluateString(ctx, el.key, definition.signalName);
  if (!name.ok) {
    raiseIncident(ctx, el, 'EXTRACT_VALUE_ERROR', name.message);
    return false;
  }
  triggerSignal(ctx, ctx.nextKey(), { signalName: name.value, variables: {}, distributed: false });
  return true;
}

/** Throws the escalation of a throw/end event; an uncaught escalation is not an error. */
export function throwEscalation(ctx: ProcessingContext, el: ElementContext): ThrowOutcome | 'failed' {
  const definition = el.element.eventDefinition;
  if (definition?.kind !== 'escalation' || !definition.escalationCode) return 'uncaught';
  const code = evaluateString(ctx, el.key, definition.escalationCode);
  if (!code.ok) {
    raiseIncident(ctx, el, 'EXTRACT_VALUE_ERROR', code.message);
    return 'failed';
  }
  return throwEvent(ctx, el, 'escalation', code.value, {});
}
