import type { HandOver } from './message.js';

export interface SignalRecordValue {
  readonly signalName: string;
  readonly variables: Record<string, unknown>;
  /** True on the copies the runtime hands to the other partitions (so they do not forward it again). */
  readonly distributed: boolean;
  readonly handOver?: HandOver;
}

export type SignalRecord = {
  readonly valueType: 'SIGNAL';
  readonly intent: 'BROADCAST' | 'BROADCASTED';
  readonly value: SignalRecordValue;
};

export interface SignalSubscriptionRecordValue {
  /** The waiting element instance; "-1" for a signal start event. */
  readonly elementInstanceKey: string;
  readonly processInstanceKey: string;
  readonly processDefinitionKey: string;
  readonly bpmnProcessId: string;
  readonly targetElementId: string;
  readonly signalName: string;
  readonly interrupting: boolean;
}

export type SignalSubscriptionRecord = {
  readonly valueType: 'SIGNAL_SUBSCRIPTION';
  readonly intent: 'CREATED' | 'DELETED';
  readonly value: SignalSubscriptionRecordValue;
};
