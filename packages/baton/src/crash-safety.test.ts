import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoggedRecord } from '@baton-engine/engine';
import { createSqliteStoreFactory } from '@baton-engine/store-sqlite';
import { createEngine } from './engine.js';
import { waitFor } from './test-support/fixture.js';
import { stateOf } from './internal.js';

const child = fileURLToPath(new URL('./test-support/crash-child.ts', import.meta.url));

/** Runs the child until it acknowledged `acks` creations, then kills it with SIGKILL. */
async function runAndKill(path: string, acks: number): Promise<Set<string>> {
  const acknowledged = new Set<string>();
  const proc = spawn(process.execPath, ['--conditions=baton-src', '--import', 'tsx', child, path], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let buffer = '';
  await new Promise<void>((resolve, reject) => {
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child exited early (${code ?? signal})`));
    });
    proc.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('ACK ')) acknowledged.add(line.slice(4));
      if (acknowledged.size >= acks && proc.exitCode === null && !proc.killed) {
        proc.kill('SIGKILL');
        proc.once('exit', () => resolve());
      }
    });
  });
  return acknowledged;
}

describe('crash safety', () => {
  it('loses no acknowledged instance and no job when the process is killed with SIGKILL mid-run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-crash-'));
    const path = join(dir, 'crash.db');
    try {
      const acknowledged = await runAndKill(path, 1500);
      assert.ok(acknowledged.size >= 1500);

      // Every acknowledged creation is on the log.
      const factory = createSqliteStoreFactory({ path });
      const store = await factory.open(1);
      assert.equal(
        await store.loadSnapshot(),
        undefined,
        'the child never snapshots, so the whole log is there',
      );
      const created = new Set<string>();
      const finished = new Set<string>();
      for (const record of await store.read(1, 10_000_000)) {
        if (record.valueType === 'PROCESS_INSTANCE_CREATION' && record.intent === 'CREATED') {
          created.add(record.value.processInstanceKey);
        }
        if (isProcessCompleted(record)) finished.add(record.key);
      }
      await store.close();
      await factory.close();

      // After restart, every acknowledged instance either completed already or is in the working state
      // and completes once workers run again: no job was lost.
      const engine = await createEngine({ path });
      const state = stateOf(engine);
      const pending = new Set<string>();
      for (const key of acknowledged) {
        if (state.elementInstance(key)) pending.add(key);
        else assert.ok(created.has(key) && finished.has(key), `instance ${key} was acknowledged but is gone`);
      }
      assert.ok(pending.size > 0, 'the kill interrupted some instances');
      engine.onRecords((records) => {
        for (const record of records) if (isProcessCompleted(record)) pending.delete(record.key);
      });
      for (const type of ['task-a', 'task-b', 'task-c'])
        engine.createWorker({ type, timeout: 1_000, handler: () => ({}) });
      // Jobs that were activated before the crash come back after their (2 s) timeout at the latest.
      await waitFor(() => pending.size === 0, `${pending.size} interrupted instances to complete`, 60_000);
      await engine.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function isProcessCompleted(record: LoggedRecord): boolean {
  return (
    record.recordType === 'EVENT' &&
    record.valueType === 'PROCESS_INSTANCE' &&
    record.intent === 'ELEMENT_COMPLETED' &&
    record.value.flowScopeKey === '-1'
  );
}
