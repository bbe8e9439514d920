import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Engine } from '@baton-engine/baton';
import { BatonError, createEngine } from '@baton-engine/baton';
import type { Bus, Delivery } from './bus/bus.js';
import { BusUnavailableError } from './bus/bus.js';
import { AmqpBus } from './bus/amqp-bus.js';
import { MemoryBroker } from './bus/memory-bus.js';
import { NatsBus } from './bus/nats-bus.js';
import type { DeadLetter } from './dead-letter.js';
import { DEAD_LETTER_HEADERS, readDeadLetter } from './dead-letter.js';
import { amqpNamespace, natsNamespace, requireBroker } from './test-support/brokers.js';
import { boundOrderXml } from './test-support/bound-models.js';
import { completed, publishEnvelope, startFixture, waitUntil } from './test-support/fixture.js';
import { payOrder } from './test-support/models.js';
import { wrapBus } from './test-support/wrap-bus.js';

/** Two clients of one broker in a fresh namespace: the engine's connectors and a peer. */
interface Buses {
  readonly connectors: Bus;
  readonly peer: Bus;
  dispose(): Promise<void>;
}

const brokers: Record<string, () => Promise<Buses>> = {
  'in-process bus': async () => {
    const broker = new MemoryBroker({ ackWaitMs: 5_000 });
    return { connectors: broker.connect(), peer: broker.connect(), dispose: async () => undefined };
  },
  'NATS JetStream': async () => {
    await requireBroker('nats');
    const namespace = natsNamespace();
    return {
      connectors: new NatsBus(namespace.options),
      peer: new NatsBus(namespace.options),
      dispose: () => namespace.dispose(),
    };
  },
  RabbitMQ: async () => {
    await requireBroker('amqp');
    const namespace = amqpNamespace();
    return {
      connectors: new AmqpBus(namespace.options),
      peer: new AmqpBus(namespace.options),
      dispose: () => namespace.dispose(),
    };
  },
};

/** Payment events whose message name and correlation key come from the data; only paid amounts count. */
const paymentEvents = {
  name: 'payment events',
  subject: 'payment.events.*',
  group: 'orders.payment-events',
  activationCondition: '=data.amount > 0',
  correlate: {
    messageName: '=data.event',
    correlationKey: '=data.orderId',
    variables: '={ receipt: data.receipt }',
  },
};

const bytes = (text: string) => new TextEncoder().encode(text);
const textOf = (body: Uint8Array) => new TextDecoder().decode(body);

/** Reads the dead letters of the group `test.dead-letter`, acknowledging them. */
async function readDeadLetters(bus: Bus, group = 'test.dead-letter') {
  const letters: DeadLetter[] = [];
  const deliveries: Delivery[] = [];
  const subscription = await bus.subscribe('test.dead-letter', { group }, async (delivery) => {
    deliveries.push(delivery);
    const letter = readDeadLetter(delivery);
    if (letter) letters.push(letter);
    await delivery.ack();
  });
  return { letters, deliveries, subscription };
}

