import type { BpmnElementType, LoggedRecord, LoggedRecordOf, RecordType, ValueType } from '../index.js';

/** The fields many record values share; a filter on one of them skips records whose value lacks it. */
interface CommonValue {
  readonly elementId?: string;
  readonly processInstanceKey?: string;
  readonly bpmnElementType?: BpmnElementType;
  readonly type?: string;
  readonly name?: string;
  readonly messageName?: string;
  readonly targetElementId?: string;
  readonly scopeKey?: string;
  readonly errorType?: string;
}

function valueOf(record: LoggedRecord): CommonValue {
  return record.value as CommonValue;
}

/**
 * An immutable, filterable view of records in log order, in the spirit of Zeebe's RecordingExporter:
 * `records.processInstance().withElementId('task').withIntent('ELEMENT_COMPLETED').first()`.
 * Every filter returns a new stream; nothing waits (the harness is synchronous: the records are all there).
 */
export class RecordStream<R extends LoggedRecord = LoggedRecord> implements Iterable<R> {
  constructor(private readonly items: readonly R[]) {}

  [Symbol.iterator](): Iterator<R> {
    return this.items[Symbol.iterator]();
  }

  get length(): number {
    return this.items.length;
  }

  toArray(): R[] {
    return [...this.items];
  }

  filter(predicate: (record: R) => boolean): RecordStream<R> {
    return new RecordStream(this.items.filter(predicate));
  }

  map<T>(fn: (record: R) => T): T[] {
    return this.items.map(fn);
  }

  some(predicate: (record: R) => boolean): boolean {
    return this.items.some(predicate);
  }

  /** The first record, or undefined. */
  first(): R | undefined {
    return this.items[0];
  }

  last(): R | undefined {
    return this.items[this.items.length - 1];
  }

  /** The first record; throws naming what was looked for when there is none (`what` describes the filter). */
  get(what = 'a record'): R {
    const record = this.items[0];
    if (!record) throw new Error(`Expected ${what}, but the stream has none`);
    return record;
  }

  /** The only record; throws when there are none or several. */
  only(what = 'exactly one record'): R {
    if (this.items.length !== 1)
      throw new Error(
        `Expected ${what}, but found ${this.items.length}: ${this.items.map(describeRecord).join(', ')}`,
      );
    return this.items[0]!;
  }

  ofValueType<V extends ValueType>(valueType: V): RecordStream<LoggedRecordOf<V>> {
    return new RecordStream(
      this.items.filter((r): r is R & LoggedRecordOf<V> => r.valueType === valueType),
    ) as RecordStream<LoggedRecordOf<V>>;
  }

  processInstance(): RecordStream<LoggedRecordOf<'PROCESS_INSTANCE'>> {
    return this.ofValueType('PROCESS_INSTANCE');
  }

  processInstanceCreation(): RecordStream<LoggedRecordOf<'PROCESS_INSTANCE_CREATION'>> {
    return this.ofValueType('PROCESS_INSTANCE_CREATION');
  }

  deployment(): RecordStream<LoggedRecordOf<'DEPLOYMENT'>> {
    return this.ofValueType('DEPLOYMENT');
  }

  job(): RecordStream<LoggedRecordOf<'JOB'>> {
    return this.ofValueType('JOB');
  }

  jobBatch(): RecordStream<LoggedRecordOf<'JOB_BATCH'>> {
    return this.ofValueType('JOB_BATCH');
  }

  incident(): RecordStream<LoggedRecordOf<'INCIDENT'>> {
    return this.ofValueType('INCIDENT');
  }

  timer(): RecordStream<LoggedRecordOf<'TIMER'>> {
    return this.ofValueType('TIMER');
  }

  message(): RecordStream<LoggedRecordOf<'MESSAGE'>> {
    return this.ofValueType('MESSAGE');
  }

  messageSubscription(): RecordStream<LoggedRecordOf<'MESSAGE_SUBSCRIPTION'>> {
    return this.ofValueType('MESSAGE_SUBSCRIPTION');
  }

  signal(): RecordStream<LoggedRecordOf<'SIGNAL'>> {
    return this.ofValueType('SIGNAL');
  }

  signalSubscription(): RecordStream<LoggedRecordOf<'SIGNAL_SUBSCRIPTION'>> {
    return this.ofValueType('SIGNAL_SUBSCRIPTION');
  }

