import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess, MAX_BATCH_OPERATION_ITEMS } from '@baton-engine/baton';
import type { BatchOperation } from '@baton-engine/baton';
import { BATCH_PAGE_SIZE, readModelItemSource } from './batch-item-source.js';
import { startV2TestServer } from './test-server.js';
import type { V2TestServer } from './test-server.js';

describe('batch operation item source (read model)', () => {
  let server: V2TestServer;
  before(async () => {
    server = await startV2TestServer();
    await server.engine.deploy(createProcess('paged').startEvent().userTask('a').endEvent().done());
  });
  after(() => server.close());

  it('misses no instance when one found on an earlier page ends before the next page is searched', async () => {
    const keys: string[] = [];
    for (let i = 0; i < BATCH_PAGE_SIZE + 20; i++)
      keys.push((await server.engine.createInstance('paged')).processInstanceKey);
    await server.settled();
    const source = readModelItemSource(server.readModel);
    const operation = {
      batchOperationType: 'CANCEL_PROCESS_INSTANCE',
      filter: { processDefinitionId: 'paged' },
    } as unknown as BatchOperation;

    const first = await source.items(operation, '');
    assert.equal(first.items.length, BATCH_PAGE_SIZE);
    assert.equal(first.last, false);
    // An instance of the first page ends (another client cancels it) while the operation initializes.
    await server.engine.cancelInstance(first.items[0]!.processInstanceKey);
    await server.settled();

    const found = new Set(first.items.map((i) => i.itemKey));
    let page = first;
    while (!page.last) {
      page = await source.items(operation, page.cursor);
      for (const item of page.items) found.add(item.itemKey);
    }
    assert.deepEqual(
      keys.filter((k) => !found.has(k)),
      [],
    );
  });

  it('refuses a creation whose filter finds more instances than a batch operation takes (400 naming filter)', async () => {
    await server.engine.deploy(createProcess('many').startEvent().userTask('a').endEvent().done());
    for (let i = 0; i < MAX_BATCH_OPERATION_ITEMS + 1; i += 100)
      await Promise.all(
        Array.from({ length: Math.min(100, MAX_BATCH_OPERATION_ITEMS + 1 - i) }, () =>
          server.engine.createInstance('many'),
        ),
      );
    await server.settled();
    const refused = await server.app.inject({
      method: 'POST',
      url: '/v2/process-instances/cancellation',
      payload: { filter: { processDefinitionId: 'many' } },
    });
    assert.equal(refused.statusCode, 400, refused.body);
    assert.match(refused.body, /filter/);
    assert.match(refused.body, new RegExp(`finds ${MAX_BATCH_OPERATION_ITEMS + 1} process instances`));
    assert.equal(server.engine.batchOperations().length, 0);
  });
});
