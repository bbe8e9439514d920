import { crc32, deflateRawSync } from 'node:zlib';
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
      /** Chunks of the snapshot being written, from chunk `first` on; `first` 0 starts a new snapshot. */
      readonly op: 'snapshotChunks';
      readonly partitionId: number;
      readonly first: number;
      /** Text, or its UTF-8 bytes (moved, not copied, to the writer thread); either is read back as text. */
      readonly chunks: readonly (string | Uint8Array)[];
    }
  | {
      /** Makes the snapshot being written, of `count` chunks, the partition's snapshot. */
      readonly op: 'saveSnapshot';
      readonly partitionId: number;
      readonly position: number;
      readonly count: number;
    }
  | { readonly op: 'compact'; readonly partitionId: number; readonly upToPosition: number }
  | {
      readonly op: 'exporterPosition';
      readonly partitionId: number;
      readonly exporterId: string;
      readonly position: number;
    };

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
  const insertBatch = db.prepare<[number, number, number, Buffer, number]>(
    'INSERT INTO log_batch (partition_id, first_position, last_position, records, checksum) VALUES (?, ?, ?, ?, ?)',
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
    const stored = compressBatch(text);
    insertBatch.run(partitionId, first, last + count, stored, crc32(stored));
    setLastPosition.run(partitionId, last + count);
  });

  const currentGeneration = db
    .prepare<[number], number>('SELECT generation FROM snapshot WHERE partition_id = ?')
    .pluck();
  const upsertSnapshot = db.prepare<[number, number, number]>(
    `INSERT INTO snapshot (partition_id, position, data, generation) VALUES (?, ?, '', ?)
     ON CONFLICT (partition_id) DO UPDATE SET position = excluded.position, data = '', generation = excluded.generation`,
  );
  const newestGeneration = db
    .prepare<[number], number>('SELECT MAX(generation) FROM snapshot_chunk WHERE partition_id = ?')
    .pluck();
  const deleteOtherGenerations = db.prepare<[number, number]>(
    'DELETE FROM snapshot_chunk WHERE partition_id = ? AND generation != ?',
  );
  const countChunks = db
    .prepare<[number, number], number>(
      'SELECT COUNT(*) FROM snapshot_chunk WHERE partition_id = ? AND generation = ?',
    )
    .pluck();
  const insertChunk = db.prepare<[number, number, number, string | Buffer, number]>(
    'INSERT INTO snapshot_chunk (partition_id, generation, idx, data, checksum) VALUES (?, ?, ?, ?, ?)',
  );
  /** Per partition: the generation of the snapshot being written. */
  const writing = new Map<number, number>();
  const snapshotChunks = db.transaction(
    (partitionId: number, first: number, chunks: readonly (string | Uint8Array)[]) => {
      let generation = writing.get(partitionId);
      if (first === 0) {
        // Whatever an earlier attempt left behind goes; the snapshot in place stays.
        const current = currentGeneration.get(partitionId) ?? 0;
        deleteOtherGenerations.run(partitionId, current);
        generation = Math.max(current, newestGeneration.get(partitionId) ?? 0) + 1;
        writing.set(partitionId, generation);
      } else if (generation === undefined) {
        throw new Error(
          `snapshot chunks from ${first} on for partition ${partitionId}: no snapshot is being written`,
        );
      }
      chunks.forEach((chunk, offset) => {
        const data =
          typeof chunk === 'string' ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        insertChunk.run(partitionId, generation, first + offset, data, crc32(data));
      });
    },
  );
  const saveSnapshot = db.transaction((partitionId: number, position: number, count: number) => {
    // An empty snapshot sends no chunks, so a generation still listed is one an earlier attempt left when it
    // failed part way: not this snapshot's.
    let generation = count === 0 ? undefined : writing.get(partitionId);
    if (generation === undefined) {
      if (count > 0)
        throw new Error(`no snapshot of ${count} chunks is being written for partition ${partitionId}`);
      generation =
        Math.max(currentGeneration.get(partitionId) ?? 0, newestGeneration.get(partitionId) ?? 0) + 1;
    }
    writing.delete(partitionId);
    const written = countChunks.get(partitionId, generation) ?? 0;
    if (written !== count)
      throw new Error(
        `snapshot of partition ${partitionId} has ${written} chunks written, expected ${count}`,
      );
    upsertSnapshot.run(partitionId, position, generation);
    deleteOtherGenerations.run(partitionId, generation);
  });

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

  const saveExporterPosition = db.prepare<[number, string, number]>(
    `INSERT INTO exporter_position (partition_id, exporter_id, position) VALUES (?, ?, ?)
     ON CONFLICT (partition_id, exporter_id) DO UPDATE SET position = excluded.position`,
  );

  return (request) => {
    switch (request.op) {
      case 'append':
        return append.immediate(request.partitionId, request.firstPosition, request.count, request.text);
      case 'snapshotChunks':
        return snapshotChunks.immediate(request.partitionId, request.first, request.chunks);
      case 'saveSnapshot':
        return saveSnapshot.immediate(request.partitionId, request.position, request.count);
      case 'compact':
        return compact.immediate(request.partitionId, request.upToPosition);
      case 'exporterPosition':
        saveExporterPosition.run(request.partitionId, request.exporterId, request.position);
        return;
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
