import { hostname } from 'node:os';
import type { PostgresStoreFactory } from '@baton-engine/store-postgres';
import { UsageError } from './exit-codes.js';

/**
 * The PostgreSQL store of `baton start --store postgres://user@host:port/database?schema=name` (schema
 * default `baton`), and this process's node id (`<host>:<pid>`). The node leads every partition under a
 * lease, so a second Baton started on the same schema is refused, naming the first, instead of writing
 * beside it.
 */
export async function postgresStore(url: string): Promise<{ factory: PostgresStoreFactory; node: string }> {
  const { connectionString, schema } = parsePostgresUrl(url, '--store');
  const { createPostgresStoreFactory } = await import('@baton-engine/store-postgres');
  const node = `${hostname()}:${process.pid}`;
  const factory = await createPostgresStoreFactory({ connectionString, schema, leadership: { node } });
  return { factory, node };
}

/**
 * The PostgreSQL store of a cluster node (`baton start --cluster postgres://…?schema=name`, or
 * `BATON_CLUSTER_URL`): opened without leadership, since the node takes the partitions' leases itself.
 */
export async function postgresCluster(url: string, flag: string): Promise<PostgresStoreFactory> {
  const { connectionString, schema } = parsePostgresUrl(url, flag);
  const { createPostgresStoreFactory } = await import('@baton-engine/store-postgres');
  return createPostgresStoreFactory({ connectionString, schema });
}

/** A postgres:// URL without its `schema` parameter, and that schema (default `baton`). */
export function parsePostgresUrl(url: string, flag: string): { connectionString: string; schema: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`${flag} must be a postgres://user@host:port/database URL, not '${url}'`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new UsageError(`${flag} must be a postgres://user@host:port/database URL, not '${url}'`);
  }
  const schema = parsed.searchParams.get('schema') ?? 'baton';
  parsed.searchParams.delete('schema');
  return { connectionString: parsed.toString(), schema };
}
