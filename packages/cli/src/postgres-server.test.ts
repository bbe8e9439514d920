import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { oneTask } from './test-models.js';
import { searchTotal, startBaton } from './test-server.js';
import { sdkClient } from './test-clients.js';

/** A real PostgreSQL (CI starts it): these tests fail, naming it, when it cannot be reached. */
const POSTGRES_URL = process.env.BATON_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const schema = `baton_cli_test_${randomBytes(6).toString('hex')}`;

async function sql(text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return await client.query(text);
  } catch (error) {
    throw new Error(`PostgreSQL at ${POSTGRES_URL}: ${(error as Error).message}`, { cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
}

before(() => sql('SELECT 1'));
after(() => sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));

describe('baton start --store postgres://', { timeout: 120_000 }, () => {
  it('keeps the log and the read model in PostgreSQL across a restart, and refuses a second server on the schema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-postgres-server-'));
    const db = join(dir, 'baton.db');
    const store = `${POSTGRES_URL}?schema=${schema}`;
    const lastPosition = async () =>
      Number(
        (await sql(`SELECT last_position FROM ${schema}.partition_meta WHERE partition_id = 1`)).rows[0]
          ?.last_position,
      );
    try {
      let server = await startBaton(['--insecure-no-auth', '--store', store], { db });
      let zeebe = sdkClient(server.port);
      await zeebe.deployResource({ process: Buffer.from(await oneTask('pg', 'pg-work')), name: 'pg.bpmn' });
      const worker = zeebe.createWorker({
        taskType: 'pg-work',
        taskHandler: (job) => job.complete({ done: 1 }),
      });
      for (let n = 0; n < 5; n++)
        await zeebe.createProcessInstanceWithResult({ bpmnProcessId: 'pg', variables: { n } });
      await worker.close();
      // One instance left waiting at its task when the server stops.
      const waiting = await zeebe.createProcessInstance({ bpmnProcessId: 'pg', variables: { n: 5 } });
      await zeebe.close();

      const members = await sql(`SELECT node, address FROM ${schema}.cluster_node`);
      assert.deepEqual(
        members.rows.map((row) => row.address),
        [`127.0.0.1:${server.port}`],
        'the server is a live member, at its gRPC address',
      );
      await assert.rejects(
        startBaton(['--insecure-no-auth', '--store', store], { db: join(dir, 'other.db') }),
        new RegExp(`partition 1 in schema ${schema} is led by node [^ ]+ \\(epoch 1\\)`),
      );
      assert.equal(await server.stop(), 0);
      assert.equal(
        (await sql(`SELECT count(*)::int AS n FROM ${schema}.cluster_node`)).rows[0].n,
        0,
        'it left',
      );
      const stoppedAt = await lastPosition();
      assert.ok(stoppedAt > 0, 'the log is in PostgreSQL');
      assert.equal(
        (await sql(`SELECT count(*)::int AS n FROM ${schema}.snapshot`)).rows[0].n,
        1,
        'a snapshot too',
      );

      // Started again: the waiting instance is recovered from PostgreSQL and finishes; the log goes on there.
      server = await startBaton(['--insecure-no-auth', '--store', store], { db });
      try {
        zeebe = sdkClient(server.port);
        const finished = new Promise<string>((resolve) => {
          const again = zeebe.createWorker({
            taskType: 'pg-work',
            taskHandler: (job) => {
              resolve(job.processInstanceKey);
              return job.complete({ done: 1 });
            },
          });
          void again;
        });
        assert.equal(await finished, waiting.processInstanceKey);
        let total = 0;
        for (let i = 0; i < 200 && total !== 6; i++) {
          total = await searchTotal(server.url, 'process-instances', {
            processDefinitionId: 'pg',
            state: 'COMPLETED',
          });
          if (total !== 6) await new Promise((resolve) => setTimeout(resolve, 50));
        }
        assert.equal(total, 6);
        assert.ok((await lastPosition()) > stoppedAt);
        // The read model is in the same schema, its position written with its rows.
        const readModel = await sql(
          `SELECT (SELECT count(*)::int FROM ${schema}.rm_process_instance) AS instances,
                  (SELECT position FROM ${schema}.rm_exporter_position WHERE partition_id = 1)::int AS position`,
        );
        assert.equal(readModel.rows[0].instances, 6);
        assert.ok(readModel.rows[0].position > stoppedAt);
        await zeebe.close();
      } finally {
        assert.equal(await server.stop(), 0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a store that is not a postgres:// URL, and --store with --memory', async () => {
    const db = join(tmpdir(), `never-created-${schema}`, 'baton.db');
    await assert.rejects(
      startBaton(['--insecure-no-auth', '--store', 'mysql://x/y'], { db }),
      /--store must be a postgres:\/\//,
    );
    await assert.rejects(
      startBaton(['--insecure-no-auth', '--store', `${POSTGRES_URL}?schema=${schema}`]),
      /--store and --memory exclude each other/,
    );
  });
});
