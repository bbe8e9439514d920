import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PostgresReadModelDatabase, toPostgres } from './postgres-database.js';
import { BACKENDS } from './test-support/backends.js';

/** The shared SQL (SQLite's spelling) as PostgreSQL reads it. */
describe('read model SQL for PostgreSQL', () => {
  it('numbers the placeholders, but not a ? inside a string literal', () => {
    assert.equal(
      toPostgres("SELECT * FROM t WHERE a = ? AND b LIKE ? ESCAPE '\\' AND c = '?' AND d IN (?, ?)"),
      "SELECT * FROM t WHERE a = $1 AND b ILIKE $2 ESCAPE '\\' AND c = '?' AND d IN ($3, $4)",
    );
  });

  it('casts keys to NUMERIC (64-bit and longer) and ISO dates with EXTRACT', () => {
    assert.equal(toPostgres('ORDER BY CAST(t.key AS INTEGER) DESC'), 'ORDER BY CAST(t.key AS NUMERIC) DESC');
    assert.equal(
      toPostgres("SELECT CAST(strftime('%s', t.due_date) AS INTEGER) * 1000 AS due"),
      'SELECT CAST(EXTRACT(EPOCH FROM CAST(t.due_date AS TIMESTAMPTZ)) * 1000 AS BIGINT) AS due',
    );
  });
});

/**
 * A transaction's deferred statements go to the server together, as EXECUTEs whose values the driver
 * escaped (escapeLiteral): each value must come back exactly as given, whatever it holds.
 */
describe('read model on PostgreSQL: deferred statements', () => {
  const postgres = BACKENDS.find((b) => b.name === 'postgres')!;

  async function withDatabase(run: (db: PostgresReadModelDatabase) => Promise<void>): Promise<void> {
    // One connection: what it prepared stays with it from one transaction to the next.
    const options = postgres.tables(':memory:').postgres!;
    const db = await PostgresReadModelDatabase.open({ ...options, poolSize: 1 });
    try {
      await db.run('CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT, number INTEGER, flag BOOLEAN)');
      await run(db);
    } finally {
      await db.close();
    }
  }

  const texts = [
    "it's",
    "''; DROP TABLE t; --",
    "back\\slash \\' \\\\ \\n",
    "E'\\x41' $1 ? $$ dollar $$ :name",
    'ünïcødé ☃ 日本語 𝄞 🚀 e\u0301 \u202e rtl',
    ' leading and trailing ',
    '',
    '007',
    '1e3',
    '-0',
    '9007199254740993',
    'null',
    'NULL',
    JSON.stringify({
      nested: { quote: "'", slash: '\\', list: Array.from({ length: 40_000 }, (_, i) => `v${i}`) },
    }),
  ];

  it('writes every value back exactly: quotes, backslashes, unicode, huge JSON, numbers as strings', () =>
    withDatabase(async (db) => {
      const huge = "x\\'".repeat(1_500_000); // 4.5 million characters: the queue is sent on its own
      const values = [...texts, huge];
      const read = await db.transaction(async (tx) => {
        for (const [i, text] of values.entries()) {
          const sent = tx.defer!('INSERT INTO t (id, text, number, flag) VALUES (?, ?, ?, ?)', [
            i,
            text,
            i * 1000,
            i % 2 === 0,
          ]);
          if (sent) await sent;
        }
        return tx.all<{ id: number; text: string; number: number; flag: boolean }>(
          'SELECT id, text, number, flag FROM t WHERE id >= ? ORDER BY id',
          [0],
        );
      });
      assert.equal(read.length, values.length);
      for (const [i, row] of read.entries()) {
        assert.equal(row.text, values[i], `value ${i} comes back as given`);
        assert.equal(row.number, i * 1000);
        assert.equal(row.flag, i % 2 === 0);
      }
      assert.equal((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM t'))?.n, values.length);
    }));

  it('refuses a value holding NUL, naming it, and commits nothing of the transaction', () =>
    withDatabase(async (db) => {
      await assert.rejects(
        db.transaction(async (tx) => {
          tx.defer!('INSERT INTO t (id, text) VALUES (?, ?)', [1, 'fine']);
          tx.defer!('INSERT INTO t (id, text) VALUES (?, ?)', [2, 'a\u0000b']);
          return tx.get('SELECT 1 AS one');
        }),
        /NUL character/,
      );
      assert.equal((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM t'))?.n, 0);
    }));

  it('rolls back all of a transaction whose deferred statement fails, and prepares again afterwards', () =>
    withDatabase(async (db) => {
      await assert.rejects(
        db.transaction(async (tx) => {
          tx.defer!('INSERT INTO t (id, text) VALUES (?, ?)', [1, 'first']);
          tx.defer!('INSERT INTO t (id, text) VALUES (?, ?)', [1, 'the same key again']);
          // Never reached: its PREPARE, queued before it, did not run either.
          tx.defer!('UPDATE t SET text = ? WHERE id = ?', ['never', 1]);
        }),
        /duplicate key/,
      );
      assert.equal((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM t'))?.n, 0);
      // The same statements again, on the same connection: prepared again where needed.
      await db.transaction(async (tx) => {
        tx.defer!('INSERT INTO t (id, text) VALUES (?, ?)', [1, 'first']);
        tx.defer!('INSERT INTO t (id, text) VALUES (?, ?)', [2, 'second']);
        tx.defer!('UPDATE t SET text = ? WHERE id = ?', ['second, updated', 2]);
      });
      const rows = await db.all<{ text: string }>('SELECT text FROM t ORDER BY id');
      assert.deepEqual(
        rows.map((r) => r.text),
        ['first', 'second, updated'],
      );
    }));
});
