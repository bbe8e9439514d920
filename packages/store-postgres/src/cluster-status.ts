import pg from 'pg';
import { quotedSchema } from './schema-name.js';

/** One node as `baton cluster status` shows it. */
export interface NodeStatus {
  readonly node: string;
  readonly address: string;
  /** Heartbeat within the live window. */
  readonly live: boolean;
  /** Milliseconds since its last heartbeat, by the database's clock. */
  readonly lastSeenMs: number;
  readonly leading: number[];
}

/** One partition as `baton cluster status` shows it. */
export interface PartitionStatus {
  readonly partitionId: number;
  /** The node whose lease is current, or undefined while nobody leads it. */
  readonly leader: string | undefined;
  readonly epoch: number | undefined;
  /** Milliseconds the lease still runs without a renewal (negative: expired that long ago). */
  readonly leaseLeftMs: number | undefined;
  readonly lastPosition: number;
  /** Items other partitions posted for it that its leader has not taken yet (cross-partition lag). */
  readonly mailWaiting: number;
}

export interface ClusterStatus {
  readonly schema: string;
  readonly partitionCount: number | undefined;
  readonly nodes: NodeStatus[];
  readonly partitions: PartitionStatus[];
}

/**
 * The state of a cluster, read from its database: the nodes (live or not, by their heartbeat), each partition's
 * leader, epoch and lease, its last log position, and the cross-partition items waiting for it.
 */
export async function clusterStatus(
  connectionString: string,
  schema: string,
  liveWithinMs = 3_000,
): Promise<ClusterStatus> {
  const s = quotedSchema(schema);
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`cannot reach the cluster's PostgreSQL: ${(error as Error).message}`, { cause: error });
  }
  try {
    const exists = await client.query(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'cluster_setting'`,
      [schema],
    );
    if (exists.rowCount === 0) throw new Error(`schema ${schema} holds no Baton cluster`);
    const count = await client.query<{ value: string }>(
      `SELECT value FROM ${s}.cluster_setting WHERE name = 'partitions'`,
    );
    const nodes = await client.query<{ node: string; address: string; seen_ms: string }>(
      `SELECT node, address, extract(epoch FROM clock_timestamp() - last_seen) * 1000 AS seen_ms
       FROM ${s}.cluster_node ORDER BY node`,
    );
    const partitions = await client.query<{
      partition_id: number;
      last_position: string;
      node: string | null;
      epoch: string | null;
      left_ms: string | null;
      mail: string;
    }>(
      `SELECT m.partition_id, m.last_position, l.node, l.epoch,
         extract(epoch FROM l.expires_at - clock_timestamp()) * 1000 AS left_ms,
         (SELECT count(*) FROM ${s}.partition_mail x WHERE x.target_partition = m.partition_id) AS mail
       FROM ${s}.partition_meta m LEFT JOIN ${s}.partition_lease l ON l.partition_id = m.partition_id
       ORDER BY m.partition_id`,
    );
    const partitionStatus: PartitionStatus[] = partitions.rows.map((row) => {
      const leftMs = row.left_ms === null ? undefined : Math.round(Number(row.left_ms));
      const current = leftMs !== undefined && leftMs > 0;
      return {
        partitionId: row.partition_id,
        leader: current ? (row.node ?? undefined) : undefined,
        epoch: row.epoch === null ? undefined : Number(row.epoch),
        leaseLeftMs: leftMs,
        lastPosition: Number(row.last_position),
        mailWaiting: Number(row.mail),
      };
    });
    return {
      schema,
      partitionCount: count.rows[0] ? Number(count.rows[0].value) : undefined,
      nodes: nodes.rows.map((row) => ({
        node: row.node,
        address: row.address,
        lastSeenMs: Math.round(Number(row.seen_ms)),
        live: Number(row.seen_ms) <= liveWithinMs,
        leading: partitionStatus.filter((p) => p.leader === row.node).map((p) => p.partitionId),
      })),
      partitions: partitionStatus,
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}
