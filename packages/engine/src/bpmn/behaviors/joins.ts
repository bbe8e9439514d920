import type { ProcessingContext } from '../../processing/processing-context.js';
import type { ExecutableElement } from '../../model/executable.js';
import type { ElementContext } from '../element-context.js';
import { childValue } from '../element-context.js';

/**
 * Whether a join gateway can be activated in a scope. A parallel join needs a token on every incoming flow;
 * an inclusive join needs a token on at least one, and none still coming: no element from which an empty
 * incoming flow could be reached is active in the scope or about to be (an activation queued in this batch:
 * a fork's other token, taken in the same step).
 */
export function joinReady(ctx: ProcessingContext, scopeKey: string, gateway: ExecutableElement): boolean {
  const taken = ctx.state.elementInstance(scopeKey)?.joinFlows?.[gateway.id] ?? {};
  const has = (flowId: string) => (taken[flowId] ?? 0) > 0;
  if (gateway.type === 'PARALLEL_GATEWAY') return gateway.incoming.every(has);
  if (!gateway.incoming.some(has)) return false;
  const active = new Set(ctx.pendingActivations(scopeKey));
  for (const child of ctx.state.childrenOf(scopeKey)) active.add(child.value.elementId);
  return gateway.incoming.every(
    (flowId) => has(flowId) || !(gateway.joinUpstream?.[flowId] ?? []).some((id) => active.has(id)),
  );
}

/** A path in the scope ended: an inclusive join that was waiting for it may go on now. */
export function activateReadyInclusiveJoins(ctx: ProcessingContext, scope: ElementContext): void {
  const joins = ctx.state.elementInstance(scope.key)?.joinFlows;
  if (!joins) return;
  for (const [gatewayId, taken] of Object.entries(joins)) {
    const gateway = scope.process.elements[gatewayId];
    if (gateway?.type !== 'INCLUSIVE_GATEWAY' || !Object.values(taken).some((n) => n > 0)) continue;
    if (!joinReady(ctx, scope.key, gateway)) continue;
    ctx.appendFollowUpCommand(ctx.nextKey(), {
      valueType: 'PROCESS_INSTANCE',
      intent: 'ACTIVATE_ELEMENT',
      value: childValue(scope, gateway),
    });
  }
}
