import type { ProcessingContext } from '../../processing/processing-context.js';
import type { ExecutableElement, ExpressionOrStatic } from '../../model/executable.js';
import type { ElementContext } from '../element-context.js';
import { elementContextOf } from '../element-context.js';
import type { ElementInstance } from '../../state/types.js';
import { evaluateString } from './expressions.js';
import { triggerEvent } from './event-triggers.js';

type Kind = 'error' | 'escalation';

/** What happened to a thrown error or escalation. */
export type ThrowOutcome = 'caught-interrupting' | 'caught-non-interrupting' | 'uncaught';

interface Catcher {
  readonly ownerKey: string;
  readonly event: ExecutableElement;
  readonly exact: boolean;
}

/**
 * Throws an error or escalation from an element instance and lets the nearest catcher handle it: boundary
 * events of the element and of each enclosing activity, and the event sub-processes of each enclosing
 * container, innermost first. At one level a catcher of the exact code wins over a catch-all.
 */
export function throwEvent(
  ctx: ProcessingContext,
  thrower: ElementContext,
  kind: Kind,
  code: string,
  variables: Record<string, unknown>,
): ThrowOutcome {
  const catcher = findCatcher(ctx, thrower, kind, code);
  if (!catcher) return 'uncaught';
  triggerEvent(ctx, catcher.ownerKey, catcher.event.id, variables);
  return catcher.event.interrupting === false ? 'caught-non-interrupting' : 'caught-interrupting';
}

function findCatcher(
  ctx: ProcessingContext,
  thrower: ElementContext,
  kind: Kind,
  code: string,
): Catcher | undefined {
  let level: ElementContext | undefined = thrower;
  let first = true;
  while (level) {
    const candidates: Catcher[] = [];
    const consider = (ownerKey: string, event: ExecutableElement | undefined) => {
      const definition = event?.eventDefinition;
      if (!event || definition?.kind !== kind) return;
      const expected =
        kind === 'error'
          ? (definition as { errorCode?: ExpressionOrStatic }).errorCode
          : (definition as { escalationCode?: ExpressionOrStatic }).escalationCode;
      if (!expected) {
        candidates.push({ ownerKey, event, exact: false });
        return;
      }
      const value = evaluateString(ctx, ownerKey, expected);
      if (value.ok && value.value === code) candidates.push({ ownerKey, event, exact: true });
    };
    // An end or throw event cannot catch what it throws; the container it is in is the first level.
    if (!first || isActivity(level.element)) {
      const { elements } = level.process;
      for (const id of level.element.eventSubProcessIds ?? [])
        consider(level.key, elements[elements[id]!.eventStartId ?? '']);
      for (const id of level.element.boundaryEventIds ?? []) consider(level.key, elements[id]);
    }
    const chosen = candidates.find((c) => c.exact) ?? candidates[0];
    if (chosen) return chosen;
    first = false;
    // Past the process, the search goes on at the call activity that called it (in the parent instance).
    const next: Readonly<ElementInstance> | undefined =
      level.value.flowScopeKey === '-1'
        ? ctx.state.elementInstance(level.value.parentElementInstanceKey)
        : ctx.state.elementInstance(level.value.flowScopeKey);
    level = next && elementContextOf(ctx.state, next.key, next.value);
  }
  return undefined;
}

function isActivity(element: ExecutableElement): boolean {
  return !element.type.endsWith('_EVENT') && !element.type.endsWith('_GATEWAY');
}
