export interface UserTaskRecordValue {
  /** "" when unassigned. */
  readonly assignee: string;
  readonly candidateGroups: readonly string[];
  readonly candidateUsers: readonly string[];
  /** ISO 8601 date-times, "" when not set. */
  readonly dueDate: string;
  readonly followUpDate: string;
  readonly formKey: string;
  readonly priority: number;
  /** On COMPLETE / COMPLETED: the variables the task was completed with. */
  readonly variables: Record<string, unknown>;
  readonly elementId: string;
  readonly elementInstanceKey: string;
  readonly processInstanceKey: string;
  readonly processDefinitionKey: string;
  readonly bpmnProcessId: string;
  readonly processDefinitionVersion: number;
}

export type UserTaskRecord = {
  readonly valueType: 'USER_TASK';
  readonly intent:
    | 'CREATED'
    | 'ASSIGN'
    | 'CLAIM'
    | 'ASSIGNED'
    | 'UPDATE'
    | 'UPDATED'
    | 'COMPLETE'
    | 'COMPLETED'
    | 'CANCELED'
    | 'MIGRATED';
  readonly value: UserTaskRecordValue;
};
