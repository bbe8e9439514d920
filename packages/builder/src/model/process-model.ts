import type { EventDefinitionModel, MessageModel } from './event-definition-model.js';
import type { ExtensionModel, LoopCharacteristicsModel } from './extension-model.js';

/**
 * Every element kind the builder knows. Adding one here makes elements/element-kinds.ts fail to
 * compile until the kind has its rules, so no kind can be half-registered.
 */
export type NodeKind =
  | 'startEvent'
  | 'endEvent'
  | 'intermediateCatchEvent'
  | 'intermediateThrowEvent'
  | 'boundaryEvent'
  | 'task'
  | 'manualTask'
  | 'serviceTask'
  | 'scriptTask'
  | 'sendTask'
  | 'receiveTask'
  | 'userTask'
  | 'businessRuleTask'
  | 'callActivity'
  | 'subProcess'
  | 'adHocSubProcess'
  | 'eventSubProcess'
  | 'exclusiveGateway'
  | 'inclusiveGateway'
  | 'parallelGateway'
  | 'eventBasedGateway';

/**
 * A flow node as data: what it is, what it is called, which Zeebe extensions it carries and, depending
 * on its kind, its event definition, boundary attachment, loop or inner scope.
 */
export interface NodeModel {
  readonly kind: NodeKind;
  readonly id: string;
  readonly name?: string;
  readonly extensions: readonly ExtensionModel[];
  /** Plain BPMN attributes such as `cancelActivity`, `isInterrupting`, `triggeredByEvent`. */
  readonly attributes?: Readonly<Record<string, string | boolean>>;
  readonly eventDefinition?: EventDefinitionModel;
  /** A boundary event's host activity, in the same scope. */
  readonly attachedTo?: string;
  /** The message a receive task waits for (`messageRef`). */
  readonly message?: MessageModel;
  /** An activity that undoes its host's work; reached through an association, never a flow. */
  readonly isForCompensation?: boolean;
  readonly multiInstance?: MultiInstanceModel;
  /** An ad-hoc sub-process's `bpmn:completionCondition`: a FEEL expression with its leading `=`. */
  readonly completionCondition?: string;
  /** The inner flow of a sub-process. */
  readonly scope?: ScopeModel;
}

/** `<bpmn:multiInstanceLoopCharacteristics>` with Zeebe's collections. */
export interface MultiInstanceModel {
  readonly sequential: boolean;
  readonly loop: LoopCharacteristicsModel;
  /** A FEEL expression with its leading `=`. */
  readonly completionCondition?: string;
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

/** A `bpmn:association`: today only from a compensation boundary event to its handler. */
export interface AssociationModel {
  readonly id: string;
  readonly sourceId: string;
  readonly targetId: string;
}

/**
 * The nodes, flows and associations of one container: the process or a sub-process's inner flow.
 * Nodes keep insertion order, which is also their order in the XML.
 */
export interface ScopeModel {
  readonly nodes: Map<string, NodeModel>;
  readonly flows: FlowModel[];
  readonly associations: AssociationModel[];
}

/** An executable process: its id, its name and its top-level scope. */
export interface ProcessModel extends ScopeModel {
  readonly id: string;
  readonly name?: string;
  readonly versionTag?: string;
}

/** A fresh, empty scope. */
export function emptyScope(): ScopeModel {
  return { nodes: new Map(), flows: [], associations: [] };
}
