import type { LoggedRecord, RecordBody, RejectionType } from '../records/record.js';
import type { ReadonlyEngineState } from '../state/types.js';
import type { ElementContext } from '../bpmn/element-context.js';

/** A command as it arrives at a partition (from a client, a worker, the scheduler or another partition). */
export interface ClientCommand {
  readonly body: RecordBody;
  /** The key the command addresses (a job, an incident …), or "-1". */
  readonly key: string;
  /** Taken from the partition's clock when the command was accepted; processing reads time only from here. */
  readonly timestamp: number;
}

/**
 * What a command processor may do. Processors read `state` and write records; writing an event applies it
 * to the state in the same call, so live processing and replay run the same code.
 */
export interface ProcessingContext {
  readonly state: ReadonlyEngineState;
  /** The time of the command being processed (ms since the epoch). */
  readonly timestamp: number;
  /** The client command being processed, as logged. */
  readonly command: LoggedRecord;
  nextKey(): string;
  /** Appends an event and applies it. */
  appendEvent(key: string, body: RecordBody): LoggedRecord;
  /** Queues a command to be processed within this batch, after the current one. */
  appendFollowUpCommand(key: string, body: RecordBody): void;
  /** Refuses the client command; a processor rejects at most once and then writes nothing else. */
  reject(type: RejectionType, reason: string): void;
  /** Marks an appended event as the answer to the client command. */
  respond(record: LoggedRecord): void;
  /** How many follow-up commands this client command has caused so far (bounds loops without wait states). */
  readonly followUpCount: number;
  /**
   * Lets a container react to a child that ended without taking a flow (its element processor's
   * `onChildEnded`). Injected here, as Zeebe hands the processor lookup to its state transitions, so that
   * the element behaviours need not import the registry of every element processor (an import cycle).
   */
  childEnded(container: ElementContext): void;
}

/** Processes one kind of command: read state, check preconditions, then append events or one rejection. */
export type CommandProcessor = (command: LoggedRecord, ctx: ProcessingContext) => void;
