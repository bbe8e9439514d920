import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { LeaseLostError } from './lease-lost-error.js';
import type { Lease, PartitionLeases } from './partition-leases.js';
import type { WriteFence } from './write-fence.js';

export interface LeaseKeeperOptions {
  readonly leases: PartitionLeases;
  readonly partitionId: number;
  /** This node's id, as the lease row names it. */
  readonly node: string;
  /** How long a lease lasts without renewal, by the database's clock; default 5,000 ms. */
  readonly leaseMs?: number;
  /** How often it is renewed; default 1,000 ms, and at most a third of `leaseMs`. */
  readonly renewEveryMs?: number;
}

/** Defaults: a lease outlives two missed renewals. */
export const DEFAULT_LEASE_MS = 5_000;
export const DEFAULT_RENEW_EVERY_MS = 1_000;

/**
 * Leadership of one partition by this node for one epoch: acquires the lease, renews it every
 * `renewEveryMs`, and emits `lost` once (with a `LeaseLostError`) when it learns it no longer leads —
 * a renewal finds the lease taken or expired, a fenced write is refused, or this node's own clock says the
 * lease ran out before a renewal got through (a process paused past its lease learns it on waking). After
 * `lost` the keeper is done: leading again takes a new `acquire`, with a new epoch. Each renewal it tries
 * emits `renewal` (true when the database extended the lease, false when it refused or could not be reached),
 * for the node's metrics.
 *
 * Safety never rests on this class: every write is fenced by the database. The keeper only keeps the lease
 * alive and tells its owner to step down.
 */
export class LeaseKeeper
  extends EventEmitter<{ lost: [LeaseLostError]; renewal: [renewed: boolean] }>
  implements WriteFence
{
  readonly partitionId: number;
  readonly node: string;
  readonly epoch: number;
  private lease: Lease;
  private lost: LeaseLostError | undefined;
  private released = false;
  private timer: NodeJS.Timeout | undefined;
  /** By this node's monotonic clock: when the lease runs out unless a renewal gets through before. */
  private deadline: number;

  private constructor(
    private readonly leases: PartitionLeases,
    lease: Lease,
    private readonly leaseMs: number,
    private readonly renewEveryMs: number,
    requestedAt: number,
  ) {
    super();
    this.partitionId = lease.partitionId;
    this.node = lease.node;
    this.epoch = lease.epoch;
    this.lease = lease;
    this.deadline = requestedAt + leaseMs;
    this.schedule();
  }

  /** Takes the partition if it is free or its lease expired; undefined while another node holds it. */
  static async acquire(options: LeaseKeeperOptions): Promise<LeaseKeeper | undefined> {
    const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    const renewEveryMs = options.renewEveryMs ?? Math.min(DEFAULT_RENEW_EVERY_MS, leaseMs / 3);
    if (!Number.isFinite(renewEveryMs) || renewEveryMs <= 0 || renewEveryMs > leaseMs / 3) {
      throw new Error(
        `renewEveryMs must be positive and at most a third of leaseMs (${leaseMs}), got ${renewEveryMs}`,
      );
    }
    const requestedAt = performance.now();
    const lease = await options.leases.acquire(options.partitionId, options.node, leaseMs);
    return lease && new LeaseKeeper(options.leases, lease, leaseMs, renewEveryMs, requestedAt);
  }

  /** The lease as last acquired or renewed (its expiry is the database's). */
  get current(): Lease {
    return this.lease;
  }

  /** Why this node no longer leads, once it knows; undefined while it leads. */
  get lostError(): LeaseLostError | undefined {
    return this.lost;
  }

  /** Called by a fenced store whose write the database refused: the lease is gone. */
  markLost(error: LeaseLostError): void {
    if (this.lost || this.released) return;
    this.lost = error;
    this.stop();
    this.emit('lost', error);
  }

  /** Stops renewing and ends the lease at once, so that another node can take the partition. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.stop();
    if (!this.lost) await this.leases.release(this.lease);
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.renew(), this.renewEveryMs);
    this.timer.unref();
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async renew(): Promise<void> {
    if (this.lost || this.released) return;
    const requestedAt = performance.now();
    if (requestedAt >= this.deadline) {
      this.markLost(this.error('the lease ran out, by this node’s clock, before a renewal got through'));
      return;
    }
    let renewed: Lease | undefined;
    try {
      renewed = await this.leases.renew(this.lease, this.leaseMs);
    } catch {
      // The database is out of reach for now: try again until the deadline says the lease is gone.
      this.emit('renewal', false);
      if (!this.lost && !this.released) this.schedule();
      return;
    }
    if (this.lost || this.released) return;
    this.emit('renewal', !!renewed);
    if (!renewed) {
      const now = await this.leases.current(this.partitionId).catch(() => undefined);
      this.markLost(
        this.error(
          now && now.epoch !== this.epoch
            ? `node ${now.node} took the partition at epoch ${now.epoch}`
            : 'the lease expired before it was renewed',
        ),
      );
      return;
    }
    this.lease = renewed;
    this.deadline = requestedAt + this.leaseMs;
    this.schedule();
  }

  private error(reason: string): LeaseLostError {
    return new LeaseLostError(this.partitionId, this.node, this.epoch, reason);
  }
}
