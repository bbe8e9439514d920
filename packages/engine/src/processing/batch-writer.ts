import type {
  CommandBody,
  EventBody,
  LoggedRecord,
  RecordBody,
  RecordType,
  RejectionType,
} from '../records/record.js';
import type { EngineState } from '../state/engine-state.js';
import { applyRecord } from '../state/appliers/applier-registry.js';
import type { ProcessingContext } from './processing-context.js';
import type { ElementContext } from '../bpmn/element-context.js';
import { processorOf } from '../bpmn/element-kinds.js';

/**
 * Collects the records one client command causes, assigning positions and applying events as they are
 * written (the "state writer" of the architecture).
 */
export class BatchWriter implements ProcessingContext {
  readonly records: LoggedRecord[] = [];
  readonly followUps: { key: string; body: CommandBody }[] = [];
  response: LoggedRecord | undefined;
  followUpCount = 0;
  /** The index in `followUps` of the next follow-up to process (set by the stream processor). */
  nextFollowUp = 0;
  command!: LoggedRecord;
  /** The command being processed: the client command, or one of its follow-ups. */
  current: LoggedRecord | undefined;
  private rejected = false;

  constructor(
    private readonly engineState: EngineState,
    readonly timestamp: number,
  ) {}

  get state() {
    return this.engineState;
  }

  childEnded(container: ElementContext): void {
    processorOf(container.value.bpmnElementType).onChildEnded?.(this, container);
  }

  pendingActivations(flowScopeKey: string): ReadonlySet<string> {
    const ids = new Set<string>();
    for (let i = this.nextFollowUp; i < this.followUps.length; i++) {
      const { body } = this.followUps[i]!;
      if (
        body.valueType === 'PROCESS_INSTANCE' &&
        body.intent === 'ACTIVATE_ELEMENT' &&
        body.value.flowScopeKey === flowScopeKey
      )
        ids.add(body.value.elementId);
    }
    return ids;
  }

  nextKey(): string {
    return this.engineState.keys.next();
  }

  write(
    recordType: RecordType,
    key: string,
    body: RecordBody,
    sourcePosition: number,
    rejection?: { type: RejectionType; reason: string },
  ): LoggedRecord {
    // An explicit literal, not a spread: on the hot path a spread that adds properties costs ~100x more.
    const record = {
      partitionId: this.engineState.partitionId,
      position: this.engineState.lastPosition + 1,
      key,
      recordType,
      valueType: body.valueType,
      intent: body.intent,
      value: body.value,
      sourcePosition,
      timestamp: this.timestamp,
    } as LoggedRecord & { rejectionType?: RejectionType; rejectionReason?: string };
    if (rejection) {
      record.rejectionType = rejection.type;
      record.rejectionReason = rejection.reason;
    }
    this.records.push(record);
    applyRecord(this.engineState, record);
    return record;
  }

  appendEvent(key: string, body: EventBody): LoggedRecord {
    return this.write('EVENT', key, body, this.command.position);
  }

  appendFollowUpCommand(key: string, body: CommandBody): void {
    this.followUpCount += 1;
    this.followUps.push({ key, body });
  }

  reject(type: RejectionType, reason: string): void {
    const current = this.current ?? this.command;
    if (current !== this.command) {
      // A follow-up the engine queued (an element lifecycle command): its rejection is logged in the batch,
      // and the client command's answer stands.
      const { key, valueType, intent, value } = current;
      this.write(
        'COMMAND_REJECTION',
        key,
        { valueType, intent, value } as RecordBody,
        this.command.position,
        {
          type,
          reason,
        },
      );
      return;
    }
    if (this.rejected) return;
    this.rejected = true;
    const { valueType, intent, value } = this.command;
    this.response = this.write(
      'COMMAND_REJECTION',
      this.command.key,
      { valueType, intent, value } as RecordBody,
      this.command.position,
      { type, reason },
    );
  }

  respond(record: LoggedRecord): void {
    this.response = record;
  }
}
