/**
 * One step of the PostgreSQL schema, as data. Versions are strictly increasing and never reused or edited
 * once released; a change to the schema is a new entry at the end of the list. Statements name their tables
 * as `{schema}.table`: the runner puts in the schema the store was opened on, so several engines (or tests)
 * can share one database, each in a schema of its own.
 */
export interface Migration {
  readonly version: number;
  /** A short kebab-case description, recorded next to the version. */
  readonly name: string;
  /** Statements run in order, in the same transaction that records the version. */
  readonly postgres: readonly string[];
}

/** The schema of the PostgreSQL store, oldest first. */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'partition-log-snapshot',
    postgres: [
      // The last position lives apart from the log so that it survives compaction; the row is also what
      // serializes the appends of one partition (each append updates it, conditionally on the position).
      `CREATE TABLE {schema}.partition_meta (
        partition_id integer PRIMARY KEY,
        last_position bigint NOT NULL DEFAULT 0,
        compacted_position bigint NOT NULL DEFAULT 0
      )`,
      // One row per appended batch: its records as one JSON array, raw deflate (records repeat their keys
      // and envelope, so a batch shrinks many times, and so does the WAL that replicates it).
      `CREATE TABLE {schema}.log_batch (
        partition_id integer NOT NULL,
        first_position bigint NOT NULL,
        last_position bigint NOT NULL,
        records bytea NOT NULL,
        PRIMARY KEY (partition_id, last_position)
      )`,
      // A snapshot is written chunk by chunk under a new generation; one last statement makes that generation
      // the partition's snapshot and deletes the older ones. Until then the previous snapshot stays whole.
      `CREATE TABLE {schema}.snapshot (
        partition_id integer PRIMARY KEY,
        position bigint NOT NULL,
        generation bigint NOT NULL
      )`,
      `CREATE TABLE {schema}.snapshot_chunk (
        partition_id integer NOT NULL,
        generation bigint NOT NULL,
        idx integer NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (partition_id, generation, idx)
      )`,
      `CREATE SEQUENCE {schema}.snapshot_generation`,
    ],
  },
  {
    version: 2,
    name: 'leases-and-nodes',
    postgres: [
      // Who leads each partition. The epoch only ever grows: every acquisition adds one, and a write fenced
      // by a lease commits only while its node and epoch are the row's and the row has not expired, judged
      // by the database's clock so that no node's clock matters.
      `CREATE TABLE {schema}.partition_lease (
        partition_id integer PRIMARY KEY,
        node text NOT NULL,
        epoch bigint NOT NULL,
        acquired_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      )`,
      // Cluster membership: each node refreshes last_seen with a heartbeat.
      `CREATE TABLE {schema}.cluster_node (
        node text PRIMARY KEY,
        address text NOT NULL,
        started_at timestamptz NOT NULL,
        last_seen timestamptz NOT NULL
      )`,
    ],
  },
  {
    version: 3,
    name: 'exporter-positions',
    postgres: [
      // How far each exporter got in each partition's log: the runtime keeps the log after the lowest.
      `CREATE TABLE {schema}.exporter_position (
        partition_id integer NOT NULL,
        exporter_id text NOT NULL,
        position bigint NOT NULL,
        PRIMARY KEY (partition_id, exporter_id)
      )`,
    ],
  },
  {
    version: 4,
    name: 'cluster-settings',
    postgres: [
      // What every node of a cluster must agree on, written once by the first node: the partition count.
      `CREATE TABLE {schema}.cluster_setting (
        name text PRIMARY KEY,
        value text NOT NULL,
        set_by text NOT NULL,
        set_at timestamptz NOT NULL
      )`,
    ],
  },
  {
    version: 5,
    name: 'partition-mail',
    postgres: [
      // Messages, signals and deployments one partition hands to another led on another node, kept until
      // the target's leader took them. Posting the same item again is a no-op (its primary key).
      `CREATE TABLE {schema}.partition_mail (
        target_partition integer NOT NULL,
        source_partition integer NOT NULL,
        source_position bigint NOT NULL,
        kind text NOT NULL,
        key text NOT NULL,
        body bytea NOT NULL,
        PRIMARY KEY (target_partition, source_partition, source_position, kind)
      )`,
      // Up to where each source partition posted everything it hands over: a new leader goes on from there.
      `CREATE TABLE {schema}.mail_posted (
        source_partition integer PRIMARY KEY,
        position bigint NOT NULL
      )`,
    ],
  },
  {
    version: 6,
    name: 'node-internal-address',
    postgres: [
      // Where the other nodes forward commands to this one (its gRPC address stays what clients use).
      `ALTER TABLE {schema}.cluster_node ADD COLUMN internal_address text`,
    ],
  },
];
