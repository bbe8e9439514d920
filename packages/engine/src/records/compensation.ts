export interface CompensationSubscriptionRecordValue {
  /** The completed activity instance that can be compensated. */
  readonly elementInstanceKey: string;
  readonly elementId: string;
  /** The scope it completed in: a compensation thrown there compensates it. */
  readonly flowScopeKey: string;
  readonly processInstanceKey: string;
  readonly processDefinitionKey: string;
  readonly bpmnProcessId: string;
  /** The compensation handler activity (associated with the compensation boundary event). */
  readonly handlerId: string;
  /** The variables the activity saw when it completed; its handler starts with them. */
  readonly variables: Record<string, unknown>;
  /** The throw event waiting for this compensation, once triggered; otherwise "-1". */
  readonly throwEventKey: string;
  /** The running handler instance, once started; otherwise "-1". */
  readonly handlerInstanceKey: string;
}

export type CompensationSubscriptionRecord = {
  readonly valueType: 'COMPENSATION_SUBSCRIPTION';
  readonly intent: 'CREATED' | 'TRIGGERED' | 'COMPENSATING' | 'COMPLETED' | 'DELETED';
  readonly value: CompensationSubscriptionRecordValue;
};
