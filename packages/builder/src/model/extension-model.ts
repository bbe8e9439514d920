/**
 * Zeebe extension elements as plain data, before any XML exists. Each variant maps to one
 * `zeebe:*` element (see emit/extension-elements.ts).
 */
export type ExtensionModel =
  | TaskDefinitionModel
  | TaskHeadersModel
  | IoMappingModel
  | ScriptModel
  | SubscriptionModel
  | UserTaskModel
  | AssignmentDefinitionModel
  | TaskScheduleModel
  | FormDefinitionModel
  | PriorityDefinitionModel
  | CalledElementModel
  | CalledDecisionModel
  | LoopCharacteristicsModel
  | AdHocModel;

/** `<zeebe:adHoc activeElementsCollection outputCollection outputElement/>` on an ad-hoc sub-process. */
export interface AdHocModel {
  readonly kind: 'adHoc';
  readonly activeElementsCollection?: string;
  readonly outputCollection?: string;
  readonly outputElement?: string;
}

/** `<zeebe:taskDefinition type retries/>`: the job a worker picks up. */
export interface TaskDefinitionModel {
  readonly kind: 'taskDefinition';
  readonly type: string;
  readonly retries?: string;
}

/** `<zeebe:taskHeaders>`: static key/value pairs handed to the worker with every job. */
export interface TaskHeadersModel {
  readonly kind: 'taskHeaders';
  readonly headers: readonly { readonly key: string; readonly value: string }[];
}

/** `<zeebe:ioMapping>`: variables copied into the element's scope and back out of it. */
export interface IoMappingModel {
  readonly kind: 'ioMapping';
  readonly inputs: readonly VariableMapping[];
  readonly outputs: readonly VariableMapping[];
}

/** `<zeebe:script expression resultVariable/>`: a FEEL script task. */
export interface ScriptModel {
  readonly kind: 'script';
  readonly expression: string;
  readonly resultVariable: string;
}

/** `<zeebe:subscription correlationKey/>` on a `bpmn:message`. */
export interface SubscriptionModel {
  readonly kind: 'subscription';
  readonly correlationKey: string;
}

/** `<zeebe:userTask/>`: a Camunda user task rather than a job for a tasklist worker. */
export interface UserTaskModel {
  readonly kind: 'userTask';
}

/** `<zeebe:assignmentDefinition assignee candidateGroups candidateUsers/>`. */
export interface AssignmentDefinitionModel {
  readonly kind: 'assignmentDefinition';
  readonly assignee?: string;
  readonly candidateGroups?: string;
  readonly candidateUsers?: string;
}

/** `<zeebe:taskSchedule dueDate followUpDate/>`. */
export interface TaskScheduleModel {
  readonly kind: 'taskSchedule';
  readonly dueDate?: string;
  readonly followUpDate?: string;
}

/** `<zeebe:formDefinition formKey formId externalReference/>`. */
export interface FormDefinitionModel {
  readonly kind: 'formDefinition';
  readonly formKey?: string;
  readonly formId?: string;
  readonly externalReference?: string;
}

/** `<zeebe:priorityDefinition priority/>`. */
export interface PriorityDefinitionModel {
  readonly kind: 'priorityDefinition';
  readonly priority: string;
}

/** `<zeebe:calledElement processId propagateAllChildVariables propagateAllParentVariables bindingType versionTag/>`. */
export interface CalledElementModel {
  readonly kind: 'calledElement';
  readonly processId: string;
  readonly propagateAllChildVariables?: boolean;
  readonly propagateAllParentVariables?: boolean;
  readonly bindingType?: 'latest' | 'deployment' | 'versionTag';
  readonly versionTag?: string;
}

/** `<zeebe:calledDecision decisionId resultVariable/>`: a business rule task evaluating DMN. */
export interface CalledDecisionModel {
  readonly kind: 'calledDecision';
  readonly decisionId: string;
  readonly resultVariable: string;
}

/** `<zeebe:loopCharacteristics>` inside `bpmn:multiInstanceLoopCharacteristics`. */
export interface LoopCharacteristicsModel {
  readonly kind: 'loopCharacteristics';
  readonly inputCollection: string;
  readonly inputElement?: string;
  readonly outputCollection?: string;
  readonly outputElement?: string;
}

/**
 * One `<zeebe:input>` or `<zeebe:output>`. `source` is usually a FEEL expression (`"= order.total"`);
 * `target` is the variable (or `a.b` path) it is written to.
 */
export interface VariableMapping {
  readonly source: string;
  readonly target: string;
}
