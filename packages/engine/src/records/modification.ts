export interface ActivateInstruction {
  readonly elementId: string;
  /** The instance of the element's flow scope to activate in; "-1" when it is unambiguous. */
  readonly ancestorElementInstanceKey: string;
  /** Variables to set: on the new element instance (scopeId = its element id, or empty) or on the process. */
  readonly variableInstructions: readonly {
    readonly variables: Record<string, unknown>;
    readonly scopeId: string;
  }[];
}

export interface ProcessInstanceModificationRecordValue {
  readonly processInstanceKey: string;
  readonly activateInstructions: readonly ActivateInstruction[];
  readonly terminateInstructions: readonly { readonly elementInstanceKey: string }[];
}

export type ProcessInstanceModificationRecord = {
  readonly valueType: 'PROCESS_INSTANCE_MODIFICATION';
  readonly intent: 'MODIFY' | 'MODIFIED';
  readonly value: ProcessInstanceModificationRecordValue;
};

export interface ResourceDeletionRecordValue {
  /** A process definition key or a decision key. */
  readonly resourceKey: string;
}

export type ResourceDeletionRecord = {
  readonly valueType: 'RESOURCE_DELETION';
  readonly intent: 'DELETE' | 'DELETED';
  readonly value: ResourceDeletionRecordValue;
};

export interface ProcessInstanceMigrationRecordValue {
  readonly processInstanceKey: string;
  readonly targetProcessDefinitionKey: string;
  /** Every active element must be mapped to an element of the same type in the target. */
  readonly mappingInstructions: readonly {
    readonly sourceElementId: string;
    readonly targetElementId: string;
  }[];
}

export type ProcessInstanceMigrationRecord = {
  readonly valueType: 'PROCESS_INSTANCE_MIGRATION';
  readonly intent: 'MIGRATE' | 'MIGRATED';
  readonly value: ProcessInstanceMigrationRecordValue;
};