for (const [name, makeBuses] of Object.entries(brokers)) {
  describe(`dead letters: ${name}`, () => {
    const start = async (options: { wrap?: (bus: Bus) => Bus } = {}) => {
      const buses = await makeBuses();
      const connectors = options.wrap ? options.wrap(buses.connectors) : buses.connectors;
      const f = await startFixture({
        buses: { connectors, peer: buses.peer },
        config: { inbound: [paymentEvents] },
      });
      await waitUntil(
        () => connectors.state === 'connected' && buses.peer.state === 'connected',
        'the buses',
        15_000,
      );
      await f.engine.deploy(payOrder());
      return {
        f,
        close: async () => {
          await f.close();
          await buses.dispose();
        },
      };
    };

    it('parks what cannot be processed with the reason, acknowledges it, and keeps consuming', async (t) => {
      const { f, close } = await start();
      t.after(close);
      const orders = ['o-1', 'o-2', 'o-3'];
      const keys: string[] = [];
      for (const orderId of orders) {
        keys.push((await f.engine.createInstance('pay-order', { orderId, amount: 10 })).processInstanceKey);
      }
      const good = (orderId: string) =>
        publishEnvelope(f.peer, 'payment.events.received', {
          type: 'payment.received',
          id: `pay:${orderId}`,
          data: { event: 'payment.received', orderId, amount: 10, receipt: `R-${orderId}` },
        });
      // Bad messages first and in between: none may stop the good ones.
      await f.peer.publish('payment.events.received', {
        id: 'junk-1',
        headers: { 'content-type': 'text/xml', 'x-sender': 'legacy' },
        body: bytes('<xml/>'),
      });
      await good('o-1');
      await f.peer.publish('payment.events.received', { id: 'junk-2', body: bytes('{"hello":"world"}') });
      await publishEnvelope(f.peer, 'payment.events.received', {
        type: 'payment.received',
        id: 'no-order',
        data: { event: 'payment.received', amount: 10, receipt: 'R' },
      });
      await good('o-2');
      await publishEnvelope(f.peer, 'payment.events.failed', {
        type: 'payment.failed',
        id: 'no-name',
        data: { orderId: 'o-3', amount: 10 },
      });
      await publishEnvelope(f.peer, 'payment.events.received', {
        type: 'payment.received',
        id: 'no-amount',
        data: { event: 'payment.received', orderId: 'o-3' },
      });
      await good('o-3');

      await waitUntil(
        () => keys.every((k) => completed(f.records, k)),
        'the three orders to be paid',
        30_000,
      );
      const metrics = f.connectors.metrics;
      await waitUntil(() => metrics.inboundDeadLettered.get() === 5, 'five dead letters', 15_000);

      // Nobody read the dead-letter subject so far: the declared group kept them.
      const reader = await readDeadLetters(f.peer);
      await waitUntil(() => reader.letters.length >= 5, 'the five dead letters at the reader', 15_000);
      const byId = new Map(reader.letters.map((l) => [l.envelopeId || l.id, l]));
      const expected: [string, string, RegExp][] = [
        ['junk-1', 'not-json', /the body is not JSON/],
        ['junk-2', 'invalid-envelope', /not an envelope \(type: Required\)/],
        ['no-order', 'missing-correlation-key', /correlationKey: '=data\.orderId' evaluated to null/],
        ['no-name', 'unknown-message', /messageName: '=data\.event' evaluated to null/],
        ['no-amount', 'activation-condition-failed', /activationCondition/],
      ];
      for (const [id, reason, message] of expected) {
        const letter = byId.get(id);
        assert.ok(letter, `${id} was parked: ${JSON.stringify([...byId.keys()])}`);
        assert.equal(letter.reason, reason, id);
        assert.match(letter.message, message, id);
        assert.equal(letter.subscription, 'payment events');
        assert.equal(letter.group, 'orders.payment-events');
        assert.equal(letter.origin, 'config inbound[0]');
        assert.equal(letter.source, 'test');
        assert.ok(Math.abs(Date.parse(letter.time) - Date.now()) < 60_000, `a time: ${letter.time}`);
        assert.equal(
          metrics.inboundDeadLettered.get({ subscription: 'payment events', reason }),
          1,
          `counted as ${reason}`,
        );
      }
      const xml = byId.get('junk-1')!;
      assert.equal(textOf(xml.body), '<xml/>', 'the original body, as it was');
      assert.equal(xml.subject, 'payment.events.received');
      assert.equal(xml.id, 'junk-1');
      assert.equal(xml.headers['x-sender'], 'legacy', 'with its own headers');
      assert.equal(xml.headers['content-type'], 'text/xml');
      assert.equal(byId.get('no-name')!.subject, 'payment.events.failed');
      assert.deepEqual(JSON.parse(textOf(byId.get('no-order')!.body)).data, {
        event: 'payment.received',
        amount: 10,
        receipt: 'R',
      });
      assert.ok(f.log.has(/WARN inbound: message cannot be processed; parked on the dead-letter subject/));

      // Each original was acknowledged once parked: none comes again.
      assert.equal(metrics.inboundCommitted.get(), 3);
      const received = metrics.inboundReceived.get();
      assert.equal(received, 8);
      await new Promise((resolve) => setTimeout(resolve, 3_000)); // past NATS's ack wait of 2 s
      assert.equal(metrics.inboundReceived.get(), received, 'nothing was delivered again');
      assert.equal(reader.deliveries.length, 5, 'each dead letter once');
      assert.match(
        await f.connectors.metrics.toPrometheus(),
        /baton_connectors_inbound_dead_lettered_total\{subscription="payment events",reason="not-json"\} 1/,
      );
    });

    it('gives a message back while its dead letter is not confirmed, and parks it once it is', async (t) => {
      let refuse = 1;
      const { f, close } = await start({
        wrap: (bus) =>
          wrapBus(bus, async (subject, message, publish) => {
            if (subject === 'test.dead-letter' && refuse-- > 0)
              throw new BusUnavailableError('no confirm (simulated outage)');
            await publish(subject, message);
          }),
      });
      t.after(close);
      await f.peer.publish('payment.events.received', { id: 'junk', body: bytes('not json') });
      await waitUntil(
        () => f.connectors.metrics.inboundDeadLetterFailures.get() === 1,
        'the failed dead letter',
      );
      assert.equal(f.connectors.metrics.inboundDeadLettered.get(), 0, 'not acknowledged as parked');
      assert.ok(f.log.has(/WARN inbound: could not park the message on the dead-letter subject/));
      await waitUntil(
        () => f.connectors.metrics.inboundDeadLettered.get() === 1,
        'the message to come again and be parked',
        20_000,
      );
      assert.equal(f.connectors.metrics.inboundReceived.get(), 2, 'delivered twice: given back once');
      const reader = await readDeadLetters(f.peer);
      await waitUntil(() => reader.letters.length === 1, 'the dead letter');
      assert.equal(reader.letters[0]!.reason, 'not-json');
      assert.equal(textOf(reader.letters[0]!.body), 'not json');
    });
  });
}

