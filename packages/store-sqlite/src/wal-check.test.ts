import assert from 'node:assert/strict';
import {
  closeSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { LoggedRecord } from '@baton-engine/engine';
import { createSqliteStoreFactory } from './sqlite-store.js';
import { scanWriteAheadLog } from './wal-check.js';

// A write-ahead log damaged in the middle is refused (SQLite would drop the committed transactions after the
// damage without a word); a torn end, the normal result of a crash during a write, is not.

const root = mkdtempSync(join(tmpdir(), 'baton-wal-check-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

function batch(first: number, count: number): LoggedRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    partitionId: 1,
    position: first + i,
    key: String(first + i),
    recordType: 'EVENT' as const,
    sourcePosition: -1,
    timestamp: 0,
    valueType: 'VARIABLE' as const,
    intent: 'CREATED' as const,
    value: {
      name: 'v',
      value: 'x'.repeat(500),
      scopeKey: '1',
      processInstanceKey: '1',
      processDefinitionKey: '1',
      bpmnProcessId: 'p',
    },
  })) as LoggedRecord[];
}

/** A database with 60 committed batches still in its write-ahead log, copied as a crash would leave it. */
async function crashedCopy(): Promise<string> {
  const dir = join(root, `db-${++n}`);
  const path = join(dir, 'baton.db');
  const factory = createSqliteStoreFactory({ path });
  const store = await factory.open(1);
  for (let i = 0; i < 60; i++) await store.append(batch(i * 10 + 1, 10));
  const copyDir = join(dir, 'copy');
  mkdirSync(copyDir);
  copyFileSync(path, join(copyDir, 'baton.db'));
  copyFileSync(`${path}-wal`, join(copyDir, 'baton.db-wal'));
  await store.close();
  await factory.close();
  return join(copyDir, 'baton.db');
}

function overwrite(file: string, at: number, bytes: number): void {
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(bytes, 0xa5), 0, bytes, at);
  closeSync(fd);
}

async function lastPosition(path: string): Promise<number> {
  const factory = createSqliteStoreFactory({ path });
  try {
    const store = await factory.open(1);
    return await store.lastPosition();
  } finally {
    await factory.close();
  }
}

describe('write-ahead log check', () => {
  it('an intact log verifies to its end and opens with every batch', async () => {
    const copy = await crashedCopy();
    const scan = scanWriteAheadLog(`${copy}-wal`);
    assert.ok(scan && scan.validFrames > 60, JSON.stringify(scan));
    assert.equal(scan.firstBadFrame, undefined);
    assert.equal(await lastPosition(copy), 600);
  });

  it('a frame damaged in the middle, committed transactions after it: the store refuses to open, naming the file', async () => {
    const copy = await crashedCopy();
    const wal = `${copy}-wal`;
    overwrite(wal, Math.floor(statSync(wal).size * 0.3), 64);
    const scan = scanWriteAheadLog(wal);
    assert.ok(scan?.firstBadFrame !== undefined && scan.committedAfterBadFrame >= 2, JSON.stringify(scan));
    assert.throws(
      () => createSqliteStoreFactory({ path: copy }),
      (error: Error) =>
        error.message.includes(wal) &&
        /fails its checksum/.test(error.message) &&
        /backup/.test(error.message),
    );
    // Refused before the file was touched: still refused on a second try, nothing was checkpointed.
    assert.throws(() => createSqliteStoreFactory({ path: copy }), /fails its checksum/);
  });

  it('a damaged frame header counts too (its salts no longer match)', async () => {
    const copy = await crashedCopy();
    const wal = `${copy}-wal`;
    const pageSize = 4096;
    const frame = Math.floor((statSync(wal).size - 32) / (24 + pageSize) / 2);
    overwrite(wal, 32 + frame * (24 + pageSize) + 8, 8);
    assert.throws(() => createSqliteStoreFactory({ path: copy }), /fails its checksum/);
  });

  it('a torn end (the last frame cut or garbled) is the normal end of a crash: it opens without the unfinished batch', async () => {
    const copy = await crashedCopy();
    const wal = `${copy}-wal`;
    const size = statSync(wal).size;
    overwrite(wal, size - 100, 50);
    const position = await lastPosition(copy);
    assert.ok(position >= 590 && position < 600, `last position ${position}`);

    const cut = await crashedCopy();
    truncateSync(`${cut}-wal`, statSync(`${cut}-wal`).size - 1000);
    const cutPosition = await lastPosition(cut);
    assert.ok(cutPosition >= 590 && cutPosition < 600, `last position ${cutPosition}`);
  });
});
