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
