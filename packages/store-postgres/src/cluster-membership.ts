import type { Pool } from 'pg';
import { quotedSchema } from './schema-name.js';

/** A node of the cluster as the `cluster_node` table holds it. */
export interface ClusterNode {
  readonly node: string;
  /** Where other nodes reach it (host:port), as it announced itself. */
  readonly address: string;
  readonly startedAt: Date;
  /** The database's time of its latest heartbeat. */
  readonly lastSeen: Date;
  /** Where the other nodes forward commands to it (a cluster node's internal endpoint), if it has one. */
  readonly internalAddress?: string;
}

/** Who leads a partition now, and where that node takes forwarded commands. */
export interface PartitionLeader {
  readonly partitionId: number;
  readonly node: string;
  readonly epoch: number;
  readonly internalAddress: string | undefined;
}

/**
 * Node membership through the `cluster_node` table: a node joins (its row, with its address), beats its
 * heart every `heartbeatMs` (refreshing `last_seen` by the database's clock), and leaves (its row removed). A
 * node is live while its last heartbeat is younger than the `withinMs` a reader asks for.
 */
export class ClusterMembership {
  private readonly table: string;
  private readonly leaseTable: string;
  private timer: NodeJS.Timeout | undefined;
  private joined: { node: string; address: string } | undefined;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.table = `${quotedSchema(schema)}.cluster_node`;
    this.leaseTable = `${quotedSchema(schema)}.partition_lease`;
  }

  /** Announces this node and starts its heartbeat (a failed heartbeat is tried again at the next beat). */
  async join(node: string, address: string, heartbeatMs = 1_000, internalAddress?: string): Promise<void> {
    if (typeof node !== 'string' || node === '') throw new Error('node must be a non-empty string');
    if (!Number.isFinite(heartbeatMs) || heartbeatMs <= 0)
      throw new Error(`heartbeatMs must be a positive number, got ${heartbeatMs}`);
    if (this.joined) throw new Error(`this membership already joined as node ${this.joined.node}`);
    await this.pool.query(
      `INSERT INTO ${this.table} (node, address, started_at, last_seen, internal_address)
       VALUES ($1, $2, clock_timestamp(), clock_timestamp(), $3)
       ON CONFLICT (node) DO UPDATE
         SET address = excluded.address, started_at = excluded.started_at, last_seen = excluded.last_seen,
           internal_address = excluded.internal_address`,
      [node, address, internalAddress ?? null],
    );
    this.joined = { node, address };
    const beat = () => {
      this.timer = setTimeout(() => {
        void this.heartbeat()
          .catch(() => undefined)
          .then(() => this.joined && beat());
      }, heartbeatMs);
      this.timer.unref();
    };
    beat();
  }

  /** Refreshes this node's `last_seen` now. */
  async heartbeat(): Promise<void> {
    if (!this.joined) throw new Error('heartbeat before join');
    await this.pool.query(`UPDATE ${this.table} SET last_seen = clock_timestamp() WHERE node = $1`, [
      this.joined.node,
    ]);
  }

  /** Stops the heartbeat and removes this node's row. */
  async leave(): Promise<void> {
    const joined = this.joined;
    this.joined = undefined;
    if (this.timer) clearTimeout(this.timer);
    if (joined) await this.pool.query(`DELETE FROM ${this.table} WHERE node = $1`, [joined.node]);
  }

  /** The current (unexpired) leader of every led partition, with the address it takes forwarded commands at. */
  async leaders(): Promise<PartitionLeader[]> {
    const { rows } = await this.pool.query<{
      partition_id: number;
      node: string;
      epoch: string;
      internal_address: string | null;
    }>(
      `SELECT l.partition_id, l.node, l.epoch, n.internal_address
       FROM ${this.leaseTable} l LEFT JOIN ${this.table} n ON n.node = l.node
       WHERE l.expires_at > clock_timestamp() ORDER BY l.partition_id`,
    );
    return rows.map((row) => ({
      partitionId: row.partition_id,
      node: row.node,
      epoch: Number(row.epoch),
      internalAddress: row.internal_address ?? undefined,
    }));
  }

  /** The nodes whose last heartbeat is at most `withinMs` old, by node id. */
  async liveNodes(withinMs: number): Promise<ClusterNode[]> {
    const { rows } = await this.pool.query<{
      node: string;
      address: string;
      started_at: Date;
      last_seen: Date;
      internal_address: string | null;
    }>(
      `SELECT node, address, started_at, last_seen, internal_address FROM ${this.table}
       WHERE last_seen > clock_timestamp() - $1 * interval '1 millisecond' ORDER BY node`,
      [withinMs],
    );
    return rows.map((row) => ({
      node: row.node,
      address: row.address,
      startedAt: row.started_at,
      lastSeen: row.last_seen,
      ...(row.internal_address === null ? {} : { internalAddress: row.internal_address }),
    }));
  }
}
