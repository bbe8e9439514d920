import type { CommandBody } from '@baton-engine/engine';
import type { Pool } from 'pg';
import { compress, decompress } from './batch-codec.js';
import { quotedSchema } from './schema-name.js';

/** One command for a partition that may be led on another node (the engine's `MailItem`). */
export interface MailItem {
  readonly target: number;
  readonly source: number;
  readonly sourcePosition: number;
  readonly kind: 'hand-over' | 'deployment';
  readonly key: string;
  readonly body: CommandBody;
}

interface MailRow {
  target_partition: number;
  source_partition: number;
  source_position: string;
  kind: MailItem['kind'];
  key: string;
  body: Buffer;
}

/**
 * The engine's `PartitionMailbox` on PostgreSQL: `partition_mail` holds the items until their target takes
 * them, `mail_posted` how far each source posted. A post is one statement (items and position together); a
 * repeated item is ignored by its primary key, so a new leader may post again what its predecessor did.
 */
export class PostgresMailbox {
  private readonly mail: string;
  private readonly postedTable: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.mail = `${quotedSchema(schema)}.partition_mail`;
    this.postedTable = `${quotedSchema(schema)}.mail_posted`;
  }

  async post(source: number, upTo: number, items: readonly MailItem[]): Promise<void> {
    const bodies = await Promise.all(items.map((item) => compress(JSON.stringify(item.body))));
    await this.pool.query(
      `WITH items AS (
         INSERT INTO ${this.mail} (target_partition, source_partition, source_position, kind, key, body)
         SELECT * FROM unnest($3::integer[], $4::integer[], $5::bigint[], $6::text[], $7::text[], $8::bytea[])
         ON CONFLICT DO NOTHING)
       INSERT INTO ${this.postedTable} AS posted (source_partition, position) VALUES ($1, $2)
       ON CONFLICT (source_partition) DO UPDATE SET position = GREATEST(posted.position, excluded.position)`,
      [
        source,
        upTo,
        items.map((i) => i.target),
        items.map((i) => i.source),
        items.map((i) => i.sourcePosition),
        items.map((i) => i.kind),
        items.map((i) => i.key),
        bodies,
      ],
    );
  }

  async posted(source: number): Promise<number> {
    const { rows } = await this.pool.query<{ position: string }>(
      `SELECT position FROM ${this.postedTable} WHERE source_partition = $1`,
      [source],
    );
    return Number(rows[0]?.position ?? 0);
  }

  async waiting(target: number, limit: number): Promise<MailItem[]> {
    const { rows } = await this.pool.query<MailRow>(
      `SELECT target_partition, source_partition, source_position, kind, key, body FROM ${this.mail}
       WHERE target_partition = $1 ORDER BY source_partition, source_position, kind LIMIT $2`,
      [target, limit],
    );
    return rows.map((row) => ({
      target: row.target_partition,
      source: row.source_partition,
      sourcePosition: Number(row.source_position),
      kind: row.kind,
      key: row.key,
      body: JSON.parse(decompress(row.body)) as CommandBody,
    }));
  }

  async remove(items: readonly MailItem[]): Promise<void> {
    if (items.length === 0) return;
    await this.pool.query(
      `DELETE FROM ${this.mail} m USING unnest($1::integer[], $2::integer[], $3::bigint[], $4::text[])
         AS gone(target_partition, source_partition, source_position, kind)
       WHERE m.target_partition = gone.target_partition AND m.source_partition = gone.source_partition
         AND m.source_position = gone.source_position AND m.kind = gone.kind`,
      [
        items.map((i) => i.target),
        items.map((i) => i.source),
        items.map((i) => i.sourcePosition),
        items.map((i) => i.kind),
      ],
    );
  }
}
