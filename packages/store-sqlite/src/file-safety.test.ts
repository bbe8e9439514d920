import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { LoggedRecord } from '@baton-engine/engine';
import { createSqliteStoreFactory } from './sqlite-store.js';
import { StoreLockedError } from './file-lock.js';

// The file under a store: one engine per file, no empty file taken for a new engine, and a file removed or
// replaced under a running engine stops its writes instead of losing them.

const root = mkdtempSync(join(tmpdir(), 'baton-file-safety-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(root, `db-${++n}`, 'baton.db');

function record(position: number): LoggedRecord {
  return {
    partitionId: 1,
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

/** A child process that opens the store on `path`, says READY and waits until it is killed. */
function holdInChild(path: string): Promise<{ pid: number; kill: () => Promise<void> }> {
  const module = fileURLToPath(new URL('./sqlite-store.ts', import.meta.url));
  const script = `const { createSqliteStoreFactory } = await import(${JSON.stringify(module)});
    createSqliteStoreFactory({ path: ${JSON.stringify(path)} });
    console.log('READY'); setInterval(() => {}, 1000);`;
  const child = spawn(
    process.execPath,
    ['--conditions=baton-src', '--import', 'tsx', '--input-type=module', '-e', script],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the child did not open the store:\n${output}`));
    }, 20_000);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes('READY')) return;
      clearTimeout(timer);
      resolve({
        pid: child.pid!,
        kill: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.kill('SIGKILL');
          }),
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the child exited with ${code}:\n${output}`));
    });
  });
}

describe('one engine per SQLite file', () => {
  it('refuses a second store on the same file in this process, and lets it in once the first closes', async () => {
    const path = freshPath();
    const first = createSqliteStoreFactory({ path });
    assert.throws(
      () => createSqliteStoreFactory({ path }),
      (error: Error) =>
        error instanceof StoreLockedError &&
        error.message.includes(`in use by process ${process.pid}`) &&
        error.message.includes('--db'),
    );
    await first.close();
    await createSqliteStoreFactory({ path }).close();
  });

  it('refuses while another process holds the file, naming it; a killed holder leaves no stale lock', async () => {
    const path = freshPath();
    const holder = await holdInChild(path);
    try {
      assert.throws(
        () => createSqliteStoreFactory({ path }),
        (error: Error) => error instanceof StoreLockedError && error.holder?.pid === holder.pid,
      );
    } finally {
      await holder.kill();
    }
    const factory = createSqliteStoreFactory({ path });
    const store = await factory.open(1);
    await store.append([record(1)]);
    await factory.close();
  });
});

describe('the file under a running store', () => {
  it('refuses an empty (0-byte) file instead of starting an empty engine on it', async () => {
    const path = freshPath();
    await createSqliteStoreFactory({ path }).close();
    writeFileSync(path, '');
    assert.throws(() => createSqliteStoreFactory({ path }), /is an empty file \(0 bytes\)/);
    // The refusal released the lock: once the file is gone, a new engine starts there.
    rmSync(path);
    await createSqliteStoreFactory({ path }).close();
  });

  for (const writerThread of [true, false]) {
    it(`stops writing when the files are removed, and says so (writer thread: ${writerThread})`, async () => {
      const path = freshPath();
      const factory = createSqliteStoreFactory({ path, writerThread });
      const store = await factory.open(1);
      await store.append([record(1)]);
      assert.deepEqual(factory.health?.(), { healthy: true });
      for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true });
      await assert.rejects(store.append([record(2)]), /baton\.db was removed while the engine had it open/);
      const health = factory.health?.();
      assert.equal(health?.healthy, false);
      assert.match(health?.detail ?? '', /removed/);
      // Sticky: nothing is written to the unlinked file any more.
      await assert.rejects(store.append([record(2)]), /writes are refused/);
      await factory.close();
    });
  }

  it('stops writing when another file is put in its place', async () => {
    const path = freshPath();
    const factory = createSqliteStoreFactory({ path });
    const store = await factory.open(1);
    await store.append([record(1)]);
    const other = join(root, 'other.db');
    writeFileSync(other, 'not the same file');
    renameSync(other, path);
    await assert.rejects(store.append([record(2)]), /was replaced by another file/);
    assert.equal(factory.health?.().healthy, false);
    await factory.close();
  });
});
