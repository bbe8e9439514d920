import type { Engine, EngineOptions } from '@baton-engine/baton';
import { createEngine } from '@baton-engine/baton';
import type { LeaseLostError, PostgresStoreFactory } from '@baton-engine/store-postgres';
import { DEFAULT_LEASE_MS, LeaseKeeper } from '@baton-engine/store-postgres';
import { desiredLeaders } from './assignment.js';
import { startInternalServer } from './internal-server.js';
import { RemoteLeaders } from './remote-leaders.js';
import type { AppendObserver } from './timed-appends.js';
import { timedAppends } from './timed-appends.js';

/** How often a node beats its heart and looks at the partitions' leaders, by default. */
export const DEFAULT_HEARTBEAT_MS = 1_000;

/** The engine's store contract (the store package is not a dependency of the CLI). */
type StoreFactory = Exclude<EngineOptions['store'], string | undefined>;

/** What a node tells about leadership: one line per change, as `log(fields, message)` (pino's order). */
export type ClusterLog = (fields: Record<string, unknown>, message: string) => void;

export interface ClusterNodeOptions {
  /** The PostgreSQL store, opened WITHOUT `leadership`: the node takes the leases itself. */
  readonly factory: PostgresStoreFactory;
  /** This node's id, unique in the cluster. */
  readonly node: string;
  /** The partition count: required for the first node of a cluster, read from the database by the others. */
  readonly partitions?: number;
  /** How long a partition lease lasts without renewal (default 5,000 ms). */
  readonly leaseMs?: number;
  /** How often this node beats its heart and looks at the partitions' leaders (default 1,000 ms). */
  readonly heartbeatMs?: number;
  /** A node whose heartbeat is older than this is taken for dead (default three heartbeats). */
  readonly liveWithinMs?: number;
  /** The engine's other options (clock, limits, exporters …). */
  readonly engine?: Omit<EngineOptions, 'store' | 'partitions' | 'hostedPartitions'>;
  readonly log?: ClusterLog;
}

/** What this node leads, and what it counts. */
export interface ClusterNodeStats {
  readonly node: string;
  readonly partitionCount: number;
  /** Partitions led here, with their epochs. */
  readonly leading: { partitionId: number; epoch: number }[];
  readonly leadershipsTaken: number;
  readonly leadershipsHandedOff: number;
  readonly leadershipsLost: number;
  /** Per partition this node has led since it started: what it counted (for the metrics). */
  readonly partitions: PartitionStats[];
}

/** One partition's counts on this node, over every leadership of it since the node started. */
export interface PartitionStats {
  readonly partitionId: number;
  leadershipsTaken: number;
  leadershipsHandedOff: number;
  leadershipsLost: number;
  /** Lease renewals the database took, and renewals refused or not answered. */
  leaseRenewals: number;
  leaseRenewalFailures: number;
}

/**
 * A Baton node of a cluster on PostgreSQL: it joins the membership, and every heartbeat compares the
 * partitions it leads with those it should lead (spread evenly over the live nodes, moving as few as
 * possible from their current leaders: see `desiredLeaders`). It takes the lease of a partition it should
 * lead once it is free or expired and opens it in its engine (state recovered from snapshot and log); it
 * hands off a partition another live node should lead (the partition finishes its in-flight batch,
 * snapshots, then the lease is released at once); and it closes a partition whose lease it lost (no write
 * of it could commit anyway: every write is fenced).
 */
export class ClusterNode {
  private timer: NodeJS.Timeout | undefined;
  private tick: Promise<void> = Promise.resolve();
  private internal: { address: string; close(): Promise<void> } | undefined;
  private stopping: Promise<void> | undefined;
  private taken = 0;
  private handedOff = 0;
  private lost = 0;
  private readonly perPartition = new Map<number, PartitionStats>();
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;
  private readonly liveWithinMs: number;
  private readonly log: ClusterLog;

  private constructor(
    private readonly options: ClusterNodeOptions,
    /** This node's leases, by partition: the fence of each partition store it opens. */
    private readonly keepers: Map<number, LeaseKeeper>,
    readonly engine: Engine,
    readonly partitionCount: number,
    private readonly secret: string,
    private readonly appendObservers: Set<AppendObserver>,
    private readonly remote: RemoteLeaders,
  ) {
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    this.liveWithinMs = liveWithinMsOf(options);
    this.log = options.log ?? (() => undefined);
  }

