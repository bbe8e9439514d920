import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoggedRecord } from '@baton-engine/engine';
import type { Bus, OutgoingMessage } from './bus/bus.js';
import { BusUnavailableError } from './bus/bus.js';
import { MemoryBroker } from './bus/memory-bus.js';
import { BUS_PUBLISH_JOB_TYPE } from './config.js';
import { FailingStoreFactory } from './test-support/failing-store.js';
import { createEngine } from '@baton-engine/baton';
import { startConnectors } from './connectors.js';
import {
  collectEnvelopes,
  completed,
  RecordingLog,
  startFixture,
  waitUntil,
} from './test-support/fixture.js';
import { announceOrder, workThenNotify } from './test-support/models.js';

const busJobCreated = (r: LoggedRecord) =>
  r.recordType === 'EVENT' &&
  r.valueType === 'JOB' &&
  r.intent === 'CREATED' &&
  r.value.type === BUS_PUBLISH_JOB_TYPE;

describe('outbound connector (transactional outbox)', () => {
  it('publishes the message a send task builds by FEEL, waits for the confirm, then completes the job', async (t) => {
    const f = await startFixture({ config: { source: 'order-service' } });
    t.after(() => f.close());
    const spy = await collectEnvelopes(f.peer, 'orders.placed');
    await f.engine.deploy(announceOrder());
    const { processInstanceKey } = await f.engine.createInstance('announce-order', {
      orderId: 'o-1',
      total: 99.5,
      traceId: 'trace-1',
      secret: 'not in the message',
    });
    await waitUntil(() => completed(f.records, processInstanceKey), 'the instance to complete');
    const job = f.records.find(busJobCreated)!;
    assert.equal(spy.envelopes.length, 1);
    const [envelope] = spy.envelopes;
    assert.deepEqual(
      { ...envelope, time: undefined },
      {
        specversion: '1.0',
        type: 'order.placed',
        id: `order-service:${job.key}`,
        source: 'order-service',
        time: undefined,
        traceId: 'trace-1',
        correlationId: 'o-1',
        datacontenttype: 'application/json',
        data: { orderId: 'o-1', total: 99.5 },
      },
    );
    assert.equal(spy.deliveries[0]!.id, envelope!.id, 'the broker message id is the envelope id');
    const completion = f.records.find(
      (r) => r.valueType === 'JOB' && r.intent === 'COMPLETED' && r.key === job.key,
    );
    assert.ok(completion && completion.recordType === 'EVENT' && completion.valueType === 'JOB');
    assert.deepEqual(completion.value.variables, {
      announced: { id: envelope!.id, subject: 'orders.placed', type: 'order.placed', time: envelope!.time },
    });
    assert.equal(f.connectors.metrics.outboundPublished.get(), 1);
  });

  it('publishes from message throw and end events as well', async (t) => {
    const f = await startFixture();
    t.after(() => f.close());
    const worked = await collectEnvelopes(f.peer, 'orders.worked');
    const finished = await collectEnvelopes(f.peer, 'orders.finished');
    await f.engine.deploy(workThenNotify());
    f.engine.createWorker({ type: 'work', handler: () => ({}) });
    const { processInstanceKey } = await f.engine.createInstance('work-then-notify', { orderId: 'o-2' });
    await waitUntil(() => completed(f.records, processInstanceKey), 'the instance to complete');
    assert.deepEqual(
      worked.envelopes.map((e) => [e.type, e.data]),
      [['orders.worked', { orderId: 'o-2' }]],
    );
    assert.deepEqual(
      finished.envelopes.map((e) => [e.type, e.data]),
      [['order.finished', 'o-2']],
    );
  });

  it('publishes nothing for a step whose batch could not be committed', async (t) => {
    const store = new FailingStoreFactory();
    const f = await startFixture({ engine: { store } });
    t.after(() => f.close());
    const spy = await collectEnvelopes(f.peer, 'orders.placed');
    await f.engine.deploy(announceOrder());
    store.failNextAppend((records) => records.some(busJobCreated));
    await assert.rejects(
      f.engine.createInstance('announce-order', { orderId: 'lost', total: 1, traceId: '' }),
      (error: Error & { code?: string }) => error.code === 'UNAVAILABLE',
    );
    assert.equal(store.refused, 1);
    const second = await f.engine.createInstance('announce-order', {
      orderId: 'kept',
      total: 2,
      traceId: '',
    });
    await waitUntil(() => completed(f.records, second.processInstanceKey), 'the second instance to complete');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(
      spy.envelopes.map((e) => e.correlationId),
      ['kept'],
      'only the committed step was published',
    );
  });

  it('keeps the engine working while the broker is down; the messages wait and go out when it is back', async (t) => {
    const broker = new MemoryBroker();
    const f = await startFixture({ buses: { connectors: broker.connect(), peer: broker.connect() } });
    t.after(() => f.close());
    const spy = await collectEnvelopes(f.peer, 'orders.finished');
    await f.engine.deploy(workThenNotify());
    let worked = 0;
    f.engine.createWorker({ type: 'work', handler: () => void worked++ });
    broker.setAvailable(false);
    const keys: string[] = [];
    for (let i = 0; i < 5; i++) {
      keys.push(
        (await f.engine.createInstance('work-then-notify', { orderId: `o-${i}` })).processInstanceKey,
      );
    }
    // The engine goes on: the service tasks are done; the messages wait as jobs.
    await waitUntil(() => worked === 5, 'the service tasks to be done while the broker is down');
    await waitUntil(() => f.connectors.metrics.outboundWaiting.get() === 5, '5 outbound jobs waiting');
    assert.equal(f.connectors.metrics.busConnected.get({ bus: 'memory' }), 0);
    assert.ok(f.log.has(/WARN bus unreachable: the engine keeps working/), f.log.lines.join('\n'));
    assert.equal(keys.filter((k) => completed(f.records, k)).length, 0);

    broker.setAvailable(true);
    await waitUntil(
      () => keys.every((k) => completed(f.records, k)),
      'every instance to complete after the broker is back',
    );
    assert.equal(spy.envelopes.length, 5);
    assert.equal(f.connectors.metrics.busConnected.get({ bus: 'memory' }), 1);
    assert.equal(f.connectors.metrics.outboundWaiting.get(), 0);
    assert.ok(f.log.has(/INFO bus connected/));
  });

  it('starts while the broker is unreachable, and publishes once it is reachable', async (t) => {
    const broker = new MemoryBroker();
    broker.setAvailable(false);
    const engine = await createEngine({ store: 'memory' });
    const log = new RecordingLog();
    const connectors = await startConnectors(
      engine,
      { bus: { kind: 'memory' } },
      { bus: broker.connect(), log, initialConnectTimeoutMs: 50 },
    );
    t.after(async () => {
      await connectors.stop();
      await engine.close();
    });
    assert.ok(log.has(/WARN bus not reachable yet: outbound messages wait in the engine until it is/));
    await engine.deploy(announceOrder());
    const records: LoggedRecord[] = [];
    engine.onRecords((batch) => records.push(...batch));
    const { processInstanceKey } = await engine.createInstance('announce-order', {
      orderId: 'o',
      total: 1,
      traceId: 't',
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(completed(records, processInstanceKey), false);
    broker.setAvailable(true);
    const spy = await collectEnvelopes(broker.connect(), 'orders.placed');
    await waitUntil(
      () => completed(records, processInstanceKey),
      'the instance to complete once the broker is up',
    );
    await waitUntil(() => spy.envelopes.length === 1, 'the message');
  });

  it('tries a publish the broker did not confirm again later, with the same id and retries untouched', async (t) => {
    const broker = new MemoryBroker();
    const flaky = new FlakyBus(broker.connect(), 2);
    const f = await startFixture({ buses: { connectors: flaky, peer: broker.connect() } });
    t.after(() => f.close());
    const spy = await collectEnvelopes(f.peer, 'orders.placed');
    await f.engine.deploy(announceOrder());
    const { processInstanceKey } = await f.engine.createInstance('announce-order', {
      orderId: 'o-3',
      total: 3,
      traceId: 't',
    });
    await waitUntil(() => completed(f.records, processInstanceKey), 'the instance to complete', 10_000);
    const failures = f.records.filter((r) => r.valueType === 'JOB' && r.intent === 'FAILED');
    assert.equal(failures.length, 2);
    for (const failure of failures) {
      assert.ok(failure.valueType === 'JOB');
      assert.equal(failure.value.retries, 3, 'an unreachable broker does not use up retries');
      assert.match(
        failure.value.errorMessage,
        /the bus did not take the message to 'orders\.placed' \(attempt \d/,
      );
    }
    assert.deepEqual(
      flaky.attemptedIds,
      Array(3).fill(spy.envelopes[0]!.id),
      'every attempt had the same id',
    );
    assert.equal(spy.envelopes.length, 1);
    assert.equal(f.connectors.metrics.outboundPublishFailures.get(), 2);
  });

  it('raises an incident naming the header when the message cannot be built; resolving it publishes', async (t) => {
    const f = await startFixture();
    t.after(() => f.close());
    const spy = await collectEnvelopes(f.peer, 'orders.placed');
    await f.engine.deploy(announceOrder());
    // The trace id header must give a string, not an object.
    const { processInstanceKey } = await f.engine.createInstance('announce-order', {
      orderId: 'o-4',
      total: 4,
      traceId: { id: 7 },
    });
    await waitUntil(
      () => f.records.some((r) => r.valueType === 'INCIDENT' && r.intent === 'CREATED'),
      'an incident',
    );
    const incident = f.records.find((r) => r.valueType === 'INCIDENT' && r.intent === 'CREATED')!;
    assert.ok(incident.valueType === 'INCIDENT');
    assert.match(
      incident.value.errorMessage,
      /traceId: expected '=traceId' to give a string, but it gave \{"id":7\}/,
    );
    assert.equal(f.connectors.metrics.outboundIncidents.get(), 1);
    assert.equal(spy.envelopes.length, 0);

    await f.engine.setVariables(processInstanceKey, { traceId: 'fixed' });
    await f.engine.updateJobRetries(incident.value.jobKey, 1);
    await f.engine.resolveIncident(incident.key);
    await waitUntil(() => completed(f.records, processInstanceKey), 'the instance to complete after the fix');
    assert.deepEqual(
      spy.envelopes.map((e) => e.traceId),
      ['fixed'],
    );
  });
});

/** A bus whose first `failures` publishes are not confirmed, though it says it is connected. */
class FlakyBus implements Bus {
  readonly kind = 'memory';
  readonly attemptedIds: string[] = [];

  constructor(
    private readonly inner: Bus,
    private failures: number,
  ) {}

  get state() {
    return this.inner.state;
  }

  onStateChange(listener: Parameters<Bus['onStateChange']>[0]) {
    return this.inner.onStateChange(listener);
  }

  async publish(subject: string, message: OutgoingMessage): Promise<void> {
    this.attemptedIds.push(message.id);
    if (this.failures > 0) {
      this.failures--;
      throw new BusUnavailableError('no confirm within 5000 ms (simulated)');
    }
    await this.inner.publish(subject, message);
  }

  subscribe(...args: Parameters<Bus['subscribe']>) {
    return this.inner.subscribe(...args);
  }

  declareGroup(...args: Parameters<Bus['declareGroup']>) {
    return this.inner.declareGroup(...args);
  }

  close() {
    return this.inner.close();
  }
}
