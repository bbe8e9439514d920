import type { ProcessingContext } from '../../processing/processing-context.js';
import type { ExecutableElement } from '../../model/executable.js';
import type { ElementContext } from '../element-context.js';
import { childValue } from '../element-context.js';
import { command, transition } from './transitions.js';
import { inputMappingsApplied } from './activity.js';
import { activateContainer } from './container.js';

/**
 * Activating an element somewhere other than where a sequence flow leads: by process instance modification
 * and by start instructions on creation. The element is activated in an active scope; the embedded
 * sub-processes between that scope and the element that are not active are created first.
 */

/** Where an element is activated: in `parent`, after creating the sub-processes `missing` (outermost first). */
export interface ActivationScope {
  readonly parent: ElementContext;
  readonly missing: readonly ExecutableElement[];
}

/**
 * Creates the missing sub-processes of an activation scope, with their input mappings and event
 * subscriptions but without their start events, and returns the innermost; undefined when one stopped at an
 * incident (resolving it starts that sub-process normally). `created` shares a sub-process between the
 * instructions of one command that need the same one.
 */
export function createScopes(
  ctx: ProcessingContext,
  where: ActivationScope,
  created: Map<string, ElementContext>,
): ElementContext | undefined {
  let scope = where.parent;
  for (const element of where.missing) {
    const id = `${scope.key}/${element.id}`;
    let next = created.get(id);
    if (!next) {
      next = { key: ctx.nextKey(), value: childValue(scope, element), element, process: scope.process };
      transition(ctx, next, 'ELEMENT_ACTIVATING');
      if (inputMappingsApplied(ctx, next)) activateContainer(ctx, next, undefined);
      created.set(id, next);
    }
    if (ctx.state.elementInstance(next.key)?.state !== 'ELEMENT_ACTIVATED') return undefined;
    scope = next;
  }
  return scope;
}

/**
 * Activates `element` in the active `scope`: the new instance is ACTIVATING, `beforeActivate` may set its
 * variables, then ACTIVATE_ELEMENT runs its element processor as for any other activation.
 */
export function activateElementIn(
  ctx: ProcessingContext,
  scope: ElementContext,
  element: ExecutableElement,
  beforeActivate?: (el: ElementContext) => void,
): ElementContext {
  const el: ElementContext = {
    key: ctx.nextKey(),
    value: childValue(scope, element),
    element,
    process: scope.process,
  };
  transition(ctx, el, 'ELEMENT_ACTIVATING');
  beforeActivate?.(el);
  command(ctx, el, 'ACTIVATE_ELEMENT');
  return el;
}
