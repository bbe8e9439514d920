import type { LoggedRecord } from '@baton/engine';
import { partitionOfKey } from '@baton/engine';
import type { PartitionRuntime } from './partition.js';

/**
 * Messages and signals reach every partition: a message published on its home partition (or a signal
 * thrown on any) is handed, once committed, to the other partitions under the same key. A partition
 * processes each message key once; the home partition is the one that refuses duplicate message ids.
 */
export function distributeEvents(partitions: readonly PartitionRuntime[]): void {
  if (partitions.length < 2) return;
  for (const source of partitions) {
    source.onCommit((records) => {
      for (const record of records) forward(source, partitions, record);
    });
  }
}

function forward(
  source: PartitionRuntime,
  partitions: readonly PartitionRuntime[],
  record: LoggedRecord,
): void {
  if (record.recordType !== 'EVENT') return;
  if (
    record.valueType === 'MESSAGE' &&
    record.intent === 'PUBLISHED' &&
    partitionOfKey(record.key) === source.partitionId
  ) {
    for (const target of partitions) {
      if (target !== source) {
        void target
          .submit({ valueType: 'MESSAGE', intent: 'PUBLISH', value: record.value }, record.key)
          .catch(() => undefined);
      }
    }
  }
  if (record.valueType === 'SIGNAL' && record.intent === 'BROADCASTED' && !record.value.distributed) {
    for (const target of partitions) {
      if (target !== source) {
        void target
          .submit(
            { valueType: 'SIGNAL', intent: 'BROADCAST', value: { ...record.value, distributed: true } },
            record.key,
          )
          .catch(() => undefined);
      }
    }
  }
}

/** The partition that owns a correlation key (where its message ids are checked). */
export function homePartition(correlationKey: string, count: number): number {
  let hash = 0;
  for (let i = 0; i < correlationKey.length; i++) hash = (hash * 31 + correlationKey.charCodeAt(i)) | 0;
  return Math.abs(hash) % count;
}
