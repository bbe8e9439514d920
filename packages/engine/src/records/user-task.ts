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
      readonly intent: 'CREATED' | 'ASSIGNED' | 'UPDATED' | 'COMPLETED' | 'CANCELED' | 'MIGRATED';
      readonly value: UserTaskRecordValue;
    }
  /** Commands: who takes the task (CLAIM fails if someone else has it), or the variables it completes with. */
  | {
      readonly valueType: 'USER_TASK';
      readonly intent: 'ASSIGN' | 'CLAIM';
      readonly value: { readonly assignee: string };
    }
  /** The attributes to change; those left out keep their value. */
  | {
      readonly valueType: 'USER_TASK';
      readonly intent: 'UPDATE';
      readonly value: UserTaskUpdate;
    }
  | {
      readonly valueType: 'USER_TASK';
      readonly intent: 'COMPLETE';
      readonly value: { readonly variables: Record<string, unknown> };
    };

/** What a user task UPDATE may change (Camunda's user task update). */
export interface UserTaskUpdate {
  /** ISO 8601 date-times with a zone; "" clears. */
  readonly dueDate?: string;
  readonly followUpDate?: string;
  readonly candidateGroups?: readonly string[];
  readonly candidateUsers?: readonly string[];
  /** 0 to 100. */
  readonly priority?: number;
}
