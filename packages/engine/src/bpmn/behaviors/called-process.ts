import type { ProcessingContext } from '../../processing/processing-context.js';
import type { ElementContext } from '../element-context.js';
import { elementContextOf, isOfType } from '../element-context.js';
import { command, terminated } from './transitions.js';
import { propagateVariables, setLocalVariables } from './variables.js';

/**
 * A called process instance ended: on completion its variables go to the call activity (all of them, or only
 * through its output mappings) and the call activity completes; on termination a terminating call activity
 * finishes terminating.
 */
export function calledProcessEnded(
  ctx: ProcessingContext,
  child: ElementContext,
  outcome: 'completed' | 'terminated',
  variables: Record<string, unknown>,
): void {
  const instance = ctx.state.elementInstance(child.value.parentElementInstanceKey);
  const caller = instance && elementContextOf(ctx.state, instance.key, instance.value);
  if (!caller) return;
  if (outcome === 'terminated') {
    if (instance.state === 'ELEMENT_TERMINATING') terminated(ctx, caller);
    return;
  }
  if (instance.state !== 'ELEMENT_ACTIVATED' || !isOfType(caller, 'CALL_ACTIVITY')) return;
  const called = caller.element.calledElement;
  if (caller.element.outputMappings.length > 0) setLocalVariables(ctx, caller, caller.key, variables);
  // Propagated from the call activity's own scope, as a job's or a script's result is (and as Zeebe merges
  // them): a variable it defines locally, such as a multi-instance output element, keeps the value.
  else if (called.propagateAllChildVariables) propagateVariables(ctx, caller, caller.key, variables);
  command(ctx, caller, 'COMPLETE_ELEMENT');
}
