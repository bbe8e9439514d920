import type { EmptyCommandValue } from './job.js';
/**
 * On a message or signal handed from its home partition to another: where it came from, so that the other
 * partition takes each exactly once and in order, even when the hand-over is repeated after a crash.
 */
export interface HandOver {
  /** Log position of the record on the source partition (whose id the record's key carries). */
  readonly sourcePosition: number;
  /** The source position of the previous hand-over to the same partition (0 for the first). */
  readonly previousPosition: number;
}

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
  readonly handOver?: HandOver;
}

export type MessageRecord =
  | {
      readonly valueType: 'MESSAGE';
      readonly intent: 'PUBLISH' | 'PUBLISHED' | 'EXPIRED';
      readonly value: MessageRecordValue;
    }
  /** From the due-date scheduler: the buffered message named by the key has outlived its time to live. */
  | { readonly valueType: 'MESSAGE'; readonly intent: 'EXPIRE'; readonly value: EmptyCommandValue };

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
