import type { BpmnElementType } from '../model/executable.js';
import type { ProcessInstanceRecordValue } from '../records/process-instance.js';
import type { Bag } from './key-multimap.js';
import type { Wait } from './wait-entries.js';

export type ElementInstanceState =
  'ELEMENT_ACTIVATING' | 'ELEMENT_ACTIVATED' | 'ELEMENT_COMPLETING' | 'ELEMENT_TERMINATING';

/**
 * An element instance that has not ended. It keeps its record value's fields flat rather than the value
 * object itself (an object header and a pointer less per instance: a waiting process instance is two
 * element instances); `value` builds the record value when it is read.
 */
export class ElementInstance {
  state: ElementInstanceState;
  /** Child element instances that are not completed or terminated yet. */
  activeChildren = 0;
  /** Sequence flows taken inside this scope whose target has not been activated yet (e.g. a waiting join). */
  activeSequenceFlows = 0;
  // Kept here by the state rather than in maps of their own (a map entry per waiting instance costs more
  // than a field); never written to snapshots. Read them through the state's methods.
  /** Child element instances not ended yet (`childrenOf`). */
  children: Bag<ElementInstance> | undefined = undefined;
  /** The first timer or subscription this element instance waits for (`waits.waitsOf`). */
  waits: Wait | undefined = undefined;
  /** The variables set on this scope (`localVariables`). */
  variables: Record<string, unknown> | undefined = undefined;

  // The record value's fields (set through `value`: in the constructor, and by migration).
  bpmnProcessId!: string;
  version!: number;
  processDefinitionKey!: string;
  processInstanceKey!: string;
  elementId!: string;
  bpmnElementType!: BpmnElementType;
  /** Key of the enclosing element instance; "-1" for the process itself. */
  flowScopeKey!: string;
  parentProcessInstanceKey!: string;
  parentElementInstanceKey!: string;

  // Set on the few instances that need them (declared only: no slot on every instance).
  /** Per parallel join gateway id: how often each incoming flow has been taken and not yet consumed. */
  declare joinFlows?: Record<string, Record<string, number>>;
  /** A terminate end event completed in this scope: what still completes in it takes no more flows. */
  declare terminatedByEndEvent?: boolean;
  /** A multi-instance body: inner instances started and completed so far. */
  declare innerStarted?: number;
  declare innerCompleted?: number;
  /** A call activity: the process instance it started, while that runs. */
  declare calledChildKey?: string;
  /** A Camunda user task: its task while it is open. */
  declare userTaskKey?: string;
  /** The job of a job worker task while it exists. */
  declare jobKey?: string;
  /** An ad-hoc sub-process whose job worker fulfilled the completion condition. */
  declare completionConditionFulfilled?: boolean;
  /** Element activations done while processing one command: bounds loops without a wait state. */
  declare activationsInStep?: number;

  constructor(
    readonly key: string,
    state: ElementInstanceState,
    value: ProcessInstanceRecordValue,
  ) {
    this.state = state;
    this.value = value;
  }

  /** The record value (a new object on each read); replaced only by migration. */
  get value(): ProcessInstanceRecordValue {
    return {
      bpmnProcessId: this.bpmnProcessId,
      version: this.version,
      processDefinitionKey: this.processDefinitionKey,
      processInstanceKey: this.processInstanceKey,
      elementId: this.elementId,
      bpmnElementType: this.bpmnElementType,
      flowScopeKey: this.flowScopeKey,
      parentProcessInstanceKey: this.parentProcessInstanceKey,
      parentElementInstanceKey: this.parentElementInstanceKey,
    };
  }

  set value(value: ProcessInstanceRecordValue) {
    this.bpmnProcessId = value.bpmnProcessId;
    this.version = value.version;
    this.processDefinitionKey = value.processDefinitionKey;
    this.processInstanceKey = value.processInstanceKey;
    this.elementId = value.elementId;
    this.bpmnElementType = value.bpmnElementType;
    this.flowScopeKey = value.flowScopeKey;
    this.parentProcessInstanceKey = value.parentProcessInstanceKey;
    this.parentElementInstanceKey = value.parentElementInstanceKey;
  }
}
