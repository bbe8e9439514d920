import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PartitionStore, StoreFactory } from '@baton-engine/store';
import { createMemoryStoreFactory } from '@baton-engine/store';
import { createProcess } from '@baton-engine/builder';
import { createEngine } from './engine.js';
import { BatonError } from './errors.js';

// A store on a database that goes out of reach (a PostgreSQL restarting): every call fails while it is down,
// so after a failed append the partition cannot rebuild its state from the log either. The partition must
// refuse what waits, not crash the process, and carry on once the store answers again.

function unreachableWhile(down: () => boolean, inner: StoreFactory): StoreFactory {
  const gate = <T>(call: () => Promise<T>): Promise<T> =>
    down() ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) : call();
  return {
    description: 'flaky',
    close: () => inner.close(),
    async open(partitionId: number): Promise<PartitionStore> {
      const store = await inner.open(partitionId);
      return {
        partitionId,
        append: (records) => gate(() => store.append(records)),
        read: (from, limit) => gate(() => store.read(from, limit)),
        lastPosition: () => gate(() => store.lastPosition()),
        saveSnapshot: (snapshot) => gate(() => store.saveSnapshot(snapshot)),
        loadSnapshot: () => gate(() => store.loadSnapshot()),
        compact: (position) => gate(() => store.compact(position)),
        exporterPositions: () => gate(() => store.exporterPositions()),
        saveExporterPosition: (id, position) => gate(() => store.saveExporterPosition(id, position)),
        close: () => store.close(),
      };
    },
  };
}

describe('a store out of reach', () => {
  it('refuses commands UNAVAILABLE while it cannot even rebuild the state, and carries on when it returns', async () => {
    let down = false;
    const engine = await createEngine({ store: unreachableWhile(() => down, createMemoryStoreFactory()) });
    try {
      await engine.deploy({
        name: 'p.bpmn',
        xml: await createProcess('p').startEvent().serviceTask('t', { type: 't' }).endEvent().toXml(),
      });
      const first = await engine.createInstance('p', {});

      down = true;
      for (let i = 0; i < 3; i++) {
        await assert.rejects(engine.createInstance('p', {}), (error: unknown) => {
          assert.ok(error instanceof BatonError && error.code === 'UNAVAILABLE', String(error));
          assert.match(error.message, /ECONNREFUSED/);
          return true;
        });
      }

      down = false;
      const second = await engine.createInstance('p', {});
      assert.notEqual(second.processInstanceKey, first.processInstanceKey);
      // Only the two acknowledged instances exist: the refused ones left nothing behind.
      const jobs = await engine.activateJobs({
        type: 't',
        maxJobsToActivate: 10,
        worker: 'w',
        timeout: 60_000,
      });
      assert.deepEqual(
        jobs.map((j) => j.processInstanceKey).sort(),
        [first.processInstanceKey, second.processInstanceKey].sort(),
      );
    } finally {
      down = false;
      await engine.close();
    }
  });
});
