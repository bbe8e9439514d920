import type { Pool } from 'pg';
import { quotedSchema } from './schema-name.js';

/** A lease on one partition as the database holds it. */
export interface Lease {
  readonly partitionId: number;
  readonly node: string;
  /** Grows by one at every acquisition: a write carries it, and only the current epoch may write. */
  readonly epoch: number;
  /** When the lease runs out, by the database's clock, unless renewed before. */
  readonly expiresAt: Date;
}

/** Who may write to a partition: a node and the epoch it acquired. What a fenced store checks every write against. */
export interface Fence {
  readonly node: string;
  readonly epoch: number;
}

interface LeaseRow {
  node: string;
  epoch: string;
  expires_at: Date;
}

/**
 * The `partition_lease` table: one row per partition naming its leader, an epoch and an expiry. Every time is
 * the database's (`clock_timestamp()`), so the nodes' clocks never decide who leads.
 *
 * - `acquire` succeeds only when the partition has no lease or its lease has expired, and then increments
 *   the epoch. It waits for writes in flight under the old lease (they hold the row shared), so each of them
 *   either committed before the new epoch began or is refused.
 * - `renew` extends a lease only while it is still the holder's and unexpired; once expired, a lease is lost
 *   even if nobody took it, and leading again takes a new `acquire` (a new epoch).
 * - `release` ends a lease at once, so another node can take the partition without waiting for the expiry.
 */
export class PartitionLeases {
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.table = `${quotedSchema(schema)}.partition_lease`;
  }

  /** Takes the partition for `node` for `durationMs`, if free or expired; undefined if another holds it. */
  async acquire(partitionId: number, node: string, durationMs: number): Promise<Lease | undefined> {
    checkArguments(partitionId, node, durationMs);
    const { rows } = await this.pool.query<LeaseRow>(
      `INSERT INTO ${this.table} AS lease (partition_id, node, epoch, acquired_at, expires_at)
       VALUES ($1, $2, 1, clock_timestamp(), clock_timestamp() + $3 * interval '1 millisecond')
       ON CONFLICT (partition_id) DO UPDATE
         SET node = excluded.node, epoch = lease.epoch + 1,
             acquired_at = clock_timestamp(), expires_at = clock_timestamp() + $3 * interval '1 millisecond'
         WHERE lease.expires_at <= clock_timestamp()
       RETURNING node, epoch, expires_at`,
      [partitionId, node, durationMs],
    );
    return rows[0] && lease(partitionId, rows[0]);
  }

  /** Extends the lease for `durationMs` from now; undefined when it is no longer held (taken, or expired). */
  async renew(fence: Fence & { partitionId: number }, durationMs: number): Promise<Lease | undefined> {
    checkArguments(fence.partitionId, fence.node, durationMs);
    const { rows } = await this.pool.query<LeaseRow>(
      `UPDATE ${this.table} SET expires_at = clock_timestamp() + $4 * interval '1 millisecond'
       WHERE partition_id = $1 AND node = $2 AND epoch = $3 AND expires_at > clock_timestamp()
       RETURNING node, epoch, expires_at`,
      [fence.partitionId, fence.node, fence.epoch, durationMs],
    );
    return rows[0] && lease(fence.partitionId, rows[0]);
  }

  /** Ends the lease now if it is still this holder's; true if it was. */
  async release(fence: Fence & { partitionId: number }): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE ${this.table} SET expires_at = clock_timestamp()
       WHERE partition_id = $1 AND node = $2 AND epoch = $3 AND expires_at > clock_timestamp()`,
      [fence.partitionId, fence.node, fence.epoch],
    );
    return (rowCount ?? 0) > 0;
  }

  /** The partition's lease row, expired or not; undefined if it was never leased. */
  async current(partitionId: number): Promise<(Lease & { expired: boolean }) | undefined> {
    const { rows } = await this.pool.query<LeaseRow & { expired: boolean }>(
      `SELECT node, epoch, expires_at, expires_at <= clock_timestamp() AS expired
       FROM ${this.table} WHERE partition_id = $1`,
      [partitionId],
    );
    const row = rows[0];
    return row && { ...lease(partitionId, row), expired: row.expired };
  }

  /** Every partition's lease row, expired or not, by partition. */
  async all(): Promise<(Lease & { expired: boolean })[]> {
    const { rows } = await this.pool.query<LeaseRow & { expired: boolean; partition_id: number }>(
      `SELECT partition_id, node, epoch, expires_at, expires_at <= clock_timestamp() AS expired
       FROM ${this.table} ORDER BY partition_id`,
    );
    return rows.map((row) => ({ ...lease(row.partition_id, row), expired: row.expired }));
  }
}

function lease(partitionId: number, row: LeaseRow): Lease {
  return { partitionId, node: row.node, epoch: Number(row.epoch), expiresAt: row.expires_at };
}

function checkArguments(partitionId: number, node: string, durationMs: number): void {
  if (!Number.isSafeInteger(partitionId))
    throw new Error(`partitionId must be an integer, got ${partitionId}`);
  if (typeof node !== 'string' || node.length === 0) throw new Error('node must be a non-empty string');
  if (!Number.isFinite(durationMs) || durationMs <= 0)
    throw new Error(`lease duration must be a positive number of milliseconds, got ${durationMs}`);
}
