import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { quotedSchema } from './schema-name.js';

/**
 * What every node of a cluster must agree on, kept in the `cluster_setting` table: the number of partitions.
 * The first node writes it; every later node reads it, and one asking for another count is refused.
 */
export class ClusterSettings {
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {
    this.table = `${quotedSchema(schema)}.cluster_setting`;
  }

  /**
   * The secret the nodes present to each other when they forward commands: made by the first node that asks,
   * the same for every node after. Anyone who can read the cluster's schema can read it too.
   */
  async internalSecret(node: string): Promise<string> {
    await this.pool.query(
      `INSERT INTO ${this.table} (name, value, set_by, set_at)
       VALUES ('internal-secret', $2, $1, clock_timestamp())
       ON CONFLICT (name) DO NOTHING`,
      [node, randomBytes(32).toString('hex')],
    );
    const { rows } = await this.pool.query<{ value: string }>(
      `SELECT value FROM ${this.table} WHERE name = 'internal-secret'`,
    );
    return rows[0]!.value;
  }

  /**
   * The cluster's partition count. With `requested`, the first node to ask sets it; a later node asking for
   * a different count gets an error naming both. Without it, the count must have been set already.
   */
  async partitionCount(node: string, requested?: number): Promise<number> {
    if (requested !== undefined && (!Number.isInteger(requested) || requested < 1 || requested > 64))
      throw new Error(`partitions must be an integer from 1 to 64, got ${requested}`);
    if (requested !== undefined) {
      await this.pool.query(
        `INSERT INTO ${this.table} (name, value, set_by, set_at)
         VALUES ('partitions', $1, $2, clock_timestamp()) ON CONFLICT (name) DO NOTHING`,
        [String(requested), node],
      );
    }
    const { rows } = await this.pool.query<{ value: string; set_by: string }>(
      `SELECT value, set_by FROM ${this.table} WHERE name = 'partitions'`,
    );
    const row = rows[0];
    if (!row)
      throw new Error(
        `the cluster in schema ${this.schema} has no partition count yet: start its first node with --partitions`,
      );
    const count = Number(row.value);
    if (requested !== undefined && requested !== count)
      throw new Error(
        `the cluster in schema ${this.schema} has ${count} partitions (set by node ${row.set_by}), ` +
          `not the ${requested} asked for: leave --partitions out to join it`,
      );
    return count;
  }
}