  /**
   * Opens the node's engine, hosting no partition yet; `join` then announces the node and starts taking its
   * share of the partitions. The partition count is the cluster's (`partitions` sets it on a new cluster).
   */
  static async open(options: ClusterNodeOptions): Promise<ClusterNode> {
    if (options.factory.leaders.size > 0 || !options.node)
      throw new Error('cluster node: give a node id, and a store factory opened without `leadership`');
    const { factory } = options;
    const count = await factory.settings.partitionCount(options.node, options.partitions);
    const secret = await factory.settings.internalSecret(options.node);
    const keepers = new Map<number, LeaseKeeper>();
    const appendObservers = new Set<AppendObserver>();
    // Each partition's store is fenced by this node's lease on it: a write after the lease is lost is refused.
    const fenced: StoreFactory = {
      description: factory.description,
      open: (partitionId: number) => {
        const keeper = keepers.get(partitionId);
        if (!keeper) throw new Error(`cluster node: partition ${partitionId} opened without its lease`);
        const observe: AppendObserver = (...args) => appendObservers.forEach((o) => o(...args));
        return factory.open(partitionId, { fence: keeper }).then((store) => timedAppends(store, observe));
      },
      health: () => factory.health?.() ?? { healthy: true },
      close: async () => undefined,
    };
    const remote = new RemoteLeaders(factory.membership, options.node, secret, liveWithinMsOf(options));
    const engine = await createEngine({
      ...options.engine,
      store: fenced,
      partitions: count,
      hostedPartitions: [],
      mailbox: factory.mailbox,
      remote,
    });
    return new ClusterNode(options, keepers, engine, count, secret, appendObservers, remote);
  }

  /**
   * Starts the internal endpoint where the other nodes forward commands (on `internal.host`, port
   * `internal.port`, 0 for a free one), announces this node in the membership with its client address and that
   * endpoint, and starts taking its share of the partitions (at once, then every heartbeat).
   */
  async join(address: string, internal: { host: string; port: number }): Promise<void> {
    this.internal = await startInternalServer(this.engine, this.secret, internal.host, internal.port);
    try {
      await this.options.factory.membership.join(
        this.options.node,
        address,
        this.heartbeatMs,
        this.internal.address,
      );
    } catch (error) {
      await this.internal.close();
      throw error;
    }
    this.remote.address = address;
    this.log(
      { node: this.options.node, partitions: this.partitionCount, address, internal: this.internal.address },
      'joined the cluster',
    );
    this.schedule(0);
  }

  get nodeId(): string {
    return this.options.node;
  }

  stats(): ClusterNodeStats {
    return {
      node: this.options.node,
      partitionCount: this.partitionCount,
      leading: [...this.keepers.values()]
        .map((k) => ({ partitionId: k.partitionId, epoch: k.epoch }))
        .sort((a, b) => a.partitionId - b.partitionId),
      leadershipsTaken: this.taken,
      leadershipsHandedOff: this.handedOff,
      leadershipsLost: this.lost,
      partitions: [...this.perPartition.values()]
        .map((p) => ({ ...p }))
        .sort((a, b) => a.partitionId - b.partitionId),
    };
  }

  /** Tells `observer` of every append of the partitions led here: its duration and whether it committed. */
  onAppend(observer: AppendObserver): void {
    this.appendObservers.add(observer);
  }

  private counts(partitionId: number): PartitionStats {
    let counts = this.perPartition.get(partitionId);
    if (!counts) {
      counts = {
        partitionId,
        leadershipsTaken: 0,
        leadershipsHandedOff: 0,
        leadershipsLost: 0,
        leaseRenewals: 0,
        leaseRenewalFailures: 0,
      };
      this.perPartition.set(partitionId, counts);
    }
    return counts;
  }

