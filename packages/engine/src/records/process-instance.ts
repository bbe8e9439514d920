import type { BpmnElementType } from '../model/executable.js';
import type { EmptyCommandValue } from './job.js';

export type ProcessInstanceCommandIntent =
  'ACTIVATE_ELEMENT' | 'COMPLETE_ELEMENT' | 'TERMINATE_ELEMENT' | 'CANCEL';

export type ProcessInstanceEventIntent =
  | 'ELEMENT_ACTIVATING'
  | 'ELEMENT_ACTIVATED'
  | 'ELEMENT_COMPLETING'
  | 'ELEMENT_COMPLETED'
  | 'ELEMENT_TERMINATING'
  | 'ELEMENT_TERMINATED'
  | 'SEQUENCE_FLOW_TAKEN'
  | 'ELEMENT_MIGRATED';

export interface ProcessInstanceRecordValue {
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly processDefinitionKey: string;
  readonly processInstanceKey: string;
  readonly elementId: string;
  readonly bpmnElementType: BpmnElementType;
  /** Key of the enclosing element instance; "-1" for the process itself. */
  readonly flowScopeKey: string;
  readonly parentProcessInstanceKey: string;
  readonly parentElementInstanceKey: string;
}

export type ProcessInstanceRecord =
  | {
      readonly valueType: 'PROCESS_INSTANCE';
      readonly intent: Exclude<ProcessInstanceCommandIntent, 'CANCEL'> | ProcessInstanceEventIntent;
      readonly value: ProcessInstanceRecordValue;
    }
  /** The instance to cancel is named by the command's key. */
  | { readonly valueType: 'PROCESS_INSTANCE'; readonly intent: 'CANCEL'; readonly value: EmptyCommandValue };
