import pg from 'pg';
import type { PartitionStore, StoreFactory, StoreHealth } from '@baton-engine/store';
import { ClusterMembership } from './cluster-membership.js';
import { ClusterSettings } from './cluster-settings.js';
import { PostgresMailbox } from './postgres-mailbox.js';
import { DEFAULT_LEASE_MS, LeaseKeeper } from './lease-keeper.js';
import { migrate } from './migrate.js';
import { migrations } from './migrations.js';
import { PartitionLeases } from './partition-leases.js';
import { PostgresPartitionStore, detail } from './postgres-partition-store.js';
import type { StoreContext } from './postgres-partition-store.js';
import { quotedSchema } from './schema-name.js';
import { statements } from './sql-statements.js';
import type { WriteFence } from './write-fence.js';

export interface PostgresStoreOptions {
  /** A `postgres://user:password@host:port/database` URL. */
  readonly connectionString: string;
  /** The schema holding Baton's tables, created if missing; default `baton`. */
  readonly schema?: string;
  /** Connections in the pool; default 4. */
  readonly poolSize?: number;
  /** How long to wait for a connection before failing; default 5,000 ms. */
  readonly connectTimeoutMs?: number;
  /**
   * Lead every partition that `open` opens under a lease held by this node, renewed in the background: `open`
   * fails while another node holds the partition, and every write is fenced by the lease's epoch (a write
   * after the lease is lost is refused with a `LeaseLostError`). Without it writes are not fenced, for one
   * engine that is alone on its schema.
   */
  readonly leadership?: {
    readonly node: string;
    /** Default 5,000 ms. */
    readonly leaseMs?: number;
    /** Default 1,000 ms. */
    readonly renewEveryMs?: number;
  };
}

export interface OpenOptions {
  /** Fence this store's writes with a lease the caller holds (instead of the factory's `leadership`). */
  readonly fence?: WriteFence;
}

/** A `StoreFactory` whose partitions all live in one PostgreSQL schema. */
export interface PostgresStoreFactory extends StoreFactory {
  readonly schema: string;
  /** The schema's lease table, for taking partitions by hand (see `LeaseKeeper`). */
  readonly leases: PartitionLeases;
  /** The schema's node membership table (join, heartbeat, live nodes). */
  readonly membership: ClusterMembership;
  /** The settings the nodes of a cluster share (the partition count). */
  readonly settings: ClusterSettings;
  /** Cross-partition traffic between nodes (the engine's `mailbox` option). */
  readonly mailbox: PostgresMailbox;
  open(partitionId: number, options?: OpenOptions): Promise<PartitionStore>;
  /** Keepers of the leases held through `leadership`, by partition. */
  readonly leaders: ReadonlyMap<number, LeaseKeeper>;
}

/**
 * Connects to PostgreSQL, creates the schema if missing and brings it up to date, and returns the factory.
 * Fails, naming the server, when it cannot be reached. `close()` ends the pool (after releasing any lease).
 */
