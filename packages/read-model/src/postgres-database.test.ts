import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toPostgres } from './postgres-database.js';

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
