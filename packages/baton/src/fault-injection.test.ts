import { after, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { PartitionStore, StoreFactory } from '@baton-engine/store';
import { createSqliteStoreFactory } from '@baton-engine/store-sqlite';
import { createProcess } from '@baton-engine/builder';
import { createEngine } from './engine.js';
import type { Engine } from './engine.js';
import { BatonError } from './errors.js';
import { stateOf } from './internal.js';

// Storage faults under a running engine (issue 14), beside the SIGKILL test in crash-safety.test.ts: a full
// disk, a read-only file, a corrupt page and a slow fsync. Each case checks that nothing acknowledged is
// lost, that the failing writes are answered UNAVAILABLE naming the fault, that engine.health() (what
// GET /readyz answers) says what is wrong, and that the engine recovers once the fault is gone.
//
// Real faults need root (mount, chattr); a case the machine cannot do is skipped saying why, never passed.

const root = mkdtempSync(join(tmpdir(), 'baton-faults-'));
const mounts: string[] = [];
after(() => {
  for (const dir of mounts.splice(0)) unmount(dir);
  rmSync(root, { recursive: true, force: true });
});
// Also when the run is cut short: a mount left behind would outlive the test.
process.once('exit', () => mounts.forEach(unmount));

function run(command: string, args: string[]): void {
  execFileSync(command, args, { stdio: 'pipe' });
}

function unmount(dir: string): void {
  try {
    run('chattr', ['-R', '-i', dir]);
  } catch {
    // tmpfs has no attributes; nothing to undo
  }
  try {
    run('umount', [dir]);
  } catch {
    run('umount', ['-l', dir]); // busy (a file still open): detach now, freed when closed
  }
  const index = mounts.indexOf(dir);
  if (index >= 0) mounts.splice(index, 1);
}

/** Mounts a file system for one test; the reason it cannot, or undefined. Unmounted after the test. */
function mount(t: TestContext, args: string[], dir: string): string | undefined {
  mkdirSync(dir, { recursive: true });
  try {
    run('mount', [...args, dir]);
  } catch (error) {
    return `cannot mount here (${(error as Error).message.split('\n')[0]}); needs root and mount(8)`;
  }
  mounts.push(dir);
  t.after(() => unmount(dir));
  return undefined;
}

const waiting = createProcess('waiting').startEvent().userTask('wait').endEvent().done();
/** Variables that do not compress (the log is deflated), to fill a disk quickly. */
const incompressible = (bytes: number) => ({ pad: randomBytes(bytes).toString('base64') });

/** Creates instances until `stop` says so; returns the acknowledged keys and the failures. */
async function createUntil(
  engine: Engine,
  count: number,
  bytes: number,
  stopAfterFailures = 3,
): Promise<{ acknowledged: string[]; failures: unknown[] }> {
  const acknowledged: string[] = [];
  const failures: unknown[] = [];
  for (let i = 0; i < count && failures.length < stopAfterFailures; i++) {
    try {
      acknowledged.push((await engine.createInstance('waiting', incompressible(bytes))).processInstanceKey);
    } catch (error) {
      failures.push(error);
    }
  }
  return { acknowledged, failures };
}

/** Restarts on the file and checks that every acknowledged instance is in the recovered state. */
async function assertAllThere(path: string, acknowledged: readonly string[]): Promise<void> {
  const engine = await createEngine({ path });
  try {
    const state = stateOf(engine);
    const missing = acknowledged.filter((key) => !state.elementInstance(key));
    assert.deepEqual(missing, [], `${missing.length} of ${acknowledged.length} acknowledged instances lost`);
  } finally {
    await engine.close();
  }
}

function assertUnavailable(failure: unknown, pattern: RegExp): void {
  assert.ok(failure instanceof BatonError, `expected a BatonError, got ${String(failure)}`);
  assert.equal(failure.code, 'UNAVAILABLE', failure.message);
  assert.match(failure.message, pattern);
}

describe('fault injection: storage', { timeout: 120_000 }, () => {
  it('disk full: writes are refused UNAVAILABLE naming it, health says so, and it recovers once space is freed', async (t) => {
    const dir = join(root, 'full');
    const reason = mount(t, ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs'], dir);
    if (reason) return t.skip(reason);
    const path = join(dir, 'baton.db');
    const engine = await createEngine({ path });
    try {
      await engine.deploy(waiting);
      const { acknowledged, failures } = await createUntil(engine, 1_000, 16_000);
      assert.ok(failures.length > 0, 'the 2 MB disk filled up');
      for (const failure of failures) assertUnavailable(failure, /disk is full|SQLITE_FULL/);
      const health = engine.health();
      assert.equal(health.healthy, false);
      assert.match(health.store.detail ?? '', /the disk is full/);
      assert.match(health.partitions[0]!.detail ?? '', /full/);

      // Space freed: the next write succeeds and the engine is healthy again.
      run('mount', ['-o', 'remount,size=64m', dir]);
      acknowledged.push((await engine.createInstance('waiting', { after: true })).processInstanceKey);
      assert.equal(engine.health().healthy, true, JSON.stringify(engine.health()));
      await engine.close();
      await assertAllThere(path, acknowledged);
    } finally {
      await engine.close();
    }
  });

  it('read-only files: writes are refused UNAVAILABLE naming it, health says so, and it recovers once writable', async (t) => {
    const image = join(root, 'ro.img');
    const dir = join(root, 'ro');
    try {
      run('truncate', ['-s', '16M', image]);
      run('mkfs.ext4', ['-q', '-F', image]);
    } catch (error) {
      return t.skip(`cannot make an ext4 image (${(error as Error).message.split('\n')[0]})`);
    }
    const reason = mount(t, ['-o', 'loop', image], dir);
    if (reason) return t.skip(reason);
    const path = join(dir, 'baton.db');
    const engine = await createEngine({ path });
    try {
      await engine.deploy(waiting);
      const { acknowledged } = await createUntil(engine, 20, 100);
      assert.equal(acknowledged.length, 20);

      // Immutable even for root, and also for the descriptors SQLite holds open (a read-only remount is
      // refused while files are open for writing).
      run('chattr', ['+i', path, `${path}-wal`]);
      const { failures } = await createUntil(engine, 3, 100);
      assert.equal(failures.length, 3);
      for (const failure of failures) assertUnavailable(failure, /read-only/);
      const health = engine.health();
      assert.equal(health.healthy, false);
      assert.match(health.store.detail ?? '', /read-only/);

      run('chattr', ['-i', path, `${path}-wal`]);
      acknowledged.push((await engine.createInstance('waiting', {})).processInstanceKey);
      assert.equal(engine.health().healthy, true, JSON.stringify(engine.health()));
      await engine.close();

      // Read-only from the start: the engine refuses to start, naming the file; nothing is lost.
      run('mount', ['-o', 'remount,ro', dir]);
      await assert.rejects(createEngine({ path }), /baton\.db.*read-only/);
      run('mount', ['-o', 'remount,rw', dir]);
      await assertAllThere(path, acknowledged);
    } finally {
      try {
        run('chattr', ['-i', path, `${path}-wal`]);
      } catch {
        // already writable, or the files are gone
      }
      await engine.close();
    }
  });

  it('a corrupt page in the snapshot: a restart refuses the file naming it, or starts with every acknowledged instance', async () => {
    const dir = join(root, 'corrupt-snapshot');
    const path = join(dir, 'baton.db');
    const engine = await createEngine({ path });
    await engine.deploy(waiting);
    const { acknowledged } = await createUntil(engine, 150, 2_000);
    await engine.close(); // writes a snapshot and checkpoints the write-ahead log into the file
    await corruptCopies(dir, [path], acknowledged);
    await assertAllThere(path, acknowledged); // the original is untouched
  });

  it('a corrupt page in the log (no snapshot): a restart refuses the file naming it, or starts with every acknowledged instance', async () => {
    const dir = join(root, 'corrupt-log');
    const path = join(dir, 'baton.db');
    const engine = await createEngine({ path });
    try {
      await engine.deploy(waiting);
      // Past SQLite's automatic checkpoint (1,000 pages of write-ahead log): most of the log is in the file.
      const { acknowledged } = await createUntil(engine, 400, 9_000);
      // Copied as a crash would leave them (no snapshot, no final checkpoint): the file and its log.
      await engine.flush();
      await corruptCopies(dir, [path, `${path}-wal`], acknowledged);
    } finally {
      await engine.close();
    }
  });

  it('a corrupt frame in the write-ahead log: a restart refuses the file naming it, never starts without acknowledged instances', async () => {
    // SQLite takes a frame whose checksum fails for the torn end of a write and ignores it and every frame
    // after it; the store checks the log first and refuses one damaged before committed transactions.
    const dir = join(root, 'corrupt-wal');
    const path = join(dir, 'baton.db');
    const engine = await createEngine({ path });
    try {
      await engine.deploy(waiting);
      const { acknowledged } = await createUntil(engine, 150, 2_000);
      await engine.flush();
      const copyDir = join(dir, 'copy');
      mkdirSync(copyDir);
      copyFileSync(path, join(copyDir, 'baton.db'));
      copyFileSync(`${path}-wal`, join(copyDir, 'baton.db-wal'));
      const fd = openSync(join(copyDir, 'baton.db-wal'), 'r+');
      writeSync(fd, randomBytes(64), 0, 64, Math.floor(statSync(`${path}-wal`).size * 0.3));
      closeSync(fd);
      await assert.rejects(createEngine({ path: join(copyDir, 'baton.db') }), /baton\.db-wal is damaged/);
      // The same files undamaged hold every acknowledged instance: what the refusal keeps from being lost.
      const intactDir = join(dir, 'intact');
      mkdirSync(intactDir);
      copyFileSync(path, join(intactDir, 'baton.db'));
      copyFileSync(`${path}-wal`, join(intactDir, 'baton.db-wal'));
      await assertAllThere(join(intactDir, 'baton.db'), acknowledged);
    } finally {
      await engine.close();
    }
  });

  it('slow fsync: commands wait for durability and are batched; nothing acknowledged is lost, health stays up', async () => {
    const dir = join(root, 'slow');
    const path = join(dir, 'baton.db');
    let appends = 0;
    const slow = slowAppends(createSqliteStoreFactory({ path }), 200, () => appends++);
    const engine = await createEngine({ store: slow, maxQueuedCommands: 300 });
    await engine.deploy(waiting);
    const started = Date.now();
    const before = appends;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 400 }, () => engine.createInstance('waiting', {})),
    );
    const acknowledged = outcomes.flatMap((o) =>
      o.status === 'fulfilled' ? [o.value.processInstanceKey] : [],
    );
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    // Past the queue limit, commands are refused at once (back-pressure), not queued behind the slow disk.
    for (const failure of refused) {
      assert.ok(failure instanceof BatonError);
      assert.equal(failure.code, 'RESOURCE_EXHAUSTED', failure.message);
    }
    assert.ok(acknowledged.length >= 300, `${acknowledged.length} acknowledged`);
    assert.ok(appends - before < 40, `group commit: ${appends - before} appends for ${acknowledged.length}`);
    assert.ok(Date.now() - started >= 200, 'acknowledged only after the slow append');
    assert.equal(engine.health().healthy, true, 'slow is not broken');
    await engine.close();
    await assertAllThere(path, acknowledged);
  });
});

