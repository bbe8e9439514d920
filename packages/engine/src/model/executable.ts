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

/** Script task: FEEL expression without "=", and the variable its result is stored in. */
export interface ScriptDefinition {
  readonly expression: string;
  readonly resultVariable: string;
}

/** Activities with multi-instance loop characteristics: the body runs one inner instance per item. */
export interface MultiInstanceDefinition {
  readonly sequential: boolean;
  /** FEEL expressions without "=". */
  readonly inputCollection: string;
  readonly inputElement?: string;
  readonly outputCollection?: string;
  readonly outputElement?: string;
  readonly completionCondition?: string;
}

/** User tasks: assignment, schedule and form; `native` is a Camunda user task, otherwise a job-based one. */
export interface UserTaskDefinition {
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
  readonly form?: LinkedFormDefinition;
}

export interface LinkedFormDefinition {
  readonly formId: ExpressionOrStatic;
  readonly binding: 'latest' | 'deployment' | 'versionTag';
  readonly versionTag?: string;
}

/**
 * Start events: the form a tasklist shows to start the process (`zeebe:formDefinition`): a linked form id
 * (resolved to its latest version when asked for) or an embedded form's / external key.
 */
export interface StartFormDefinition {
  readonly formId?: string;
  readonly formKey?: string;
}

/** Business rule tasks: the decision to evaluate and the variable its result goes to. */
export interface CalledDecisionDefinition {
  readonly decisionId: ExpressionOrStatic;
  readonly resultVariable: string;
}

/** Call activities: which process to start and how variables flow between parent and child. */
export interface CalledElementDefinition {
  readonly processId: ExpressionOrStatic;
  readonly propagateAllChildVariables: boolean;
  readonly propagateAllParentVariables: boolean;
  /**
   * `latest` (default), `deployment` (the version deployed together with the caller) or `versionTag` (the
   * latest version tagged `versionTag`).
   */
  readonly binding: 'latest' | 'deployment' | 'versionTag';
  readonly versionTag?: string;
}

/** Ad-hoc sub-processes: what activates their inner elements and when they complete. */
export interface AdHocDefinition {
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
}

/** What every element has, whatever its kind. */
interface ElementBase {
  readonly id: string;
  readonly name?: string;
  /** Id of the enclosing container (the process or a sub-process). */
  readonly flowScopeId: string;
  readonly incoming: readonly string[];
  readonly outgoing: readonly string[];
  readonly defaultFlowId?: string;
  readonly inputMappings: readonly VariableMapping[];
  readonly outputMappings: readonly VariableMapping[];
  /**
   * Activities with multi-instance loop characteristics (validation refuses them elsewhere): the body runs
   * one inner instance per item.
   */
  readonly multiInstance?: MultiInstanceDefinition;
  /** Activities with a compensation boundary event: the handler activity that undoes them. */
  readonly compensationHandlerId?: string;
  /** Compensation handlers: activated only by compensation, never by a sequence flow. */
  readonly isForCompensation?: boolean;
  /** Activities: the ids of the boundary events attached to them. */
  readonly boundaryEventIds?: readonly string[];
  /** The element's `bpmn:documentation` and `zeebe:properties`, kept for the elements of ad-hoc sub-processes. */
  readonly documentation?: string;
  readonly properties?: Readonly<Record<string, string>>;
}

/** The parts only some kinds have; each kind below says which of them it carries. */
interface KindParts {
  readonly job: JobDefinition;
  readonly script: ScriptDefinition;
  readonly userTask: UserTaskDefinition;
  readonly startForm: StartFormDefinition;
  readonly calledDecision: CalledDecisionDefinition;
  readonly calledElement: CalledElementDefinition;
  /** Events (and receive tasks): what the event waits for or throws; absent for none events. */
  readonly eventDefinition: EventDefinition;
  /** Boundary events: the activity they are attached to. */
  readonly attachedToId: string;
  /** Boundary events and start events (of event sub-processes): true (default) interrupts. */
  readonly interrupting: boolean;
  /** Containers: the id of their none start event. */
  readonly noneStartEventId: string;
  /** Containers: the ids of their event sub-processes. */
  readonly eventSubProcessIds: readonly string[];
  /** Event sub-processes: the id of their (single) start event. */
  readonly eventStartId: string;
  /** Process: start events with a definition (message, timer, signal) that create instances. */
  readonly eventStartEventIds: readonly string[];
  /**
   * Inclusive gateway joins: for each incoming flow, the elements from which a token could still reach that
   * flow (without passing the gateway). The join waits only while such an element is active.
   */
  readonly joinUpstream: Readonly<Record<string, readonly string[]>>;
  readonly adHoc: AdHocDefinition;
}

/**
 * One element kind: the common fields, the kind's own parts (`Own`, required or optional as the kind needs
 * them) and every other part declared absent, so that code may read `element.job` on any element and a check
 * of `element.type` narrows it to the parts that kind has.
 */
type Kind<T extends BpmnElementType, Own extends Partial<KindParts> = object> = ElementBase & {
  readonly type: T;
} & Own & { readonly [P in Exclude<keyof KindParts, keyof Own>]?: undefined };

export type ProcessElement = Kind<
  'PROCESS',
  Partial<Pick<KindParts, 'noneStartEventId' | 'eventSubProcessIds' | 'eventStartEventIds'>>
