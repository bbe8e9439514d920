/**
 * One step of the schema, as data. Versions are strictly increasing and never reused or edited once
 * released; a change to the schema is a new entry at the end of the list. Each dialect gets its own
 * field (`sqlite` now, `postgres` when that store arrives) so one list describes the schema everywhere.
 */
export interface Migration {
  readonly version: number;
  /** A short kebab-case description, recorded next to the version. */
  readonly name: string;
  /** Statements run in order, in the same transaction that records the version. */
  readonly sqlite: readonly string[];
}

/** The schema of the SQLite store, oldest first. */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'partition-log-snapshot',
    sqlite: [
      // WITHOUT ROWID: the log is only ever reached by (partition, position), so the primary key
      // is the table and records are stored in log order.
      `CREATE TABLE log (
        partition_id INTEGER NOT NULL,
        position INTEGER NOT NULL,
        record TEXT NOT NULL,
        PRIMARY KEY (partition_id, position)
      ) WITHOUT ROWID`,
      `CREATE TABLE snapshot (
        partition_id INTEGER PRIMARY KEY,
        position INTEGER NOT NULL,
        data TEXT NOT NULL
      )`,
      // The last position lives apart from the log so that it survives compaction.
      `CREATE TABLE partition_meta (
        partition_id INTEGER PRIMARY KEY,
        last_position INTEGER NOT NULL
      )`,
    ],
  },
  {
    version: 2,
    name: 'snapshot-chunks',
    sqlite: [
      // A snapshot is stored in chunks: one string per row keeps large states within SQLite's and the
      // runtime's limits. The snapshot row keeps the position; its data column is no longer used.
      `CREATE TABLE snapshot_chunk (
        partition_id INTEGER NOT NULL,
        idx INTEGER NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (partition_id, idx)
      ) WITHOUT ROWID`,
    ],
  },
  {
    version: 3,
    name: 'log-batches',
    sqlite: [
      // One row per appended batch instead of one per record: an append is one INSERT of one JSON array,
      // and compaction deletes a few rows instead of a hundred thousand. `records` is the JSON array as raw
      // deflate (a BLOB; records repeat themselves, so a batch shrinks ~25x) or, for rows moved here from
      // the old table, as TEXT. A rowid table with the batch's last position as the lookup key.
      `CREATE TABLE log_batch (
        partition_id INTEGER NOT NULL,
        first_position INTEGER NOT NULL,
        last_position INTEGER NOT NULL,
        records BLOB NOT NULL
      )`,
      `CREATE UNIQUE INDEX log_batch_by_position ON log_batch (partition_id, last_position)`,
      `INSERT INTO log_batch (partition_id, first_position, last_position, records)
        SELECT partition_id, position, position, '[' || record || ']' FROM log ORDER BY partition_id, position`,
      `DROP TABLE log`,
      // Records up to here are compacted: never read again, whether or not their batch row is gone yet (a
      // batch that straddles the compaction position stays until all of it is compacted).
      `ALTER TABLE partition_meta ADD COLUMN compacted_position INTEGER NOT NULL DEFAULT 0`,
    ],
  },
  {
    version: 4,
    name: 'snapshot-generations',
    sqlite: [
      // A snapshot is written chunk by chunk as the state produces it, each group in its own transaction,
      // under a new generation; one last transaction makes that generation the snapshot's and deletes the
      // others. Until then the previous snapshot stays whole, whatever happens to the new one.
      `CREATE TABLE snapshot_chunk_by_generation (
        partition_id INTEGER NOT NULL,
        generation INTEGER NOT NULL,
        idx INTEGER NOT NULL,
        data NOT NULL,
        PRIMARY KEY (partition_id, generation, idx)
      ) WITHOUT ROWID`,
      `INSERT INTO snapshot_chunk_by_generation (partition_id, generation, idx, data)
        SELECT partition_id, 0, idx, data FROM snapshot_chunk`,
      `DROP TABLE snapshot_chunk`,
      `ALTER TABLE snapshot_chunk_by_generation RENAME TO snapshot_chunk`,
      `ALTER TABLE snapshot ADD COLUMN generation INTEGER NOT NULL DEFAULT 0`,
    ],
  },
  {
    version: 5,
    name: 'checksums',
    sqlite: [
      // SQLite has no page checksums: a change inside a stored batch that still inflates and parses would go
      // unnoticed. Each batch and snapshot chunk now carries the CRC-32 of what is stored, checked on every
      // read; rows written before this version have none (NULL) and are read unchecked.
      `ALTER TABLE log_batch ADD COLUMN checksum INTEGER`,
      `ALTER TABLE snapshot_chunk ADD COLUMN checksum INTEGER`,
    ],
  },
  {
    version: 6,
    name: 'exporter-positions',
    sqlite: [
      // How far each exporter got in each partition's log: the runtime keeps the log after the lowest.
      `CREATE TABLE exporter_position (
        partition_id INTEGER NOT NULL,
        exporter_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (partition_id, exporter_id)
      ) WITHOUT ROWID`,
    ],
  },
];
