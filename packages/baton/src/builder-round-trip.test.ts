import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { memoryEngine } from './test-support/fixture.js';

describe('builder round trip', () => {
  it('a process written with the builder deploys and runs on the engine', async () => {
    const { engine } = await memoryEngine();
    const order = createProcess('order', { name: 'Order' })
      .startEvent('received')
      .serviceTask('charge', { type: 'payment', inputs: [{ source: '= order.total', target: 'amount' }] })
      .exclusiveGateway('paid')
      .condition('= charged')
      .parallelGateway('fork')
      .scriptTask('discount', { expression: '= order.total * 0.1', resultVariable: 'discount' })
      .parallelGateway('join')
      .moveToNode('fork')
      .manualTask('pack')
      .connectTo('join')
      .endEvent('shipped')
      .moveToNode('paid')
      .defaultFlow()
      .endEvent('rejected')
      .done();
    const deployment = await engine.deploy(order);
    assert.equal(deployment.processes[0]!.resourceName, 'order.bpmn');
    engine.createWorker({
      type: 'payment',
      handler: (job) => ({ charged: (job.variables.amount as number) > 0 }),
    });
    const paid = await engine.createInstanceWithResult('order', { order: { total: 50 } });
    assert.equal(paid.variables.discount, 5);
    const rejected = await engine.createInstanceWithResult('order', { order: { total: 0 } });
    assert.equal(rejected.variables.charged, false);
    await engine.close();
  });
});
