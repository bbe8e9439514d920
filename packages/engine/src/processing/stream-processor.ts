import type { LoggedRecord } from '../records/record.js';
import type { EngineState } from '../state/engine-state.js';
import { applyRecord } from '../state/appliers/applier-registry.js';
import { commandProcessorOf, INTERNAL_COMMANDS } from '../commands/command-registry.js';
import { BatchWriter } from './batch-writer.js';
import type { ClientCommand } from './processing-context.js';

/** What processing one client command produced. */
export interface ProcessedCommand {
  /** The command as logged, then every record it caused, in position order. */
  readonly records: LoggedRecord[];
  /** The event or rejection that answers the command. */
  readonly response: LoggedRecord | undefined;
}

/**
 * The single writer of a partition. Processes one command at a time, deterministically: the same state and
 * command always give the same records. The caller appends the records durably before it lets anything
 * leave the partition.
 */
export class StreamProcessor {
  constructor(readonly state: EngineState) {}

  process(command: ClientCommand): ProcessedCommand {
    const writer = new BatchWriter(this.state, command.timestamp);
    writer.command = writer.write('COMMAND', command.key, command.body, -1);
    const name = `${command.body.valueType}:${command.body.intent}`;
    const processor = INTERNAL_COMMANDS.has(name) ? undefined : commandProcessorOf(command.body);
    if (!processor) {
      writer.reject('INVALID_ARGUMENT', `Unknown or internal command '${name}'`);
      return { records: writer.records, response: writer.response };
    }
    writer.nextFollowUp = 0;
    processor(writer.command, writer);
    // Follow-up commands run within the same batch, in order; they are not logged themselves.
    for (let i = 0; i < writer.followUps.length; i++) {
      const followUp = writer.followUps[i]!;
      const followUpProcessor = commandProcessorOf(followUp.body);
      if (!followUpProcessor) continue;
      // The client command's envelope with the follow-up's body (an explicit literal: cheaper than spreads).
      const source = writer.command;
      const pseudo = {
        partitionId: source.partitionId,
        position: source.position,
        key: followUp.key,
        recordType: 'COMMAND',
        valueType: followUp.body.valueType,
        intent: followUp.body.intent,
        value: followUp.body.value,
        sourcePosition: source.sourcePosition,
        timestamp: source.timestamp,
      } as LoggedRecord;
      writer.current = pseudo;
      writer.nextFollowUp = i + 1;
      followUpProcessor(pseudo, writer);
    }
    writer.current = undefined;
    return { records: writer.records, response: writer.response };
  }

  /** Logs a command that made processing fail (a bug) together with its PROCESSING_ERROR rejection. */
  rejectAfterError(command: ClientCommand, reason: string): ProcessedCommand {
    const writer = new BatchWriter(this.state, command.timestamp);
    writer.command = writer.write('COMMAND', command.key, command.body, -1);
    writer.reject('PROCESSING_ERROR', reason);
    return { records: writer.records, response: writer.response };
  }

  /** Applies records read from the log during recovery. */
  replay(record: LoggedRecord): void {
    applyRecord(this.state, record);
  }
}
