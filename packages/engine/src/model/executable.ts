/**
 * The executable graph a process compiles to. Plain data, JSON-compatible: it travels inside the
 * PROCESS CREATED event so that replay rebuilds state without parsing XML again.
 */
export type BpmnElementType =
  | 'PROCESS'
  | 'START_EVENT'
  | 'END_EVENT'
  | 'SERVICE_TASK'
  | 'SCRIPT_TASK'
  | 'TASK'
  | 'MANUAL_TASK'
  | 'RECEIVE_TASK'
  | 'SEND_TASK'
  | 'EXCLUSIVE_GATEWAY'
  | 'INCLUSIVE_GATEWAY'
  | 'PARALLEL_GATEWAY'
  | 'EVENT_BASED_GATEWAY'
  | 'INTERMEDIATE_CATCH_EVENT'
  | 'INTERMEDIATE_THROW_EVENT'
  | 'BOUNDARY_EVENT'
  | 'SUB_PROCESS'
  | 'CALL_ACTIVITY'
  | 'MULTI_INSTANCE_BODY'
  | 'USER_TASK'
  | 'BUSINESS_RULE_TASK'
  | 'EVENT_SUB_PROCESS'
  | 'AD_HOC_SUB_PROCESS'
  /** The scope one activation of an element in an ad-hoc sub-process runs in (`<ad-hoc id>#innerInstance`). */
  | 'AD_HOC_SUB_PROCESS_INNER_INSTANCE'
  | 'SEQUENCE_FLOW';

/** What an event waits for or throws. */
export type EventDefinition =
  | {
      readonly kind: 'message';
      readonly messageName: ExpressionOrStatic;
      /** FEEL expression without "="; absent on start events. */
      readonly correlationKey?: string;
    }
  | {
      readonly kind: 'timer';
      readonly timer: 'duration' | 'date' | 'cycle';
      readonly value: ExpressionOrStatic;
    }
  | { readonly kind: 'signal'; readonly signalName: ExpressionOrStatic }
  /** On a catch event, an absent code catches every error. */
  | { readonly kind: 'error'; readonly errorCode?: ExpressionOrStatic }
  | { readonly kind: 'escalation'; readonly escalationCode?: ExpressionOrStatic }
  | { readonly kind: 'terminate' }
  /** Compensation: throw events name an activity to compensate, or (absent) all completed ones in scope. */
  | { readonly kind: 'compensation'; readonly activityRef?: string }
  | { readonly kind: 'link'; readonly linkName: string };

/** A FEEL expression (the text after "=") or a static value, as in Zeebe's extension attributes. */
export type ExpressionOrStatic =
  | { readonly kind: 'expression'; readonly expression: string }
  | { readonly kind: 'static'; readonly value: string };

export interface VariableMapping {
  /** A FEEL expression without the leading "=" (a static source is quoted into a string literal). */
  readonly source: string;
  /** A variable name, or a path `a.b.c` that builds nested contexts. */
  readonly target: string;
}

export interface ExecutableSequenceFlow {
  readonly id: string;
  readonly sourceId: string;
  readonly targetId: string;
  /** FEEL condition without the leading "="; absent for an unconditional flow. */
  readonly condition?: string;
}

export interface JobDefinition {
  readonly type: ExpressionOrStatic;
  readonly retries: ExpressionOrStatic;
  readonly headers: Readonly<Record<string, string>>;
}