>;
export type SubProcessElement = Kind<
  'SUB_PROCESS',
  Partial<Pick<KindParts, 'noneStartEventId' | 'eventSubProcessIds'>>
>;
export type EventSubProcessElement = Kind<
  'EVENT_SUB_PROCESS',
  Partial<Pick<KindParts, 'noneStartEventId' | 'eventSubProcessIds' | 'eventStartId'>>
>;
export type AdHocSubProcessElement = Kind<
  'AD_HOC_SUB_PROCESS',
  Pick<KindParts, 'adHoc'> & Partial<Pick<KindParts, 'job' | 'noneStartEventId' | 'eventSubProcessIds'>>
>;
export type AdHocInnerInstanceElement = Kind<'AD_HOC_SUB_PROCESS_INNER_INSTANCE'>;
export type StartEventElement = Kind<
  'START_EVENT',
  Pick<KindParts, 'interrupting'> & Partial<Pick<KindParts, 'eventDefinition' | 'startForm'>>
>;
/** A message end or throw event is a job, as in Zeebe. */
export type EndEventElement = Kind<'END_EVENT', Partial<Pick<KindParts, 'eventDefinition' | 'job'>>>;
export type IntermediateThrowEventElement = Kind<
  'INTERMEDIATE_THROW_EVENT',
  Partial<Pick<KindParts, 'eventDefinition' | 'job'>>
>;
export type IntermediateCatchEventElement = Kind<
  'INTERMEDIATE_CATCH_EVENT',
  Partial<Pick<KindParts, 'eventDefinition'>>
>;
export type BoundaryEventElement = Kind<
  'BOUNDARY_EVENT',
  Pick<KindParts, 'interrupting'> & Partial<Pick<KindParts, 'eventDefinition' | 'attachedToId'>>
>;
/** Service and send tasks: a job of their task definition. */
export type ServiceTaskElement = Kind<'SERVICE_TASK' | 'SEND_TASK', Pick<KindParts, 'job'>>;
/** A script task is either evaluated by the engine (a FEEL script) or a job (a task definition). */
export type ScriptTaskElement =
  Kind<'SCRIPT_TASK', Pick<KindParts, 'script'>> | Kind<'SCRIPT_TASK', Pick<KindParts, 'job'>>;
export type TaskElement = Kind<'TASK' | 'MANUAL_TASK'>;
/** A receive task waits for a message like a message catch event. */
export type ReceiveTaskElement = Kind<'RECEIVE_TASK', Partial<Pick<KindParts, 'eventDefinition'>>>;
/** A user task: a Camunda user task, or a job-based one (with its job definition). */
export type UserTaskElement = Kind<
  'USER_TASK',
  Pick<KindParts, 'userTask'> & Partial<Pick<KindParts, 'job'>>
>;
/** A business rule task either evaluates a deployed decision or is a job (a task definition). */
export type BusinessRuleTaskElement =
  | Kind<'BUSINESS_RULE_TASK', Pick<KindParts, 'calledDecision'>>
  | Kind<'BUSINESS_RULE_TASK', Pick<KindParts, 'job'>>;
export type CallActivityElement = Kind<'CALL_ACTIVITY', Pick<KindParts, 'calledElement'>>;
export type GatewayElement = Kind<'EXCLUSIVE_GATEWAY' | 'PARALLEL_GATEWAY' | 'EVENT_BASED_GATEWAY'>;
export type InclusiveGatewayElement = Kind<'INCLUSIVE_GATEWAY', Partial<Pick<KindParts, 'joinUpstream'>>>;

/** A compiled element: a union discriminated by `type`, so a check of the kind gives its parts. */
export type ExecutableElement =
  | ProcessElement
  | SubProcessElement
  | EventSubProcessElement
  | AdHocSubProcessElement
  | AdHocInnerInstanceElement
  | StartEventElement
  | EndEventElement
  | IntermediateThrowEventElement
  | IntermediateCatchEventElement
  | BoundaryEventElement
  | ServiceTaskElement
  | ScriptTaskElement
  | TaskElement
  | ReceiveTaskElement
  | UserTaskElement
  | BusinessRuleTaskElement
  | CallActivityElement
  | GatewayElement
  | InclusiveGatewayElement;

/** The element kinds a compiled process contains (the body of a multi-instance and flows are not elements). */
export type ElementType = ExecutableElement['type'];

/** The compiled element of one kind (for kinds that share a shape, such as service and send tasks, that shape). */
export type ElementOfType<T extends ElementType> = ExecutableElement extends infer E
  ? E extends { readonly type: infer U }
    ? T extends U
      ? E
      : never
    : never
  : never;

/** An activity with multi-instance loop characteristics: what its MULTI_INSTANCE_BODY instance runs. */
export type MultiInstanceActivity = ExecutableElement & { readonly multiInstance: MultiInstanceDefinition };

export interface ExecutableProcess {
  readonly bpmnProcessId: string;
  readonly name?: string;
  /** `zeebe:versionTag`: a name for this version that call activities can bind to. */
  readonly versionTag?: string;
  readonly elements: Readonly<Record<string, ExecutableElement>>;
  readonly flows: Readonly<Record<string, ExecutableSequenceFlow>>;
}