/**
 * For a dozen pages across the database file: a copy of the files with 512 random bytes in that page must
 * either be refused at start, naming the partition and the file, or start with every acknowledged instance.
 */
async function corruptCopies(dir: string, files: readonly string[], acknowledged: readonly string[]) {
  const pageSize = 4096;
  const pages = Math.floor(statSync(files[0]!).size / pageSize);
  assert.ok(pages > 10, `the file has ${pages} pages`);
  let refused = 0;
  for (let page = 1; page < pages; page += Math.max(1, Math.floor(pages / 12))) {
    const copyDir = join(dir, `copy-${page}`);
    mkdirSync(copyDir);
    for (const file of files) copyFileSync(file, join(copyDir, basename(file)));
    const copy = join(copyDir, basename(files[0]!));
    const fd = openSync(copy, 'r+');
    writeSync(fd, randomBytes(512), 0, 512, page * pageSize + 100);
    closeSync(fd);
    let started: Engine | undefined;
    try {
      started = await createEngine({ path: copy });
    } catch (error) {
      refused++;
      const message = (error as Error).message;
      if (process.env.BATON_FAULTS_VERBOSE) console.log(`page ${page}: ${message}`);
      assert.match(message, /^partition 1 could not be recovered from sqlite:.*copy-\d+\/baton\.db: /);
      assert.match(message, /malformed|corrupt|SQLITE_|invalid|inflat|JSON|Unexpected/i);
      // Refused, the file is not held: the same process may start on it once it is repaired.
      await assert.rejects(createEngine({ path: copy }), /could not be recovered/);
      continue;
    }
    // Started: then nothing acknowledged may be missing (a page it did not need, or one it could repair).
    const state = stateOf(started);
    const missing = acknowledged.filter((key) => !state.elementInstance(key));
    await started.close();
    assert.deepEqual(missing, [], `page ${page} corrupt: started without ${missing.length} instances`);
  }
  assert.ok(refused > 0, 'some corrupt page was noticed');
}

/** A store factory whose appends take `delayMs` longer, as on a disk with a slow fsync. */
function slowAppends(factory: StoreFactory, delayMs: number, counted: () => void): StoreFactory {
  return {
    description: factory.description,
    health: factory.health?.bind(factory),
    close: () => factory.close(),
    async open(partitionId: number): Promise<PartitionStore> {
      const store = await factory.open(partitionId);
      return {
        partitionId: store.partitionId,
        async append(records) {
          counted();
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          await store.append(records);
        },
        read: (from, limit) => store.read(from, limit),
        lastPosition: () => store.lastPosition(),
        saveSnapshot: (snapshot) => store.saveSnapshot(snapshot),
        loadSnapshot: () => store.loadSnapshot(),
        compact: (upTo) => store.compact(upTo),
        exporterPositions: () => store.exporterPositions(),
        saveExporterPosition: (id, position) => store.saveExporterPosition(id, position),
        close: () => store.close(),
      };
    },
  };
}
