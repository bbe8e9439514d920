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

export type UserTaskRecord =
  | {
      readonly valueType: 'USER_TASK';
      readonly intent: 'CREATED' | 'ASSIGNED' | 'COMPLETED' | 'CANCELED' | 'MIGRATED';
      readonly value: UserTaskRecordValue;
    }
  /** Commands: who takes the task (CLAIM fails if someone else has it), or the variables it completes with. */
  | {
      readonly valueType: 'USER_TASK';
      readonly intent: 'ASSIGN' | 'CLAIM';
      readonly value: { readonly assignee: string };
    }
  | {
      readonly valueType: 'USER_TASK';
      readonly intent: 'COMPLETE';
      readonly value: { readonly variables: Record<string, unknown> };
    };
