/** Start before this element instead of at the none start event (Zeebe's `startBeforeElement`). */
export interface ProcessInstanceCreationStartInstruction {
  readonly elementId: string;
}

export interface ProcessInstanceCreationRecordValue {
  readonly bpmnProcessId: string;
  /** -1 for the latest version. */
  readonly version: number;
  /** "-1" to select by id and version. */
  readonly processDefinitionKey: string;
  readonly variables: Record<string, unknown>;
  readonly processInstanceKey: string;
  /** When set, a PROCESS_INSTANCE_RESULT event is written when the instance completes. */
  readonly awaitResult?: boolean;
  readonly fetchVariables?: readonly string[];
  /**
   * Where the instance starts: before each of these elements (their flow scopes are created first) instead of
   * at the none start event. Absent or empty: the none start event.
   */
  readonly startInstructions?: readonly ProcessInstanceCreationStartInstruction[];
}

export type ProcessInstanceCreationRecord = {
  readonly valueType: 'PROCESS_INSTANCE_CREATION';
  readonly intent: 'CREATE' | 'CREATED';
  readonly value: ProcessInstanceCreationRecordValue;
};

export interface ProcessInstanceResultRecordValue {
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly processDefinitionKey: string;
  readonly processInstanceKey: string;
  readonly variables: Record<string, unknown>;
}

export type ProcessInstanceResultRecord = {
  readonly valueType: 'PROCESS_INSTANCE_RESULT';
  readonly intent: 'COMPLETED';
  readonly value: ProcessInstanceResultRecordValue;
};
