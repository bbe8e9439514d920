import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreFactory } from '@baton-engine/store';
import { createMemoryStoreFactory } from '@baton-engine/store';
import { createEngine } from '../engine.js';
import { oneTask } from '../test-support/models.js';

/** Wraps a store factory to count appends (each one is a transaction with one fsync on SQLite). */
function countingFactory(): { factory: StoreFactory; appends: () => number } {
  const inner = createMemoryStoreFactory();
  let appends = 0;
  return {
    appends: () => appends,
    factory: {
      description: 'counting',
      close: () => inner.close(),
      async open(partitionId) {
        const store = await inner.open(partitionId);
        return Object.assign(Object.create(store) as typeof store, {
          append: (records: Parameters<typeof store.append>[0]) => {
            appends += 1;
            return store.append(records);
          },
        });
      },
    },
  };
}

describe('group commit', () => {
  it('writes many concurrent commands in one append', async () => {
    const { factory, appends } = countingFactory();
    const engine = await createEngine({ store: factory });
    await engine.deploy(oneTask('p', 'work'));
    const before = appends();
    await Promise.all(Array.from({ length: 500 }, () => engine.createInstance('p')));
    const used = appends() - before;
    assert.ok(used <= 5, `500 creations took ${used} appends`);
    await engine.close();
  });
});
