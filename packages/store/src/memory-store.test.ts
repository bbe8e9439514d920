import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoggedRecord } from '@baton-engine/engine';
import { runPartitionStoreContract } from './contract.js';
import { createMemoryStoreFactory } from './memory-store.js';

runPartitionStoreContract('memory', async () => {
  const factory = createMemoryStoreFactory();
  // The memory factory's data outlives close(), so "reopening" is using the same factory again.
  return { factory, reopen: async () => factory };
});

describe('memory store', () => {
  it('stores copies: mutating a record after append or after read changes nothing stored', async () => {
    const store = await createMemoryStoreFactory().open(1);
    const written = variable(1, 1, { items: ['a'] });
    await store.append([written]);
    (written.value as { value: { items: string[] } }).value.items.push('changed by the caller');
    const [read] = await store.read(1, 1);
    (read!.value as { value: { items: string[] } }).value.items.push('changed by a reader');
    assert.deepEqual(await store.read(1, 1), [variable(1, 1, { items: ['a'] })]);
  });

  it('keeps the partitions of different factories apart', async () => {
    const one = await createMemoryStoreFactory().open(1);
    const other = await createMemoryStoreFactory().open(1);
    await one.append([variable(1, 1, 'x')]);
    assert.equal(await other.lastPosition(), 0);
  });

  it('sees the data again after the factory is closed and the partition opened anew', async () => {
    const factory = createMemoryStoreFactory();
    const store = await factory.open(1);
    await store.append([variable(1, 1, 'x')]);
    await store.close();
    await factory.close();
    assert.deepEqual(await (await factory.open(1)).read(1, 10), [variable(1, 1, 'x')]);
  });

  it('refuses calls on a closed store', async () => {
    const store = await createMemoryStoreFactory().open(1);
    await store.close();
    await assert.rejects(
      store.append([variable(1, 1, 'x')]),
      /append on partition 1 failed: the store is closed/,
    );
    await assert.rejects(store.read(1, 10), /closed/);
  });
});

function variable(partitionId: number, position: number, value: unknown): LoggedRecord {
  return {
    partitionId,
    position,
    key: '1',
    recordType: 'EVENT',
    sourcePosition: -1,
    timestamp: 0,
    valueType: 'VARIABLE',
    intent: 'CREATED',
    value: {
      name: 'v',
      value,
      scopeKey: '1',
      processInstanceKey: '1',
      processDefinitionKey: '1',
      bpmnProcessId: 'p',
    },
  };
}
