import type { LoggedRecord } from '@baton-engine/engine';
import type { Snapshot } from './partition-store.js';

/** Refuses a value that is not a safe integer, naming the argument. */
export function checkInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got ${String(value)}`);
}

/** The chunks of a snapshot to save, refused unless they can be iterated. */
export function snapshotChunks(snapshot: Snapshot): Iterable<string> {
  const chunks = snapshot.chunks as unknown;
  if (
    typeof chunks !== 'object' ||
    chunks === null ||
    typeof (chunks as Iterable<string>)[Symbol.iterator] !== 'function'
  )
    throw new Error('snapshot.chunks must be an iterable of strings');
  return chunks as Iterable<string>;
}

/** One chunk of a snapshot to save, refused unless it is a string. */
export function checkChunk(chunk: unknown, index: number): string {
  if (typeof chunk !== 'string')
    throw new Error(`snapshot.chunks must be an iterable of strings, but chunk ${index} is ${typeof chunk}`);
  return chunk;
}

/** Refuses an exporter position that could not be one: an empty id, or a position that is no log position. */
export function checkExporterPosition(exporterId: string, position: number): void {
  if (typeof exporterId !== 'string' || exporterId.length === 0)
    throw new Error(`exporterId must be a non-empty string, got ${JSON.stringify(exporterId)}`);
  if (!Number.isSafeInteger(position) || position < 0)
    throw new Error(
      `position of exporter '${exporterId}' must be a non-negative integer, got ${String(position)}`,
    );
}

/**
 * Why a batch cannot be appended to a partition as it stands, or undefined when its records belong to the
 * partition and their positions follow each other from `first` (the log's next position, when the store knows
 * it; the batch's own first position otherwise, leaving the check against the log to the store).
 */
export function batchRefusal(
  partitionId: number,
  records: readonly LoggedRecord[],
  first = records[0]?.position ?? 0,
): string | undefined {
  for (let index = 0; index < records.length; index++) {
    const record = records[index]!;
    if (record.partitionId !== partitionId)
      return `append to partition ${partitionId} refused: record ${index} belongs to partition ${record.partitionId}`;
    if (record.position !== first + index)
      return (
        `append to partition ${partitionId} refused: record ${index} has position ${record.position}, ` +
        `expected ${first + index} (positions must continue the log without gaps)`
      );
  }
  return undefined;
}
