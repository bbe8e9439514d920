import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { runPartitionStoreContract } from '@baton-engine/store/contract';
import type { LoggedRecord } from '@baton-engine/engine';
import { createPostgresStoreFactory } from './postgres-store.js';
import { migrate } from './migrate.js';
import { migrations } from './migrations.js';
import { POSTGRES_URL, dropSchemas, freshSchema, requirePostgres } from './test-support/postgres.js';

before(requirePostgres);
after(dropSchemas);

runPartitionStoreContract('postgres', async () => {
  await requirePostgres();
  const schema = freshSchema();
  const open = () => createPostgresStoreFactory({ connectionString: POSTGRES_URL, schema });
  return { factory: await open(), reopen: open };
});

runPartitionStoreContract('postgres, every write fenced by a lease', async () => {
  await requirePostgres();
  const schema = freshSchema();
  const open = () =>
    createPostgresStoreFactory({ connectionString: POSTGRES_URL, schema, leadership: { node: 'node-a' } });
  return { factory: await open(), reopen: open };
});

describe('postgres store', () => {
  it('names the server and schema, and keeps each schema apart', async () => {
    const [a, b] = [freshSchema(), freshSchema()];
    const one = await createPostgresStoreFactory({ connectionString: POSTGRES_URL, schema: a });
    const two = await createPostgresStoreFactory({ connectionString: POSTGRES_URL, schema: b });
    try {
      assert.equal(one.description, `postgres:127.0.0.1:5432/postgres/${a}`);
      await (await one.open(1)).append([variable(1, 1)]);
      assert.equal(await (await one.open(1)).lastPosition(), 1);
      assert.equal(await (await two.open(1)).lastPosition(), 0);
      assert.deepEqual(one.health?.(), { healthy: true });
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('appends sent without waiting for the previous one land in call order', async () => {
    const factory = await createPostgresStoreFactory({
      connectionString: POSTGRES_URL,
      schema: freshSchema(),
    });
    try {
      const store = await factory.open(1);
      const sizes = Array.from({ length: 40 }, (_, i) => 1 + ((i * 37) % 200));
      const batches: LoggedRecord[][] = [];
      let next = 1;
      for (const size of sizes) {
        batches.push(Array.from({ length: size }, (_, i) => variable(1, next + i)));
        next += size;
      }
      await Promise.all(batches.map((batch) => store.append(batch)));
      assert.equal(await store.lastPosition(), next - 1);
      assert.deepEqual(await store.read(1, next), batches.flat());
    } finally {
      await factory.close();
    }
  });

  it('stores a batch as one compressed row, much smaller than its JSON', async () => {
    const schema = freshSchema();
    const factory = await createPostgresStoreFactory({ connectionString: POSTGRES_URL, schema });
    const batch = Array.from({ length: 500 }, (_, i) => variable(1, i + 1));
    try {
      await (await factory.open(1)).append(batch);
      const rows = await raw(
        `SELECT first_position, last_position, octet_length(records) AS bytes FROM "${schema}".log_batch`,
      );
      assert.equal(rows.length, 1);
      assert.deepEqual([Number(rows[0]!.first_position), Number(rows[0]!.last_position)], [1, 500]);
      const json = Buffer.byteLength(JSON.stringify(batch));
      assert.ok(Number(rows[0]!.bytes) * 5 < json, `${rows[0]!.bytes} bytes stored for ${json} of JSON`);
    } finally {
      await factory.close();
    }
  });

  it('records applied migrations once, and refuses a schema newer than it knows', async () => {
    const schema = freshSchema();
    await (await createPostgresStoreFactory({ connectionString: POSTGRES_URL, schema })).close();
    await (await createPostgresStoreFactory({ connectionString: POSTGRES_URL, schema })).close();
    const versions = await raw(`SELECT version FROM "${schema}".schema_migrations ORDER BY version`);
    assert.deepEqual(
      versions.map((row) => row.version),
      migrations.map((m) => m.version),
    );
    await raw(`INSERT INTO "${schema}".schema_migrations (version, name) VALUES (999, 'from-the-future')`);
    await assert.rejects(
      createPostgresStoreFactory({ connectionString: POSTGRES_URL, schema }),
      /schema .* is at version 999, newer than the \d+ this Baton knows/,
    );
  });

  it('migrates once when several processes open a new schema at the same time', async () => {
    const schema = freshSchema();
    const pools = Array.from({ length: 4 }, () => new pg.Pool({ connectionString: POSTGRES_URL, max: 1 }));
    try {
      const applied = await Promise.all(pools.map((pool) => migrate(pool, schema, migrations)));
      assert.deepEqual(applied.flat().sort(), migrations.map((m) => m.version).sort());
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it('refuses a schema name that is not a plain identifier, and a server it cannot reach, naming them', async () => {
    await assert.rejects(
      createPostgresStoreFactory({ connectionString: POSTGRES_URL, schema: 'x"; DROP TABLE y; --' }),
      /schema must be a plain lower-case identifier/,
    );
    await assert.rejects(
      createPostgresStoreFactory({
        connectionString: 'postgres://postgres@127.0.0.1:1/postgres',
        schema: freshSchema(),
        connectTimeoutMs: 2_000,
      }),
      /postgres store: opening schema \w+ on 127\.0\.0\.1:1\/postgres failed: ECONNREFUSED/,
    );
  });

  it('reports a lost connection through health(), naming the server', async () => {
    const schema = freshSchema();
    const factory = await createPostgresStoreFactory({ connectionString: POSTGRES_URL, schema, poolSize: 1 });
    try {
      const store = await factory.open(1);
      await raw(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE application_name = 'baton' AND pid <> pg_backend_pid() AND query LIKE '%partition_meta%'`,
      );
      // The terminated idle connection is reported; the next query reconnects and clears it.
      await waitUntil(() => factory.health?.().healthy === false);
      assert.match(factory.health?.().detail ?? '', /127\.0\.0\.1:5432\/postgres/);
      await store.append([variable(1, 1)]);
      assert.deepEqual(factory.health?.(), { healthy: true });
    } finally {
      await factory.close();
    }
  });
});

async function raw(text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(condition(), 'the condition became true');
}

function variable(partitionId: number, position: number): LoggedRecord {
  return {
    partitionId,
    position,
    key: String(2 ** 51 * partitionId + position),
    recordType: 'EVENT',
    sourcePosition: position - 1,
    timestamp: 1_700_000_000_000 + position,
    valueType: 'VARIABLE',
    intent: 'CREATED',
    value: {
      name: `v${position}`,
      value: position,
      scopeKey: '2251799813685249',
      processInstanceKey: '2251799813685249',
      processDefinitionKey: '2251799813685248',
      bpmnProcessId: 'order-fulfilment',
    },
  };
}