export interface ExecutableElement {
  readonly id: string;
  readonly name?: string;
  readonly type: BpmnElementType;
  /** Id of the enclosing container (the process or a sub-process). */
  readonly flowScopeId: string;
  readonly incoming: readonly string[];
  readonly outgoing: readonly string[];
  readonly defaultFlowId?: string;
  readonly inputMappings: readonly VariableMapping[];
  readonly outputMappings: readonly VariableMapping[];
  readonly job?: JobDefinition;
  /** Script task: FEEL expression without "=", and the variable its result is stored in. */
  readonly script?: { readonly expression: string; readonly resultVariable: string };
  /** Container: the id of its none start event. */
  readonly noneStartEventId?: string;
  /** Activities with multi-instance loop characteristics: the body runs one inner instance per item. */
  readonly multiInstance?: {
    readonly sequential: boolean;
    /** FEEL expressions without "=". */
    readonly inputCollection: string;
    readonly inputElement?: string;
    readonly outputCollection?: string;
    readonly outputElement?: string;
    readonly completionCondition?: string;
  };
  /** User tasks: assignment, schedule and form; `native` is a Camunda user task, otherwise a job-based one. */
  readonly userTask?: {
    readonly native: boolean;
    readonly assignee?: ExpressionOrStatic;
    readonly candidateGroups?: ExpressionOrStatic;
    readonly candidateUsers?: ExpressionOrStatic;
    readonly dueDate?: ExpressionOrStatic;
    readonly followUpDate?: ExpressionOrStatic;
    readonly priority?: ExpressionOrStatic;
    /** An embedded form's key (`camunda-forms:bpmn:…`) or an external reference; "" for a linked form. */
    readonly formKey: string;
    /**
     * A linked form (`zeebe:formDefinition formId`), resolved to the key of a deployed form when the task
     * activates: the latest version (`latest`, default), the one deployed with the process (`deployment`) or
     * the latest tagged `versionTag`.
     */
    readonly form?: {
      readonly formId: ExpressionOrStatic;
      readonly binding: 'latest' | 'deployment' | 'versionTag';
      readonly versionTag?: string;
    };
  };
  /**
   * Start events: the form a tasklist shows to start the process (`zeebe:formDefinition`): a linked form id
   * (resolved to its latest version when asked for) or an embedded form's / external key.
   */
  readonly startForm?: { readonly formId?: string; readonly formKey?: string };
  /** Activities with a compensation boundary event: the handler activity that undoes them. */
  readonly compensationHandlerId?: string;
  /** Compensation handlers: activated only by compensation, never by a sequence flow. */
  readonly isForCompensation?: boolean;
  /** Business rule tasks: the decision to evaluate and the variable its result goes to. */
  readonly calledDecision?: { readonly decisionId: ExpressionOrStatic; readonly resultVariable: string };
  /** Call activities: which process to start and how variables flow between parent and child. */
  readonly calledElement?: {
    readonly processId: ExpressionOrStatic;
    readonly propagateAllChildVariables: boolean;
    readonly propagateAllParentVariables: boolean;
    /**
     * `latest` (default), `deployment` (the version deployed together with the caller) or `versionTag` (the
     * latest version tagged `versionTag`).
     */
    readonly binding: 'latest' | 'deployment' | 'versionTag';
    readonly versionTag?: string;
  };
  /** Events: what the event waits for or throws; absent for none events. */
  readonly eventDefinition?: EventDefinition;
  /** Boundary events: the activity they are attached to, and whether they interrupt it. */
  readonly attachedToId?: string;
  /** Boundary events and event sub-process start events: true (default) interrupts. */
  readonly interrupting?: boolean;
  /** Activities: the ids of the boundary events attached to them. */
  readonly boundaryEventIds?: readonly string[];
  /** Containers: the ids of their event sub-processes. */
  readonly eventSubProcessIds?: readonly string[];
  /** Event sub-processes: the id of their (single) start event. */
  readonly eventStartId?: string;
  /**
   * Inclusive gateway joins: for each incoming flow, the elements from which a token could still reach that
   * flow (without passing the gateway). The join waits only while such an element is active.
   */
  readonly joinUpstream?: Readonly<Record<string, readonly string[]>>;
  /** The element's `bpmn:documentation` and `zeebe:properties`, kept for the elements of ad-hoc sub-processes. */
  readonly documentation?: string;
  readonly properties?: Readonly<Record<string, string>>;
  /** Ad-hoc sub-processes: what activates their inner elements and when they complete. */
  readonly adHoc?: {
    /** `jobWorker` with a `zeebe:taskDefinition`: a job worker decides what to activate and when to complete. */
    readonly implementation: 'bpmn' | 'jobWorker';
    /** The id of the inner instance element each activation runs in. */
    readonly innerInstanceId: string;
    /** The inner elements without incoming flows: those an activation may name, in document order. */
    readonly activityIds: readonly string[];
    /** FEEL expressions without "=". */
    readonly activeElementsCollection?: string;
    readonly completionCondition?: string;
    /** When the completion condition holds: terminate the inner instances still active (default true). */
    readonly cancelRemainingInstances: boolean;
    readonly outputCollection?: string;
    readonly outputElement?: string;
  };
  /** Process: start events with a definition (message, timer, signal) that create instances. */
  readonly eventStartEventIds?: readonly string[];
}

export interface ExecutableProcess {
  readonly bpmnProcessId: string;
  readonly name?: string;
  /** `zeebe:versionTag`: a name for this version that call activities can bind to. */
  readonly versionTag?: string;
  readonly elements: Readonly<Record<string, ExecutableElement>>;
  readonly flows: Readonly<Record<string, ExecutableSequenceFlow>>;
}
