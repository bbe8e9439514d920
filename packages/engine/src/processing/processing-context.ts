import type {
  CommandBody,
  CommandName,
  EventBody,
  LoggedCommand,
  LoggedRecord,
  RejectionType,
} from '../records/record.js';
import type { ReadonlyEngineState } from '../state/types.js';
import type { ElementContext } from '../bpmn/element-context.js';

/** A command as it arrives at a partition (from a client, a worker, the scheduler or another partition). */
export interface ClientCommand {
  readonly body: CommandBody;
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
  /** Appends an event and applies it; commands are never appended here (they are queued or rejected). */
  appendEvent(key: string, body: EventBody): LoggedRecord;
  /** Queues a command to be processed within this batch, after the current one. */
  appendFollowUpCommand(key: string, body: CommandBody): void;
  /**
   * Refuses the command being processed. The client command is answered with the rejection (at most once;
   * then nothing else is written); a follow-up command's rejection is logged in the batch, and the client
   * command's answer stands.
   */
  reject(type: RejectionType, reason: string): void;
  /** Marks an appended event as the answer to the client command. */
  respond(record: LoggedRecord): void;
  /** How many follow-up commands this client command has caused so far (bounds loops without wait states). */
  readonly followUpCount: number;
  /**
   * The element ids of activations queued in this batch and not processed yet, in the given flow scope: tokens
   * on their way to an element that is not active yet (an inclusive join waits for them).
   */
  pendingActivations(flowScopeKey: string): ReadonlySet<string>;
  /**
   * Lets a container react to a child that ended without taking a flow (its element processor's
   * `onChildEnded`). Injected here, as Zeebe hands the processor lookup to its state transitions, so that
   * the element behaviours need not import the registry of every element processor (an import cycle).
   */
  childEnded(container: ElementContext): void;
}

/**
 * Processes one command (`VALUE_TYPE:INTENT`), typed by it: read state, check preconditions, then append
 * events or one rejection.
 */
export type CommandProcessor<N extends CommandName> = (
  command: LoggedCommand<N>,
  ctx: ProcessingContext,
) => void;
