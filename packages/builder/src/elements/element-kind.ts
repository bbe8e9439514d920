import type { FlowModel, NodeModel, ScopeModel } from '../model/process-model.js';

/** How sequence flows may enter and leave an element. */
export interface FlowRules {
  /**
   * A path may begin here without an incoming flow: start events and event sub-processes. (Boundary
   * events, link catch events and compensation handlers are reached through their host, their link
   * throw or their boundary event instead.)
   */
  readonly isEntryPoint: boolean;
  readonly acceptsIncoming: boolean;
  readonly acceptsOutgoing: boolean;
  /** Without an outgoing flow the element is a dead end Zeebe rejects (gateways, boundary events). */
  readonly requiresOutgoing: boolean;
}

/**
 * What the builder needs to know about one kind of flow node: its BPMN type and the rules its
 * sequence flows follow. The rules are checked while building, so a model that Zeebe would reject
 * fails in the developer's code, naming the element, instead of at deployment.
 */
export interface ElementKind extends FlowRules {
  /** The bpmn-moddle type, e.g. `bpmn:ServiceTask`. */
  readonly bpmnType: string;
  /** Lower-case words for error messages: "service task". */
  readonly description: string;
  readonly isGateway: boolean;
  /** An activity: it may carry boundary events, multi-instance and be a compensation handler. */
  readonly isActivity: boolean;
  /** Outgoing flows may carry a condition that decides whether they are taken. */
  readonly conditionalOutgoing: boolean;
  /** One outgoing flow may be the `default`, taken when no condition holds. */
  readonly defaultOutgoing: boolean;
  /** Rules that depend on the node rather than the kind, e.g. a link catch event takes no incoming flow. */
  rulesFor?(node: NodeModel): Partial<FlowRules>;
  /**
   * Kind-specific checks once the graph is complete; returns a problem sentence, or nothing. `scope` is
   * the container the node lives in, for checks that look at the flows' targets.
   */
  validate?(node: NodeModel, outgoing: readonly FlowModel[], scope: ScopeModel): string | undefined;
}

/** The rules every task-like activity shares: in, out, no conditions. */
export const activityRules = {
  isEntryPoint: false,
  acceptsIncoming: true,
  acceptsOutgoing: true,
  isGateway: false,
  isActivity: true,
  requiresOutgoing: false,
  conditionalOutgoing: false,
  defaultOutgoing: false,
} as const satisfies Partial<ElementKind>;

/** The rules every gateway shares; each gateway kind decides about conditions and defaults. */
export const gatewayRules = {
  isEntryPoint: false,
  acceptsIncoming: true,
  acceptsOutgoing: true,
  isGateway: true,
  isActivity: false,
  requiresOutgoing: true,
} as const satisfies Partial<ElementKind>;

/** The rules of events; each event kind decides where flows may go. */
export const eventRules = {
  isGateway: false,
  isActivity: false,
  requiresOutgoing: false,
  conditionalOutgoing: false,
  defaultOutgoing: false,
} as const satisfies Partial<ElementKind>;

/**
 * The problem of a gateway that chooses by condition (exclusive, inclusive) whose branches are not all
 * decided: Zeebe rejects a branch that has neither a condition nor is the default ("Must have a
 * condition or be default flow").
 */
export function undecidedBranches(
  description: string,
  node: NodeModel,
  outgoing: readonly FlowModel[],
): string | undefined {
  if (outgoing.length < 2) return undefined;
  const bare = outgoing.filter((f) => f.condition === undefined && !f.isDefault).map((f) => `'${f.id}'`);
  if (bare.length === 0) return undefined;
  return (
    `${description} '${node.id}' has several outgoing flows, so each needs a condition or must be ` +
    `the default flow; ${bare.join(', ')} has neither`
  );
}
