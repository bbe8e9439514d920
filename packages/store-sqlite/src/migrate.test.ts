import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { migrate } from './migrate.js';
import type { Migration } from './migrations.js';

const first: Migration = { version: 1, name: 'create-a', sqlite: ['CREATE TABLE a (x INTEGER)'] };
const second: Migration = { version: 2, name: 'create-b', sqlite: ['CREATE TABLE b (y INTEGER)'] };

describe('migrate', () => {
  it('applies only the migrations not yet recorded, in order', () => {
    const db = new Database(':memory:');
    assert.deepEqual(migrate(db, [first]), [1]);
    assert.deepEqual(migrate(db, [first, second]), [2]);
    assert.deepEqual(migrate(db, [first, second]), []);
    assert.deepEqual(
      db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all(),
      [1, 2],
    );
    db.close();
  });

  it('rolls back a failing migration, statements and record together', () => {
    const db = new Database(':memory:');
    const broken: Migration = { version: 2, name: 'broken', sqlite: ['CREATE TABLE c (z)', 'NOT SQL'] };
    assert.throws(() => migrate(db, [first, broken]), /syntax error/);
    assert.deepEqual(db.prepare('SELECT version FROM schema_migrations').pluck().all(), [1]);
    assert.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'c'").pluck().get(), 0);
    db.close();
  });

  it('refuses a list that is not in increasing version order', () => {
    const db = new Database(':memory:');
    assert.throws(() => migrate(db, [second, first]), /migration 1 \(create-a\) is out of order/);
    assert.throws(() => migrate(db, [first, first]), /out of order/);
    db.close();
  });

  it('refuses a database migrated by a newer list', () => {
    const db = new Database(':memory:');
    migrate(db, [first, second]);
    assert.throws(() => migrate(db, [first]), /schema is at version 2, newer than the 1/);
    db.close();
  });
});
