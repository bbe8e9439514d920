import type { EmptyCommandValue } from './job.js';
export type IncidentErrorType =
  | 'JOB_NO_RETRIES'
  | 'EXTRACT_VALUE_ERROR'
  | 'IO_MAPPING_ERROR'
  | 'CONDITION_ERROR'
  | 'UNHANDLED_ERROR_EVENT'
  | 'PROCESSING_LIMIT_EXCEEDED'
  | 'CALLED_ELEMENT_ERROR'
  | 'CALLED_DECISION_ERROR'
  | 'DECISION_EVALUATION_ERROR'
  | 'FORM_NOT_FOUND'
  | 'UNKNOWN';

export interface IncidentRecordValue {
  readonly errorType: IncidentErrorType;
  readonly errorMessage: string;
  readonly bpmnProcessId: string;
  readonly processDefinitionKey: string;
  readonly processInstanceKey: string;
  readonly elementId: string;
  readonly elementInstanceKey: string;
  /** "-1" unless the incident belongs to a job. */
  readonly jobKey: string;
  /** The variable scope whose variables an operator may fix before resolving. */
  readonly variableScopeKey: string;
}

export type IncidentRecord =
  | {
      readonly valueType: 'INCIDENT';
      readonly intent: 'CREATED' | 'RESOLVED' | 'MIGRATED';
      readonly value: IncidentRecordValue;
    }
  /** The incident is named by the command's key. */
  | { readonly valueType: 'INCIDENT'; readonly intent: 'RESOLVE'; readonly value: EmptyCommandValue };
