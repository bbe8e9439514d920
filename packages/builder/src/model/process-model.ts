import type { ExtensionModel } from './extension-model.js';

/**
 * Every element kind the builder knows. Adding one here makes elements/element-kinds.ts fail to
 * compile until the kind has its rules, so no kind can be half-registered.
 */
export type NodeKind =
  | 'startEvent'
  | 'endEvent'
  | 'task'
  | 'manualTask'
  | 'serviceTask'
  | 'scriptTask'
  | 'exclusiveGateway'
  | 'parallelGateway';

/** A flow node as data: what it is, what it is called and which Zeebe extensions it carries. */
export interface NodeModel {
  readonly kind: NodeKind;
  readonly id: string;
  readonly name?: string;
  readonly extensions: readonly ExtensionModel[];
}

/** A sequence flow. `condition` is a FEEL expression with its leading `=`. */
export interface FlowModel {
  readonly id: string;
  readonly sourceId: string;
  readonly targetId: string;
  readonly name?: string;
  readonly condition?: string;
  /** The flow is its source gateway's `default`: taken when no condition holds. */
  readonly isDefault: boolean;
}

/**
 * The nodes and flows of one container: the process today, a sub-process's inner flow later.
 * Nodes keep insertion order, which is also their order in the XML.
 */
export interface ScopeModel {
  readonly nodes: Map<string, NodeModel>;
  readonly flows: FlowModel[];
}

/** An executable process: its id, its name and its top-level scope. */
export interface ProcessModel extends ScopeModel {
  readonly id: string;
  readonly name?: string;
}
