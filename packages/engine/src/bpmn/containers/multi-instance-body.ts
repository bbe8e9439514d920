import type { MultiInstanceActivity } from '../../model/executable.js';
import type { ElementProcessor } from '../element-processor.js';
import { activatedAndWaiting } from '../behaviors/activity.js';
import { closeSubscriptions, openSubscriptions } from '../behaviors/event-subscriptions.js';
import { raiseIncident, resolveIncidentOf } from '../behaviors/incidents.js';
import { afterCompleted, command, transition } from '../behaviors/transitions.js';
import { propagateVariables, setLocalVariables } from '../behaviors/variables.js';
import { bodyChildEnded, createInnerInstance, inputCollectionOf } from '../behaviors/multi-instance.js';
import { endMultiInstanceCompensations } from '../behaviors/compensation.js';

/**
 * The body of a multi-instance activity: one inner instance per item of the input collection, all at once
 * (parallel) or one after the other (sequential). Boundary events belong to the body.
 */
export const multiInstanceBody: ElementProcessor<MultiInstanceActivity> = {
  onActivate(ctx, el) {
    const items = inputCollectionOf(ctx, el);
    if (!items.ok) {
      raiseIncident(ctx, el, 'EXTRACT_VALUE_ERROR', items.message);
      return;
    }
    const opened = openSubscriptions(ctx, el);
    if (!opened.ok) {
      raiseIncident(ctx, el, 'EXTRACT_VALUE_ERROR', opened.message);
      return;
    }
    const { outputCollection, sequential } = el.element.multiInstance;
    if (outputCollection)
      setLocalVariables(ctx, el, el.key, { [outputCollection]: items.value.map(() => null) });
    activatedAndWaiting(ctx, el);
    if (ctx.state.elementInstance(el.key)?.state !== 'ELEMENT_ACTIVATED') return;
    if (items.value.length === 0) command(ctx, el, 'COMPLETE_ELEMENT');
    else if (sequential) createInnerInstance(ctx, el, 0, items.value[0]);
    else items.value.forEach((item, index) => createInnerInstance(ctx, el, index, item));
  },
  onComplete(ctx, el) {
    const { outputCollection } = el.element.multiInstance;
    if (outputCollection) {
      const value = ctx.state.localVariables(el.key)?.[outputCollection] ?? [];
      propagateVariables(ctx, el, el.value.flowScopeKey, { [outputCollection]: value });
    }
    closeSubscriptions(ctx, el.key);
    endMultiInstanceCompensations(ctx, el, true);
    transition(ctx, el, 'ELEMENT_COMPLETED');
    afterCompleted(ctx, el);
  },
  onTerminate(ctx, el) {
    closeSubscriptions(ctx, el.key);
    endMultiInstanceCompensations(ctx, el, false);
    resolveIncidentOf(ctx, el.key);
    const children = ctx.state.childrenOf(el.key);
    for (const child of children)
      if (child.state !== 'ELEMENT_TERMINATING') command(ctx, child, 'TERMINATE_ELEMENT');
    if (children.length === 0) bodyChildEnded(ctx, el);
  },
  onChildEnded: bodyChildEnded,
};
