export interface MessageRecordValue {
  readonly name: string;
  readonly correlationKey: string;
  /** Milliseconds the message stays buffered for subscriptions opened later (0: correlate now or never). */
  readonly timeToLive: number;
  /** Optional id; unique per name and correlation key while the message is buffered. */
  readonly messageId: string;
  readonly variables: Record<string, unknown>;
  /** When the buffered message expires (epoch ms). */
  readonly deadline: number;
}

export type MessageRecord = {
  readonly valueType: 'MESSAGE';
  readonly intent: 'PUBLISH' | 'PUBLISHED' | 'EXPIRE' | 'EXPIRED';
  readonly value: MessageRecordValue;
};

export interface MessageSubscriptionRecordValue {
  /** The waiting element instance; "-1" for a message start event. */
  readonly elementInstanceKey: string;
  readonly processInstanceKey: string;
  readonly processDefinitionKey: string;
  readonly bpmnProcessId: string;
  readonly targetElementId: string;
  readonly messageName: string;
  readonly correlationKey: string;
  readonly interrupting: boolean;
  /** On CORRELATED: the message, and its variables. */
  readonly messageKey: string;
  readonly variables: Record<string, unknown>;
}

export type MessageSubscriptionRecord = {
  readonly valueType: 'MESSAGE_SUBSCRIPTION';
  readonly intent: 'CREATED' | 'CORRELATED' | 'DELETED';
  readonly value: MessageSubscriptionRecordValue;
};