  variable(): RecordStream<LoggedRecordOf<'VARIABLE'>> {
    return this.ofValueType('VARIABLE');
  }

  variableDocument(): RecordStream<LoggedRecordOf<'VARIABLE_DOCUMENT'>> {
    return this.ofValueType('VARIABLE_DOCUMENT');
  }

  userTask(): RecordStream<LoggedRecordOf<'USER_TASK'>> {
    return this.ofValueType('USER_TASK');
  }

  modification(): RecordStream<LoggedRecordOf<'PROCESS_INSTANCE_MODIFICATION'>> {
    return this.ofValueType('PROCESS_INSTANCE_MODIFICATION');
  }

  withRecordType(recordType: RecordType): RecordStream<R> {
    return this.filter((r) => r.recordType === recordType);
  }

  commands(): RecordStream<R> {
    return this.withRecordType('COMMAND');
  }

  /** The events, typed as such: their values are the full event values. */
  events(): RecordStream<Extract<R, { readonly recordType: 'EVENT' }>> {
    return this.withRecordType('EVENT') as RecordStream<Extract<R, { readonly recordType: 'EVENT' }>>;
  }

  rejections(): RecordStream<R> {
    return this.withRecordType('COMMAND_REJECTION');
  }

  /** The records with one of these intents, narrowed to them (an event intent gives the event's value). */
  withIntent<I extends R['intent']>(...intents: I[]): RecordStream<Extract<R, { readonly intent: I }>> {
    return new RecordStream(
      this.items.filter((r): r is Extract<R, { readonly intent: I }> => intents.includes(r.intent as I)),
    );
  }

  withKey(key: string): RecordStream<R> {
    return this.filter((r) => r.key === key);
  }

  /** Records whose value names this element (process instance, job, incident, …). */
  withElementId(elementId: string): RecordStream<R> {
    return this.filter((r) => valueOf(r).elementId === elementId);
  }

  withElementType(type: BpmnElementType): RecordStream<R> {
    return this.filter((r) => valueOf(r).bpmnElementType === type);
  }

  withProcessInstanceKey(processInstanceKey: string): RecordStream<R> {
    return this.filter((r) => valueOf(r).processInstanceKey === processInstanceKey);
  }

  /** Jobs of this type. */
  withJobType(type: string): RecordStream<R> {
    return this.filter((r) => r.valueType === 'JOB' && valueOf(r).type === type);
  }

  /** Variables (or messages) of this name, message subscriptions of this message name. */
  withName(name: string): RecordStream<R> {
    return this.filter((r) => valueOf(r).name === name || valueOf(r).messageName === name);
  }

  withTargetElementId(elementId: string): RecordStream<R> {
    return this.filter((r) => valueOf(r).targetElementId === elementId);
  }

  withScopeKey(scopeKey: string): RecordStream<R> {
    return this.filter((r) => valueOf(r).scopeKey === scopeKey);
  }

  /** Records written at or after this log position (to look only at what came after some point). */
  since(position: number): RecordStream<R> {
    return this.filter((r) => r.position >= position);
  }

  /** The intents in order: `['CREATED', 'COMPLETED']`. */
  intents(): string[] {
    return this.items.map((r) => r.intent);
  }

  /**
   * The process instance events as `elementId:INTENT` in log order (sequence flows included), commands left
   * out: what an instance went through, to compare with an expected trail.
   */
  trail(): string[] {
    return this.items
      .filter((r) => r.valueType === 'PROCESS_INSTANCE' && r.recordType === 'EVENT')
      .map((r) => `${valueOf(r).elementId}:${r.intent}`);
  }

  /** The element ids of the records, in order. */
  elementIds(): string[] {
    return this.items.map((r) => valueOf(r).elementId ?? '');
  }
}

/** One record in a line, for assertion messages: `EVENT JOB CREATED key=… element=task`. */
export function describeRecord(record: LoggedRecord): string {
  const value = valueOf(record);
  const element = value.elementId ? ` element=${value.elementId}` : '';
  const reason = record.rejectionReason ? ` (${record.rejectionType}: ${record.rejectionReason})` : '';
  return `${record.recordType} ${record.valueType} ${record.intent} key=${record.key}${element}${reason}`;
}
