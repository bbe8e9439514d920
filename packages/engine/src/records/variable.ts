export interface VariableRecordValue {
  readonly name: string;
  /** The value, JSON-compatible. */
  readonly value: unknown;
  readonly scopeKey: string;
  readonly processInstanceKey: string;
  readonly processDefinitionKey: string;
  readonly bpmnProcessId: string;
}

export type VariableRecord = {
  readonly valueType: 'VARIABLE';
  readonly intent: 'CREATED' | 'UPDATED';
  readonly value: VariableRecordValue;
};

export interface VariableDocumentRecordValue {
  readonly scopeKey: string;
  /** PROPAGATE sets each variable where it is visible (or at the root); LOCAL sets all on the scope. */
  readonly updateSemantics: 'PROPAGATE' | 'LOCAL';
  readonly variables: Record<string, unknown>;
}

export type VariableDocumentRecord = {
  readonly valueType: 'VARIABLE_DOCUMENT';
  readonly intent: 'UPDATE' | 'UPDATED';
  readonly value: VariableDocumentRecordValue;
};

/**
 * The empty variable document that record values carry when they carry none (a job's, a subscription's):
 * one frozen object shared by all, instead of an empty object per job or waiting subscription in the state.
 */
export const NO_VARIABLES: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;
