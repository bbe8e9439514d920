/**
 * The statements of the store for one schema. Every write is ONE statement, so a single round trip: a
 * writer paused mid-write (GC, SIGSTOP, a lost network) never holds a lock across its pause, and a lease's
 * new holder is never kept waiting by it. A fenced write locks its lease row shared (`FOR SHARE`) for the
 * statement's duration: an acquisition (an UPDATE of that row) waits for writes in flight, which therefore
 * committed before the new epoch or see it and write nothing.
 */
export interface Statements {
  readonly ensurePartition: string;
  readonly lastPosition: string;
  /** $1 partition, $2 first position, $3 last position, $4 records; fenced: $5 node, $6 epoch. */
  readonly append: (fenced: boolean) => string;
  /** $1 partition, $2 from, $3 limit: the batches holding [from', from' + limit), from' past compaction. */
  readonly read: string;
  readonly nextGeneration: string;
  /** $1 partition, $2 generation: chunks left by an attempt that failed (above the current generation). */
  readonly dropUnfinished: string;
  readonly dropGeneration: string;
  /** $1 partition, $2 generation, $3 position, $4 chunk count; fenced: $5 node, $6 epoch. */
  readonly saveSnapshot: (fenced: boolean) => string;
  readonly loadSnapshot: string;
  /** $1 partition, $2 up to; fenced: $3 node, $4 epoch. */
  readonly compact: (fenced: boolean) => string;
  /** The chunk insert for `count` chunks: $1 partition, $2 generation, then (idx, data) pairs. */
  readonly insertChunks: (count: number) => string;
  /** $1 partition: every exporter's saved position. */
  readonly exporterPositions: string;
  /** $1 partition, $2 exporter, $3 position; fenced: $4 node, $5 epoch. */
  readonly saveExporterPosition: (fenced: boolean) => string;
}

export function statements(s: string): Statements {
  // The CTE that holds the lease row shared while the statement runs; empty when the lease is not current.
  const fence = (partition: string, node: string, epoch: string, fenced: boolean) =>
    fenced
      ? `fence AS (
          SELECT 1 FROM ${s}.partition_lease
          WHERE partition_id = ${partition}::integer AND node = ${node}::text AND epoch = ${epoch}::bigint
            AND expires_at > clock_timestamp()
          FOR SHARE)`
      : 'fence AS (SELECT 1)';
  return {
    ensurePartition: `INSERT INTO ${s}.partition_meta (partition_id) VALUES ($1) ON CONFLICT DO NOTHING`,
    lastPosition: `SELECT last_position FROM ${s}.partition_meta WHERE partition_id = $1`,
    append: (fenced) => `
      WITH ${fence('$1', '$5', '$6', fenced)},
      meta AS (
        UPDATE ${s}.partition_meta SET last_position = $3::bigint
        WHERE partition_id = $1::integer AND last_position = $2::bigint - 1 AND EXISTS (SELECT 1 FROM fence)
        RETURNING 1),
      batch AS (
        INSERT INTO ${s}.log_batch (partition_id, first_position, last_position, records)
        SELECT $1::integer, $2::bigint, $3::bigint, $4::bytea FROM meta)
      SELECT EXISTS (SELECT 1 FROM fence) AS leased, EXISTS (SELECT 1 FROM meta) AS done`,
    read: `
      WITH m AS (
        SELECT GREATEST($2::bigint, compacted_position + 1) AS f
        FROM ${s}.partition_meta WHERE partition_id = $1::integer)
      SELECT m.f AS "from", b.first_position AS first, b.records
      FROM m JOIN ${s}.log_batch b
        ON b.partition_id = $1::integer AND b.last_position >= m.f AND b.first_position < m.f + $3::bigint
      ORDER BY b.last_position`,
    nextGeneration: `SELECT nextval('${s}.snapshot_generation') AS generation`,
    dropUnfinished: `
      DELETE FROM ${s}.snapshot_chunk WHERE partition_id = $1 AND generation > COALESCE(
        (SELECT generation FROM ${s}.snapshot WHERE partition_id = $1), 0) AND generation <> $2`,
    dropGeneration: `DELETE FROM ${s}.snapshot_chunk WHERE partition_id = $1 AND generation = $2`,
    saveSnapshot: (fenced) => `
      WITH ${fence('$1', '$5', '$6', fenced)},
      chunks AS (
        SELECT count(*) AS n FROM ${s}.snapshot_chunk WHERE partition_id = $1::integer AND generation = $2::bigint),
      saved AS (
        INSERT INTO ${s}.snapshot AS snapshot (partition_id, position, generation)
        SELECT $1::integer, $3::bigint, $2::bigint FROM chunks WHERE n = $4::bigint AND EXISTS (SELECT 1 FROM fence)
        ON CONFLICT (partition_id) DO UPDATE SET position = excluded.position, generation = excluded.generation
          WHERE snapshot.generation < excluded.generation
        RETURNING 1),
      older AS (
        DELETE FROM ${s}.snapshot_chunk
        WHERE partition_id = $1::integer AND generation < $2::bigint AND EXISTS (SELECT 1 FROM saved))
      SELECT EXISTS (SELECT 1 FROM fence) AS leased, (SELECT n FROM chunks) AS written,
        EXISTS (SELECT 1 FROM saved) AS done`,
    loadSnapshot: `
      SELECT s.position, c.data FROM ${s}.snapshot s
      LEFT JOIN ${s}.snapshot_chunk c ON c.partition_id = s.partition_id AND c.generation = s.generation
      WHERE s.partition_id = $1 ORDER BY c.idx`,
    compact: (fenced) => `
      WITH ${fence('$1', '$3', '$4', fenced)},
      m AS (
        UPDATE ${s}.partition_meta SET compacted_position = LEAST($2::bigint, last_position)
        WHERE partition_id = $1::integer AND LEAST($2::bigint, last_position) > compacted_position
          AND EXISTS (SELECT 1 FROM fence)
        RETURNING compacted_position),
      gone AS (
        DELETE FROM ${s}.log_batch
        WHERE partition_id = $1::integer AND last_position <= (SELECT compacted_position FROM m))
      SELECT EXISTS (SELECT 1 FROM fence) AS leased`,
    exporterPositions: `SELECT exporter_id AS id, position FROM ${s}.exporter_position
      WHERE partition_id = $1 ORDER BY exporter_id`,
    saveExporterPosition: (fenced) => `
      WITH ${fence('$1', '$4', '$5', fenced)},
      saved AS (
        INSERT INTO ${s}.exporter_position (partition_id, exporter_id, position)
        SELECT $1::integer, $2::text, $3::bigint WHERE EXISTS (SELECT 1 FROM fence)
        ON CONFLICT (partition_id, exporter_id) DO UPDATE SET position = excluded.position
        RETURNING 1)
      SELECT EXISTS (SELECT 1 FROM fence) AS leased`,
    insertChunks: (count) =>
      `INSERT INTO ${s}.snapshot_chunk (partition_id, generation, idx, data) VALUES ` +
      Array.from({ length: count }, (_, i) => `($1, $2, $${3 + 2 * i}, $${4 + 2 * i})`).join(', '),
  };
}
