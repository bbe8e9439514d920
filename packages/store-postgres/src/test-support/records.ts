import type { LoggedRecord } from '@baton-engine/engine';

/** A record of the log whose value names who wrote it, so that a test can tell the writers apart in the log. */
export function writtenBy(partitionId: number, position: number, writer: string): LoggedRecord {
  return {
    partitionId,
    position,
    key: String(2 ** 51 * partitionId + position),
    recordType: 'EVENT',
    sourcePosition: position - 1,
    timestamp: 1_700_000_000_000 + position,
    valueType: 'VARIABLE',
    intent: 'CREATED',
    value: {
      name: 'writer',
      value: writer,
      scopeKey: '2251799813685249',
      processInstanceKey: '2251799813685249',
      processDefinitionKey: '2251799813685248',
      bpmnProcessId: 'fencing',
    },
  };
}

/** Who wrote a record made by `writtenBy`. */
export function writerOf(record: LoggedRecord): string {
  return String((record.value as { value?: unknown }).value);
}