describe('dead letters: engine refusals and settings', () => {
  it('parks permanent refusals at once, passing ones after maxRefusals, and never back-pressure', async (t) => {
    const engine = await createEngine({ store: 'memory' });
    // The engine as the connectors see it, refusing some correlation keys as a scripted engine would.
    const script: Record<string, BatonError[]> = {
      'refused-1': [new BatonError('INVALID_ARGUMENT', 'Expected something else (scripted)')],
      'broken-1': [1, 2, 3].map(() => new BatonError('PROCESSING_ERROR', 'processing failed: a bug')),
      'busy-1': [1, 2, 3].map(() => new BatonError('RESOURCE_EXHAUSTED', 'back-pressure (scripted)')),
    };
    const refusing = new Proxy(engine, {
      get(target, property) {
        if (property === 'publishMessage') {
          return async (...args: Parameters<Engine['publishMessage']>) => {
            const next = script[args[1]]?.shift();
            if (next) throw next;
            return target.publishMessage(...args);
          };
        }
        const value: unknown = Reflect.get(target, property);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const f = await startFixture({
      engineInstance: refusing,
      config: {
        inbound: [
          paymentEvents,
          {
            name: 'imports',
            subject: 'orders.imported',
            createInstance: { bpmnProcessId: 'not-deployed' },
          },
        ],
        deadLetter: { maxRefusals: 2 },
      },
    });
    t.after(() => f.close());
    const reader = await readDeadLetters(f.peer);
    for (const orderId of ['refused-1', 'broken-1', 'busy-1']) {
      await publishEnvelope(f.peer, 'payment.events.received', {
        type: 'payment.received',
        id: `pay:${orderId}`,
        data: { event: 'payment.received', orderId, amount: 1 },
      });
    }
    await publishEnvelope(f.peer, 'orders.imported', { type: 'order.imported', id: 'import-1', data: {} });
    const metrics = f.connectors.metrics;
    await waitUntil(() => reader.letters.length === 3, 'three dead letters', 20_000);
    await waitUntil(() => metrics.inboundCommitted.get() === 1, 'the busy one to go through at last', 10_000);
    const reasons = Object.fromEntries(reader.letters.map((l) => [l.envelopeId, l]));
    assert.equal(reasons['pay:refused-1']!.reason, 'engine-refused');
    assert.match(reasons['pay:refused-1']!.message, /Expected something else/);
    assert.equal(reasons['pay:broken-1']!.reason, 'engine-error');
    assert.match(reasons['pay:broken-1']!.message, /processing failed: a bug \(refused 2 times\)/);
    assert.equal(reasons['import-1']!.reason, 'unknown-process');
    assert.equal(reasons['import-1']!.subscription, 'imports');
    assert.match(reasons['import-1']!.message, /not-deployed/);
    assert.equal(metrics.inboundDeadLettered.get({ subscription: 'imports', reason: 'unknown-process' }), 1);
    // busy-1: refused three times by back-pressure, given back each time, never parked.
    assert.equal(metrics.inboundRetried.get({ subscription: 'payment events' }), 3 + 1);
    assert.equal(script['busy-1']!.length, 0);
    await waitUntil(() => f.broker!.backlog('orders.payment-events') === 0, 'all settled');
  });

  it('drops and counts what cannot be processed when dead letters are off', async (t) => {
    const f = await startFixture({ config: { inbound: [paymentEvents], deadLetter: { enabled: false } } });
    t.after(() => f.close());
    const reader = await readDeadLetters(f.peer);
    await f.peer.publish('payment.events.received', { id: 'junk', body: bytes('<xml/>') });
    await waitUntil(() => f.connectors.metrics.inboundDropped.get() === 1, 'the dropped message');
    assert.equal(
      f.connectors.metrics.inboundDropped.get({ subscription: 'payment events', reason: 'not-json' }),
      1,
    );
    assert.ok(
      f.log.has(
        /WARN inbound: message cannot be processed; acknowledged and dropped \(dead letters are off\)/,
      ),
    );
    await waitUntil(() => f.broker!.backlog('orders.payment-events') === 0, 'the message to be acknowledged');
    assert.equal(reader.deliveries.length, 0);
  });

  it('parks on the configured subject, in the configured group', async (t) => {
    const f = await startFixture({
      config: {
        inbound: [paymentEvents],
        deadLetter: { subject: 'ops.parked', group: 'ops-review' },
      },
    });
    t.after(() => f.close());
    await f.peer.publish('payment.events.received', { id: 'junk', body: bytes('?') });
    await waitUntil(() => f.connectors.metrics.inboundDeadLettered.get() === 1, 'the dead letter');
    assert.equal(f.broker!.backlog('ops-review'), 1, 'kept for the group');
    const letters: Delivery[] = [];
    await f.peer.subscribe('ops.parked', { group: 'ops-review' }, async (d) => {
      letters.push(d);
      await d.ack();
    });
    await waitUntil(() => letters.length === 1, 'the dead letter at the reader');
    assert.equal(letters[0]!.headers[DEAD_LETTER_HEADERS.reason], 'not-json');
    assert.equal(letters[0]!.id, 'dead-letter:orders.payment-events:junk');
  });

  it('ignores a model binding whose subject takes the dead letters too', async (t) => {
    const f = await startFixture();
    t.after(() => f.close());
    await f.engine.deploy({
      name: 'greedy.bpmn',
      xml: boundOrderXml().replace('value="orders.placed"', 'value="test.>"'),
    });
    await waitUntil(() => f.connectors.inboundBindings().length === 1, 'the other binding');
    assert.equal(f.connectors.inboundBindings()[0]!.subject, 'payment.events.*');
    assert.ok(
      f.log.has(/ERROR inbound binding ignored: its subject takes the dead-letter subject too/),
      f.log.lines.join('\n'),
    );
  });
});
