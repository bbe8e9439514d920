import type { ExecutableProcess } from '../model/executable.js';

export interface ProcessRecordValue {
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly processDefinitionKey: string;
  readonly resourceName: string;
  readonly checksum: string;
  readonly resource: string;
  readonly deploymentKey: string;
  readonly executable: ExecutableProcess;
}

export type ProcessRecord = {
  readonly valueType: 'PROCESS';
  readonly intent: 'CREATED' | 'DELETED';
  readonly value: ProcessRecordValue;
};