export async function createPostgresStoreFactory(
  options: PostgresStoreOptions,
): Promise<PostgresStoreFactory> {
  const schema = options.schema ?? 'baton';
  const s = quotedSchema(schema);
  const where = describe(options.connectionString);
  const poolSize = options.poolSize ?? 4;
  if (!Number.isInteger(poolSize) || poolSize < 1)
    throw new Error(`postgres store: poolSize must be a positive integer, got ${poolSize}`);
  const leadership = options.leadership;
  if (leadership !== undefined && (typeof leadership.node !== 'string' || leadership.node === ''))
    throw new Error('postgres store: leadership.node must be a non-empty string');

  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: poolSize,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    application_name: 'baton',
  });
  let fault: string | undefined;
  // An idle connection that breaks must not crash the process: the next query reconnects.
  pool.on('error', (error) => {
    fault = `${where}: ${detail(error)}`;
  });
  const query: StoreContext['query'] = async <R extends object>(text: string, values?: unknown[]) => {
    try {
      const result = await pool.query<R>(text, values);
      fault = undefined;
      return result.rows;
    } catch (error) {
      if (isConnectionFault(error)) fault = `${where}: ${detail(error)}`;
      throw error;
    }
  };
  try {
    await migrate(pool, schema, migrations);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new Error(`postgres store: opening schema ${schema} on ${where} failed: ${detail(error)}`, {
      cause: error,
    });
  }

  const leases = new PartitionLeases(pool, schema);
  const context: StoreContext = {
    pool,
    sql: statements(s),
    leases,
    saving: new Map(),
    appending: new Map(),
    query,
  };
  const membership = new ClusterMembership(pool, schema);
  const leaders = new Map<number, { keeper: LeaseKeeper; stores: number }>();
  let closed = false;

  /** This node's lease on the partition, taken on the first open and shared by the factory's stores. */
  async function lead(partitionId: number): Promise<LeaseKeeper> {
    const held = leaders.get(partitionId);
    if (held && !held.keeper.lostError) {
      held.stores += 1;
      return held.keeper;
    }
    const keeper = await LeaseKeeper.acquire({
      leases,
      partitionId,
      node: leadership!.node,
      leaseMs: leadership!.leaseMs ?? DEFAULT_LEASE_MS,
      renewEveryMs: leadership!.renewEveryMs,
    });
    if (!keeper) {
      const holder = await leases.current(partitionId);
      throw new Error(
        `postgres store: partition ${partitionId} in schema ${schema} is led by node ${holder?.node} ` +
          `(epoch ${holder?.epoch}) until ${holder?.expiresAt.toISOString()}; another engine uses this schema`,
      );
    }
    keeper.on('lost', () => undefined); // reported through health() and the writes it refuses
    leaders.set(partitionId, { keeper, stores: 1 });
    return keeper;
  }

  async function unlead(keeper: LeaseKeeper): Promise<void> {
    const held = leaders.get(keeper.partitionId);
    if (held?.keeper !== keeper) return;
    held.stores -= 1;
    if (held.stores > 0) return;
    leaders.delete(keeper.partitionId);
    await keeper.release();
  }

  return {
    schema,
    leases,
    membership,
    settings: new ClusterSettings(pool, schema),
    mailbox: new PostgresMailbox(pool, schema),
    description: `postgres:${where}/${schema}`,
    get leaders() {
      return new Map([...leaders].map(([id, held]) => [id, held.keeper]));
    },
    async open(partitionId: number, openOptions: OpenOptions = {}): Promise<PartitionStore> {
      if (!Number.isSafeInteger(partitionId))
        throw new Error(`partitionId must be an integer, got ${partitionId}`);
      if (closed)
        throw new Error(`postgres store: open of partition ${partitionId} failed: the factory is closed`);
      await query(context.sql.ensurePartition, [partitionId]);
      if (openOptions.fence || !leadership)
        return new PostgresPartitionStore(partitionId, context, openOptions.fence, async () => undefined);
      const keeper = await lead(partitionId);
      return new PostgresPartitionStore(partitionId, context, keeper, () => unlead(keeper));
    },
    health(): StoreHealth {
      const lost = [...leaders.values()].find((held) => held.keeper.lostError)?.keeper.lostError;
      if (fault) return { healthy: false, detail: fault };
      if (lost) return { healthy: false, detail: lost.message };
      return { healthy: true };
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      for (const held of leaders.values()) await held.keeper.release().catch(() => undefined);
      leaders.clear();
      await membership.leave().catch(() => undefined);
      await pool.end();
    },
  };
}

/** The server and database of a connection string, without its password. */
function describe(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    throw new Error('postgres store: connectionString must be a postgres://user@host:port/database URL');
  }
}

/** Whether an error says the database is out of reach (rather than that it refused one statement). */
function isConnectionFault(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string')
    return error instanceof Error && /timeout|terminated|connect/i.test(error.message);
  return /^(08|53|57P)/.test(code) || /^E[A-Z]+$/.test(code);
}
