import { deflateRawSync } from 'node:zlib';
import type Database from 'better-sqlite3';

/**
 * A write to the database, as plain data: the same requests run on the calling thread or are posted to the
 * writer thread (`writer-thread.ts`), so they hold only what structured cloning carries.
 */
export type WriteRequest =
  | {
      readonly op: 'append';
      readonly partitionId: number;
      /** Position of the batch's first record; the records are consecutive. */
      readonly firstPosition: number;
      readonly count: number;
      /** The batch as one JSON array, serialized by the caller; the writer compresses it. */
      readonly text: string;
    }
  | {
      readonly op: 'saveSnapshot';
      readonly partitionId: number;
      readonly position: number;
      /** Text, or its UTF-8 bytes (moved, not copied, to the writer thread); either is read back as text. */
      readonly chunks: readonly (string | Uint8Array)[];
    }
  | { readonly op: 'compact'; readonly partitionId: number; readonly upToPosition: number };

/** A batch the contract refuses; its message already says which partition and why. */
export class AppendRefused extends Error {
  override readonly name = 'AppendRefused';
}

/**
 * Prepares the statements of every write once and returns a function that runs one request, each in one
 * immediate transaction (for an append: one commit, one fsync under `synchronous=FULL`). Throws
 * `AppendRefused` for a batch that does not continue the log, or SQLite's error.
 */
export function createLogWriter(db: Database.Database): (request: WriteRequest) => void {
  const meta = db.prepare<[number], { last: number; compacted: number }>(
    'SELECT last_position AS last, compacted_position AS compacted FROM partition_meta WHERE partition_id = ?',
  );
  const setLastPosition = db.prepare<[number, number]>(
    `INSERT INTO partition_meta (partition_id, last_position) VALUES (?, ?)
     ON CONFLICT (partition_id) DO UPDATE SET last_position = excluded.last_position`,
  );
  const insertBatch = db.prepare<[number, number, number, Buffer]>(
    'INSERT INTO log_batch (partition_id, first_position, last_position, records) VALUES (?, ?, ?, ?)',
  );
  const append = db.transaction((partitionId: number, first: number, count: number, text: string) => {
    // Checked under the write lock, so a concurrent writer cannot slip in between check and insert.
    const last = meta.get(partitionId)?.last ?? 0;
    if (first !== last + 1) {
      throw new AppendRefused(
        `append to partition ${partitionId} refused: the batch starts at position ${first}, expected ` +
          `${last + 1} (positions must continue the log without gaps)`,
      );
    }
    insertBatch.run(partitionId, first, last + count, compressBatch(text));
    setLastPosition.run(partitionId, last + count);
  });

  const upsertSnapshot = db.prepare<[number, number]>(
    `INSERT INTO snapshot (partition_id, position, data) VALUES (?, ?, '')
     ON CONFLICT (partition_id) DO UPDATE SET position = excluded.position, data = ''`,
  );
  const clearChunks = db.prepare<[number]>('DELETE FROM snapshot_chunk WHERE partition_id = ?');
  const insertChunk = db.prepare<[number, number, string | Buffer]>(
    'INSERT INTO snapshot_chunk (partition_id, idx, data) VALUES (?, ?, ?)',
  );
  const saveSnapshot = db.transaction(
    (partitionId: number, position: number, chunks: readonly (string | Uint8Array)[]) => {
      upsertSnapshot.run(partitionId, position);
      clearChunks.run(partitionId);
      chunks.forEach((chunk, idx) =>
        insertChunk.run(
          partitionId,
          idx,
          typeof chunk === 'string' ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength),
        ),
      );
    },
  );

  const setCompacted = db.prepare<[number, number]>(
    'UPDATE partition_meta SET compacted_position = ? WHERE partition_id = ?',
  );
  const deleteBatches = db.prepare<[number, number]>(
    'DELETE FROM log_batch WHERE partition_id = ? AND last_position <= ?',
  );
  const compact = db.transaction((partitionId: number, upToPosition: number) => {
    const current = meta.get(partitionId);
    if (!current) return;
    const compacted = Math.min(upToPosition, current.last);
    if (compacted <= current.compacted) return;
    setCompacted.run(compacted, partitionId);
    deleteBatches.run(partitionId, compacted);
  });

  return (request) => {
    switch (request.op) {
      case 'append':
        return append.immediate(request.partitionId, request.firstPosition, request.count, request.text);
      case 'saveSnapshot':
        return saveSnapshot.immediate(request.partitionId, request.position, request.chunks);
      case 'compact':
        return compact.immediate(request.partitionId, request.upToPosition);
    }
  };
}

/**
 * A batch as stored: its JSON as raw deflate at the fastest level. Log records repeat their keys, ids and
 * envelope from record to record, so this shrinks a batch about 25 times for a fraction of the time that
 * writing (and fsyncing) the plain text would take.
 */
export function compressBatch(text: string): Buffer {
  return deflateRawSync(Buffer.from(text, 'utf8'), { level: 1 });
}
