import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { LoggedRecord } from '@baton-engine/engine';
import type { PartitionStore } from '@baton-engine/store';
import { runPartitionStoreContract } from '@baton-engine/store/contract';
import { createSqliteStoreFactory } from './sqlite-store.js';
import { migrate } from './migrate.js';
import { migrations } from './migrations.js';

const root = mkdtempSync(join(tmpdir(), 'baton-store-sqlite-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** The latest snapshot with its chunks read (they are read as they are iterated). */
async function loaded(store: PartitionStore): Promise<{ position: number; chunks: string[] } | undefined> {
  const snapshot = await store.loadSnapshot();
  return snapshot && { position: snapshot.position, chunks: [...snapshot.chunks] };
}

/** A database path in a directory that does not exist yet, so every case also checks it gets created. */
function freshPath(): string {
  return join(root, randomUUID(), 'nested', 'baton.db');
}

runPartitionStoreContract('sqlite', async () => {
  const path = freshPath();
  return {
    factory: createSqliteStoreFactory({ path }),
    reopen: async () => createSqliteStoreFactory({ path }),
  };
});

runPartitionStoreContract('sqlite, synchronous NORMAL', async () => {
  const path = freshPath();
  const open = () => createSqliteStoreFactory({ path, synchronous: 'NORMAL' });
  return { factory: open(), reopen: async () => open() };
});

runPartitionStoreContract('sqlite, writing on the calling thread', async () => {
  const path = freshPath();
  const open = () => createSqliteStoreFactory({ path, writerThread: false });
  return { factory: open(), reopen: async () => open() };
});

describe('sqlite store', () => {
  it('creates the file with its parent directories, in WAL mode, and names it', async () => {
    const path = freshPath();
    const factory = createSqliteStoreFactory({ path });
    assert.equal(factory.path, path);
    assert.equal(factory.description, `sqlite:${path}`);
    assert.ok(existsSync(path));
    await factory.close();
    withRawDatabase(path, (db) => assert.equal(db.pragma('journal_mode', { simple: true }), 'wal'));
  });

  it('keeps the data in the file across a close and a new factory', async () => {
    const path = freshPath();
    const first = createSqliteStoreFactory({ path });
    const store = await first.open(7);
    await store.append([variable(7, 1), variable(7, 2)]);
    await store.saveSnapshot({ position: 1, chunks: ['state'] });
    await store.close();
    await first.close();

    const second = createSqliteStoreFactory({ path });
    const reopened = await second.open(7);
    assert.equal(await reopened.lastPosition(), 2);
    assert.deepEqual(await reopened.read(1, 10), [variable(7, 1), variable(7, 2)]);
    assert.deepEqual(await loaded(reopened), { position: 1, chunks: ['state'] });
    await second.close();
  });

  it('records applied migrations once and does not reapply them on reopen', async () => {
    const path = freshPath();
    await createSqliteStoreFactory({ path }).close();
    await createSqliteStoreFactory({ path }).close();
    withRawDatabase(path, (db) => {
      const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
      assert.deepEqual(rows, [
        { version: 1, name: 'partition-log-snapshot' },
        { version: 2, name: 'snapshot-chunks' },
        { version: 3, name: 'log-batches' },
        { version: 4, name: 'snapshot-generations' },
        { version: 5, name: 'checksums' },
        { version: 6, name: 'exporter-positions' },
      ]);
    });
  });

  it('refuses a stored batch or snapshot chunk changed after it was written (its checksum), naming it', async () => {
    const path = freshPath();
    const first = createSqliteStoreFactory({ path });
    const store = await first.open(3);
    await store.append([variable(3, 1), variable(3, 2)]);
    await store.append([variable(3, 3)]);
    await store.saveSnapshot({ position: 2, chunks: ['state one', 'state two'] });
    await first.close();
    // One byte changed in the first batch and in the second chunk, as a bad sector or a stray write would.
    withRawDatabase(path, (db) => {
      const stored = db
        .prepare('SELECT records FROM log_batch WHERE partition_id = 3 AND first_position = 1')
        .pluck()
        .get() as Buffer;
      stored[stored.length - 1] ^= 0x01;
      db.prepare('UPDATE log_batch SET records = ? WHERE partition_id = 3 AND first_position = 1').run(
        stored,
      );
      db.prepare("UPDATE snapshot_chunk SET data = 'state twO' WHERE partition_id = 3 AND idx = 1").run();
    });
    const second = createSqliteStoreFactory({ path });
    const reopened = await second.open(3);
    await assert.rejects(
      reopened.read(1, 10),
      /read on partition 3 failed: the batch of positions 1-2 fails its checksum/,
    );
    assert.deepEqual(await reopened.read(3, 10), [variable(3, 3)], 'the batches around it still read');
    await assert.rejects(
      loaded(reopened),
      /loadSnapshot on partition 3 failed: chunk 1 of 2 of the snapshot fails its checksum/,
    );
    await second.close();
  });

  it('moves a log of one row per record (schema 2) into batches, compaction included', async () => {
    const path = freshPath();
    mkdirSync(dirname(path), { recursive: true });
    withRawDatabase(path, (db) => {
      migrate(db, migrations.slice(0, 2));
      const insert = db.prepare('INSERT INTO log (partition_id, position, record) VALUES (?, ?, ?)');
      // Positions 1 and 2 were compacted away already.
      for (const position of [3, 4, 5]) insert.run(4, position, JSON.stringify(variable(4, position)));
      db.prepare('INSERT INTO partition_meta (partition_id, last_position) VALUES (4, 5)').run();
    });
    const factory = createSqliteStoreFactory({ path });
    const store = await factory.open(4);
    assert.equal(await store.lastPosition(), 5);
    assert.deepEqual(await store.read(1, 10), [variable(4, 3), variable(4, 4), variable(4, 5)]);
    assert.deepEqual(await store.read(4, 1), [variable(4, 4)]);
    await store.append([variable(4, 6)]);
    await store.compact(4);
    assert.deepEqual(await store.read(1, 10), [variable(4, 5), variable(4, 6)]);
    await factory.close();
  });

  it('keeps a snapshot written under schema 3', async () => {
    const path = freshPath();
    mkdirSync(dirname(path), { recursive: true });
    withRawDatabase(path, (db) => {
      migrate(db, migrations.slice(0, 3));
      db.prepare("INSERT INTO snapshot (partition_id, position, data) VALUES (2, 9, '')").run();
      const insert = db.prepare('INSERT INTO snapshot_chunk (partition_id, idx, data) VALUES (2, ?, ?)');
      insert.run(0, 'head');
      insert.run(1, Buffer.from('tail ✓'));
    });
    const factory = createSqliteStoreFactory({ path });
    const store = await factory.open(2);
    assert.deepEqual(await loaded(store), { position: 9, chunks: ['head', 'tail ✓'] });
    await store.saveSnapshot({ position: 12, chunks: ['next'] });
    assert.deepEqual(await loaded(store), { position: 12, chunks: ['next'] });
    await factory.close();
    withRawDatabase(path, (db) =>
      assert.equal(db.prepare('SELECT COUNT(*) FROM snapshot_chunk').pluck().get(), 1, 'old chunks deleted'),
    );
  });

  it('leaves no chunks of a snapshot that failed part way once the next one is saved', async () => {
    const path = freshPath();
    const factory = createSqliteStoreFactory({ path });
    const store = await factory.open(1);
    function* failing() {
      for (let i = 0; i < 4; i++) yield 'z'.repeat(20_000_000);
      throw new Error('stop');
    }
    await assert.rejects(store.saveSnapshot({ position: 3, chunks: failing() }), /stop/);
    await store.saveSnapshot({ position: 5, chunks: ['a', 'b'] });
    await factory.close();
    withRawDatabase(path, (db) =>
      assert.deepEqual(
        db.prepare('SELECT idx, CAST(data AS TEXT) FROM snapshot_chunk ORDER BY generation, idx').raw().all(),
        [
          [0, 'a'],
          [1, 'b'],
        ],
      ),
    );
  });

  for (const writerThread of [true, false]) {
    it(`saves an empty snapshot after one that failed part way (writer thread: ${writerThread})`, async () => {
      const path = freshPath();
      const factory = createSqliteStoreFactory({ path, writerThread });
      const store = await factory.open(1);
      await store.saveSnapshot({ position: 2, chunks: ['kept'] });
      function* failing() {
        // More than one group (32 MB), so that chunks were written before it fails.
        for (let i = 0; i < 4; i++) yield 'z'.repeat(10_000_000);
        throw new Error('stop');
      }
      await assert.rejects(store.saveSnapshot({ position: 3, chunks: failing() }), /stop/);
      await store.saveSnapshot({ position: 4, chunks: [] });
      assert.deepEqual(await loaded(store), { position: 4, chunks: [] });
      await factory.close();
      withRawDatabase(path, (db) =>
        assert.equal(db.prepare('SELECT COUNT(*) FROM snapshot_chunk').pluck().get(), 0, 'no chunks left'),
      );
    });
  }

  it('keeps each snapshot whole when two saves of one partition overlap', async () => {
    const path = freshPath();
    const factory = createSqliteStoreFactory({ path });
    const store = await factory.open(1);
    const other = await factory.open(1);
    // Several groups (32 MB) each, so that the two saves would interleave at the writer.
    function* produce(tag: string) {
      for (let i = 0; i < 8; i++) yield `${tag}${i}:${'x'.repeat(10_000_000)}`;
    }
    await Promise.all([
      store.saveSnapshot({ position: 10, chunks: produce('a') }),
      other.saveSnapshot({ position: 20, chunks: produce('b') }),
    ]);
    const snapshot = await store.loadSnapshot();
    assert.equal(snapshot?.position, 20);
    assert.deepEqual(
      [...snapshot!.chunks].map((chunk) => chunk.slice(0, chunk.indexOf(':'))),
      ['b0', 'b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7'],
    );
    await factory.close();
  });

  it('reads snapshot chunks as they are iterated, and says so when a newer snapshot replaced them', async () => {
    const path = freshPath();
    const factory = createSqliteStoreFactory({ path });
    const store = await factory.open(1);
    await store.saveSnapshot({ position: 3, chunks: ['one', 'two', 'three'] });
    const first = await store.loadSnapshot();
    const iterator = first!.chunks[Symbol.iterator]();
    assert.deepEqual(iterator.next(), { value: 'one', done: false });
    await store.saveSnapshot({ position: 6, chunks: ['newer'] });
    assert.throws(() => iterator.next(), /chunk 1 of 3 is gone/);
    assert.deepEqual(await loaded(store), { position: 6, chunks: ['newer'] });
    await factory.close();
  });

  it('writes on a worker thread, and the file holds every acknowledged batch', async () => {
    const path = freshPath();
    const factory = createSqliteStoreFactory({ path });
    const store = await factory.open(1);
    // Appends issued back to back (a pipelined partition) are written in order.
    await Promise.all([store.append([variable(1, 1)]), store.append([variable(1, 2), variable(1, 3)])]);
    // A batch that does not follow is refused by the writer, and nothing after the refusal is lost.
    await assert.rejects(store.append([variable(1, 5)]), /expected 4/);
    await store.append([variable(1, 4)]);
    withRawDatabase(path, (db) =>
      assert.deepEqual(
        db.prepare('SELECT first_position, last_position FROM log_batch ORDER BY last_position').raw().all(),
        [
          [1, 1],
          [2, 3],
          [4, 4],
        ],
      ),
    );
    await factory.close();
    await assert.rejects(store.append([variable(1, 5)]), /append on partition 1 failed/);
  });

  it('refuses to open a file whose schema is newer than it knows', async () => {
    const path = freshPath();
    await createSqliteStoreFactory({ path }).close();
    withRawDatabase(path, (db) =>
      db.prepare("INSERT INTO schema_migrations (version, name) VALUES (99, 'x')").run(),
    );
    assert.throws(() => createSqliteStoreFactory({ path }), /opening .* failed: .*version 99/);
  });

  it('names the partition and the operation when SQLite fails', async () => {
    const path = freshPath();
    const factory = createSqliteStoreFactory({ path });
    const store = await factory.open(3);
    await store.append([variable(3, 1), variable(3, 2)]);
    // Make the stored last position disagree with the log, so the insert hits the primary key.
    withRawDatabase(path, (db) => db.prepare('UPDATE partition_meta SET last_position = 1').run());
    await assert.rejects(store.append([variable(3, 2)]), /append on partition 3 failed: SQLITE_CONSTRAINT/);
    assert.deepEqual(await store.read(1, 10), [variable(3, 1), variable(3, 2)]);
    await factory.close();
    await assert.rejects(store.read(1, 10), /read on partition 3 failed: .*not open/);
    await assert.rejects(factory.open(3), /factory is closed/);
  });

  it('refuses calls on a closed store', async () => {
    const factory = createSqliteStoreFactory({ path: freshPath() });
    const store = await factory.open(1);
    await store.close();
    await assert.rejects(store.lastPosition(), /lastPosition on partition 1 failed: the store is closed/);
    await factory.close();
  });

  it('refuses an unknown synchronous setting', () => {
    const options = { path: freshPath(), synchronous: 'OFF' } as unknown as Parameters<
      typeof createSqliteStoreFactory
    >[0];
    assert.throws(() => createSqliteStoreFactory(options), /synchronous must be FULL or NORMAL/);
  });
});

function withRawDatabase(path: string, body: (db: Database.Database) => void): void {
  const db = new Database(path);
  try {
    body(db);
  } finally {
    db.close();
  }
}

function variable(partitionId: number, position: number): LoggedRecord {
  return {
    partitionId,
    position,
    key: String(position),
    recordType: 'EVENT',
    sourcePosition: -1,
    timestamp: 0,
    valueType: 'VARIABLE',
    intent: 'CREATED',
    value: {
      name: 'v',
      value: position,
      scopeKey: '1',
      processInstanceKey: '1',
      processDefinitionKey: '1',
      bpmnProcessId: 'p',
    },
  };
}
