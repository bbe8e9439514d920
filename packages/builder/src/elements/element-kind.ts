import type { FlowModel, NodeModel } from '../model/process-model.js';

/**
 * What the builder needs to know about one kind of flow node: its BPMN type and the rules its
 * sequence flows follow. The rules are checked while building, so a model that Zeebe would reject
 * fails in the developer's code, naming the element, instead of at deployment.
 */
export interface ElementKind {
  /** The bpmn-moddle type, e.g. `bpmn:ServiceTask`. */
  readonly bpmnType: string;
  /** Lower-case words for error messages: "service task". */
  readonly description: string;
  /**
   * A path may begin here without an incoming flow. Start events today; boundary events (reached
   * through their host) will be the next.
   */
  readonly isEntryPoint: boolean;
  readonly acceptsIncoming: boolean;
  readonly acceptsOutgoing: boolean;
  readonly isGateway: boolean;
  /** Without an outgoing flow the element is a dead end Zeebe rejects (gateways). */
  readonly requiresOutgoing: boolean;
  /** Outgoing flows may carry a condition that decides whether they are taken. */
  readonly conditionalOutgoing: boolean;
  /** One outgoing flow may be the `default`, taken when no condition holds. */
  readonly defaultOutgoing: boolean;
  /** Kind-specific checks once the graph is complete; returns a problem sentence, or nothing. */
  validate?(node: NodeModel, outgoing: readonly FlowModel[]): string | undefined;
}

/** The rules every task-like activity shares: in, out, no conditions. */
export const activityRules = {
  isEntryPoint: false,
  acceptsIncoming: true,
  acceptsOutgoing: true,
  isGateway: false,
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
  requiresOutgoing: true,
} as const satisfies Partial<ElementKind>;