  /**
   * Leaves the cluster: stops taking partitions, closes the engine (each partition finishes its batch and
   * snapshots), releases the leases at once so that the other nodes take over without waiting, and leaves the
   * membership. The factory stays open (its owner closes it).
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.timer) clearTimeout(this.timer);
      await this.tick;
      await this.engine.close();
      await this.internal?.close();
      for (const keeper of this.keepers.values()) await keeper.release().catch(() => undefined);
      this.keepers.clear();
      await this.options.factory.membership.leave().catch(() => undefined);
      this.log({ node: this.options.node }, 'left the cluster');
    })();
    return this.stopping;
  }

  private schedule(delayMs: number): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      this.tick = this.balance()
        .catch((error: unknown) =>
          this.log({ node: this.options.node, err: error }, 'balancing the partitions failed; trying again'),
        )
        .finally(() => this.schedule(this.heartbeatMs));
    }, delayMs);
    this.timer.unref();
  }

  /** One look at the partitions: hand off what another live node should lead, take what this one should. */
  private async balance(): Promise<void> {
    const { factory, node } = this.options;
    const live = (await factory.membership.liveNodes(this.liveWithinMs)).map((n) => n.node);
    // Who leads what now (unexpired leases): the assignment moves only the partitions it must.
    const current = new Map<number, string>();
    for (const lease of await factory.leases.all())
      if (!lease.expired) current.set(lease.partitionId, lease.node);
    // This node is alive by definition, even when its last heartbeat did not get through.
    const desired = desiredLeaders(this.partitionCount, [...live, node], current);
    for (const [partitionId, keeper] of [...this.keepers]) {
      if (this.stopping) return;
      const owner = desired.get(partitionId);
      if (owner !== node) await this.handOff(partitionId, keeper, owner);
    }
    for (const [partitionId, owner] of desired) {
      if (this.stopping) return;
      if (owner === node && !this.keepers.has(partitionId)) await this.take(partitionId);
    }
  }

  private async take(partitionId: number): Promise<void> {
    const { factory, node } = this.options;
    const keeper = await LeaseKeeper.acquire({
      leases: factory.leases,
      partitionId,
      node,
      leaseMs: this.leaseMs,
    });
    if (!keeper) return; // still held by its previous leader: its lease is released soon, or runs out
    this.keepers.set(partitionId, keeper);
    keeper.once('lost', (error) => void this.onLost(keeper, error));
    const counts = this.counts(partitionId);
    keeper.on('renewal', (renewed) => {
      if (renewed) counts.leaseRenewals += 1;
      else counts.leaseRenewalFailures += 1;
    });
    const started = performance.now();
    try {
      await this.engine.hostPartition(partitionId);
    } catch (error) {
      this.keepers.delete(partitionId);
      await keeper.release().catch(() => undefined);
      this.log({ node, partition: partitionId, err: error }, 'could not open the partition; lease released');
      return;
    }
    if (this.keepers.get(partitionId) !== keeper) return; // lost while opening
    this.taken += 1;
    counts.leadershipsTaken += 1;
    this.log(
      {
        node,
        partition: partitionId,
        epoch: keeper.epoch,
        recoveryMs: Math.round(performance.now() - started),
      },
      'became leader of partition',
    );
  }

  private async handOff(partitionId: number, keeper: LeaseKeeper, to: string | undefined): Promise<void> {
    const { node } = this.options;
    // The partition finishes its in-flight batch and snapshots before the lease goes.
    await this.engine.releasePartition(partitionId);
    if (this.keepers.get(partitionId) === keeper) this.keepers.delete(partitionId);
    await keeper.release().catch(() => undefined);
    this.handedOff += 1;
    this.counts(partitionId).leadershipsHandedOff += 1;
    this.log({ node, partition: partitionId, epoch: keeper.epoch, to }, 'handed off partition');
  }

  private async onLost(keeper: LeaseKeeper, error: LeaseLostError): Promise<void> {
    if (this.keepers.get(keeper.partitionId) !== keeper) return;
    this.keepers.delete(keeper.partitionId);
    this.lost += 1;
    this.counts(keeper.partitionId).leadershipsLost += 1;
    this.log(
      { node: this.options.node, partition: keeper.partitionId, epoch: keeper.epoch, reason: error.message },
      'lost leadership of partition',
    );
    await this.engine.releasePartition(keeper.partitionId).catch(() => undefined);
  }
}

/** How old a heartbeat may be for its node to count as live (default three heartbeats). */
function liveWithinMsOf(options: ClusterNodeOptions): number {
  return options.liveWithinMs ?? 3 * (options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
}
