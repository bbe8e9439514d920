/** One element to activate in an ad-hoc sub-process, with variables for the scope it runs in. */
export interface AdHocActivateElementInstruction {
  readonly elementId: string;
  readonly variables: Record<string, unknown>;
}

/** Zeebe's AD_HOC_SUB_PROCESS_INSTRUCTION: activates inner elements of an active ad-hoc sub-process. */
export interface AdHocSubProcessInstructionRecordValue {
  readonly adHocSubProcessInstanceKey: string;
  readonly activateElements: readonly AdHocActivateElementInstruction[];
  /** COMPLETE (from a job worker's result): the completion condition is fulfilled. */
  readonly completionConditionFulfilled?: boolean;
  /** COMPLETE: terminate the inner instances still active rather than wait for them. */
  readonly cancelRemainingInstances?: boolean;
}

export type AdHocSubProcessInstructionRecord = {
  readonly valueType: 'AD_HOC_SUB_PROCESS_INSTRUCTION';
  readonly intent: 'ACTIVATE' | 'ACTIVATED' | 'COMPLETED';
  readonly value: AdHocSubProcessInstructionRecordValue;
};
