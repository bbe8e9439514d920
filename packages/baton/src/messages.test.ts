import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BatonError } from './errors.js';
import { activateOne, completed, memoryEngine, trail, waitFor } from './test-support/fixture.js';
import {
  boundary,
  catchEvent,
  chain,
  end,
  eventGateway,
  flow,
  model,
  receiveTask,
  serviceTask,
  start,
} from './test-support/event-models.js';
import { stateOf } from './internal.js';

const waitForPayment = model('order', [
  start('s'),
  catchEvent('paid', { message: 'payment-received', key: '=orderId' }, 'amount=total'),
  end('e'),
  ...chain('s', 'paid', 'e'),
]);

describe('messages', () => {
  it('correlates a message to the instance waiting with that correlation key, with its variables', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(waitForPayment);
    const a = await engine.createInstance('order', { orderId: 'A' });
    const b = await engine.createInstance('order', { orderId: 'B' });
    await engine.publishMessage('payment-received', 'B', { total: 42 });
    await waitFor(() => completed(records, b.processInstanceKey), 'B to complete');
    assert.equal(completed(records, a.processInstanceKey), false);
    const created = records.find((r) => r.valueType === 'VARIABLE' && r.value.name === 'amount');
    assert.equal(created?.valueType === 'VARIABLE' && created.value.value, 42);
    await engine.close();
  });

  it('buffers a message published before the subscription opens, for its time to live', async () => {
    const { engine, clock, records } = await memoryEngine();
    await engine.deploy(waitForPayment);
    await engine.publishMessage('payment-received', 'early', { total: 1 }, { timeToLive: 60_000 });
    const instance = await engine.createInstance('order', { orderId: 'early' });
    await waitFor(() => completed(records, instance.processInstanceKey), 'the buffered message to correlate');
    // …but not twice to the same process, and not after it expired.
    const second = await engine.createInstance('order', { orderId: 'early' });
    await engine.publishMessage('payment-received', 'late', {}, { timeToLive: 1_000 });
    clock.advance(2_000);
    await engine.flush();
    const waits = stateOf(engine).waits;
    await waitFor(() => waits.bufferedMessages('payment-received', 'late').length === 0, 'expiry');
    assert.equal(
      waits.bufferedMessages('payment-received', 'early').length,
      1,
      'the other is still buffered',
    );
    const third = await engine.createInstance('order', { orderId: 'late' });
    await engine.flush();
    assert.equal(completed(records, second.processInstanceKey), false);
    assert.equal(completed(records, third.processInstanceKey), false);
    await engine.close();
  });

  it('refuses a second message with the same id while the first is buffered', async () => {
    const { engine } = await memoryEngine();
    await engine.publishMessage('m', 'k', {}, { messageId: 'id-1', timeToLive: 60_000 });
    await assert.rejects(
      engine.publishMessage('m', 'k', {}, { messageId: 'id-1', timeToLive: 60_000 }),
      (e: BatonError) => e.code === 'ALREADY_EXISTS' && /id-1/.test(e.message),
    );
    await engine.publishMessage('m', 'k', {}, { messageId: 'id-2' });
    await engine.close();
  });

  it('correlates one message to at most one subscription per process instance', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(
      model('twice', [
        start('s'),
        { xml: '<bpmn:parallelGateway id="fork"/>' },
        catchEvent('c1', { message: 'go', key: '=k' }),
        catchEvent('c2', { message: 'go', key: '=k' }),
        end('e1'),
        end('e2'),
        ...chain('s', 'fork'),
        ...chain('fork', 'c1', 'e1'),
        ...chain('fork', 'c2', 'e2'),
      ]),
    );
    const instance = await engine.createInstance('twice', { k: 'x' });
    await engine.publishMessage('go', 'x');
    await engine.flush();
    const done = trail(records, instance.processInstanceKey).filter(
      (t) => t.endsWith(':ELEMENT_COMPLETED') && t.startsWith('c'),
    );
    assert.equal(done.length, 1);
    await engine.publishMessage('go', 'x');
    await waitFor(
      () => completed(records, instance.processInstanceKey),
      'the second message to reach the second catch',
    );
    await engine.close();
  });

  it('a receive task and an interrupting message boundary event', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(
      model('recv', [start('s'), receiveTask('r', 'confirm', '=id'), end('e'), ...chain('s', 'r', 'e')]),
    );
    await engine.deploy(
      model('cancelable', [
        start('s'),
        serviceTask('ship', 'ship'),
        boundary('cancel', 'ship', { message: 'cancel-order', key: '=id' }),
        end('shipped'),
        end('canceled'),
        ...chain('s', 'ship', 'shipped'),
        flow('cancel', 'canceled'),
      ]),
    );
    const r = await engine.createInstance('recv', { id: 7 });
    await engine.publishMessage('confirm', '7');
    await waitFor(() => completed(records, r.processInstanceKey), 'the receive task (numeric key)');
    const c = await engine.createInstance('cancelable', { id: 'o-1' });
    await activateOne(engine, 'ship');
    await engine.publishMessage('cancel-order', 'o-1');
    await waitFor(() => completed(records, c.processInstanceKey), 'the cancel path');
    assert.ok(trail(records, c.processInstanceKey).includes('ship:ELEMENT_TERMINATED'));
    assert.ok(trail(records, c.processInstanceKey).includes('canceled:ELEMENT_COMPLETED'));
    await engine.close();
  });

  it('a message start event creates an instance with the message variables', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(
      model('on-order', [
        start('s', { message: 'order-placed' }),
        serviceTask('t', 'handle'),
        end('e'),
        ...chain('s', 't', 'e'),
      ]),
    );
    await engine.publishMessage('order-placed', '', { orderId: 'Z' });
    const job = await activateOne(engine, 'handle');
    assert.equal(job.variables.orderId, 'Z');
    await engine.completeJob(job.key);
    await waitFor(() => completed(records, job.processInstanceKey), 'completion');
    await engine.close();
  });

  it('an event-based gateway: the first event wins and the others are closed', async () => {
    const { engine, clock, records } = await memoryEngine();
    await engine.deploy(
      model('race', [
        start('s'),
        eventGateway('gw'),
        catchEvent('answer', { message: 'answer', key: '=id' }),
        catchEvent('timeout', { timer: 'duration', value: 'PT1H' }),
        end('answered'),
        end('timedOut'),
        ...chain('s', 'gw'),
        ...chain('gw', 'answer', 'answered'),
        ...chain('gw', 'timeout', 'timedOut'),
      ]),
    );
    const quick = await engine.createInstance('race', { id: 'q' });
    const slow = await engine.createInstance('race', { id: 's' });
    await engine.publishMessage('answer', 'q', { reply: 'yes' });
    await waitFor(() => completed(records, quick.processInstanceKey), 'the message path');
    assert.ok(trail(records, quick.processInstanceKey).includes('answered:ELEMENT_COMPLETED'));
    clock.advance(3_600_000);
    await waitFor(() => completed(records, slow.processInstanceKey), 'the timer path');
    assert.ok(trail(records, slow.processInstanceKey).includes('timedOut:ELEMENT_COMPLETED'));
    const state = stateOf(engine);
    assert.equal(state.waits.timers.size + state.waits.messageSubscriptions.size, 0, 'nothing left open');
    await engine.close();
  });

  it('a correlation key that is null or not a string/number is an incident naming the element', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy(waitForPayment);
    await engine.createInstance('order', {});
    await engine.createInstance('order', { orderId: { nested: true } });
    const incidents = [...stateOf(engine).openIncidents()];
    assert.equal(incidents.length, 2);
    for (const incident of incidents) {
      assert.equal(incident.value.elementId, 'paid');
      assert.match(incident.value.errorMessage, /correlation key.*must be either a string or a number/);
    }
    await assert.rejects(engine.publishMessage('', 'k'), (e: BatonError) => e.code === 'INVALID_ARGUMENT');
    await engine.publishMessage('nobody-waits-for-this', 'k'); // an unknown name is fine: nothing correlates
    await engine.close();
  });

  it('works across partitions', async () => {
    const { engine, records } = await memoryEngine({ partitions: 3 });
    await engine.deploy(waitForPayment);
    const instances = await Promise.all(
      ['a', 'b', 'c', 'd', 'e', 'f'].map((orderId) => engine.createInstance('order', { orderId })),
    );
    for (const orderId of ['a', 'b', 'c', 'd', 'e', 'f'])
      await engine.publishMessage('payment-received', orderId);
    await waitFor(
      () => instances.every((i) => completed(records, i.processInstanceKey)),
      'all instances on all partitions',
    );
    await engine.close();
  });
});
