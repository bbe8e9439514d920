import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Bus } from './bus/bus.js';
import { AmqpBus } from './bus/amqp-bus.js';
import { MemoryBroker } from './bus/memory-bus.js';
import { NatsBus } from './bus/nats-bus.js';
import { decodeEnvelope } from './envelope.js';
import { amqpNamespace, AMQP_PORT, natsNamespace, NATS_PORT, requireBroker } from './test-support/brokers.js';
import {
  collectEnvelopes,
  completed,
  publishEnvelope,
  startFixture,
  waitUntil,
} from './test-support/fixture.js';
import { payOrder } from './test-support/models.js';
import { TcpProxy } from './test-support/tcp-proxy.js';

/** The engine's bus (which an outage cuts off), a peer's bus (which stays), and the outage itself. */
interface Setup {
  readonly connectors: Bus;
  readonly peer: Bus;
  cut(): Promise<void>;
  restore(): Promise<void>;
  dispose(): Promise<void>;
}

const setups: Record<string, () => Promise<Setup>> = {
  'in-process bus': async () => {
    const broker = new MemoryBroker();
    // The in-process broker goes down for everyone; the peer publishes only while it is up.
    return {
      connectors: broker.connect(),
      peer: broker.connect(),
      cut: async () => broker.setAvailable(false),
      restore: async () => broker.setAvailable(true),
      dispose: async () => undefined,
    };
  },
  'NATS JetStream': async () => {
    await requireBroker('nats');
    const namespace = natsNamespace();
    const proxy = await TcpProxy.start(NATS_PORT);
    return {
      connectors: new NatsBus({ ...namespace.options, servers: `nats://127.0.0.1:${proxy.port}` }),
      peer: new NatsBus(namespace.options),
      cut: () => proxy.cut(),
      restore: () => proxy.restore(),
      dispose: async () => {
        await proxy.close();
        await namespace.dispose();
      },
    };
  },
  RabbitMQ: async () => {
    await requireBroker('amqp');
    const namespace = amqpNamespace();
    const proxy = await TcpProxy.start(AMQP_PORT);
    return {
      connectors: new AmqpBus({ ...namespace.options, url: `amqp://guest:guest@127.0.0.1:${proxy.port}` }),
      peer: new AmqpBus(namespace.options),
      cut: () => proxy.cut(),
      restore: () => proxy.restore(),
      dispose: async () => {
        await proxy.close();
        await namespace.dispose();
      },
    };
  },
};

/** A payment service on the peer's bus: answers every payment request with a payment.received event. */
async function startPaymentService(bus: Bus): Promise<{ answered: Set<string> }> {
  const answered = new Set<string>();
  await bus.subscribe('payment.requested', { group: 'payment-service' }, async (delivery) => {
    const decoded = decodeEnvelope(delivery.body, delivery.id);
    if (!decoded.ok) return delivery.ack();
    const { orderId } = decoded.envelope.data as { orderId: string };
    await publishEnvelope(bus, 'payment.events.received', {
      type: 'payment.received',
      id: `payment:${decoded.envelope.id}`,
      correlationId: orderId,
      data: { orderId, receipt: `R-${orderId}` },
    });
    answered.add(orderId);
    await delivery.ack();
  });
  return { answered };
}

for (const [name, makeSetup] of Object.entries(setups)) {
  describe(`connectors end to end: ${name}`, () => {
    const start = async () => {
      const setup = await makeSetup();
      const f = await startFixture({
        buses: { connectors: setup.connectors, peer: setup.peer },
        config: {
          source: 'orders',
          inbound: [
            {
              subject: 'payment.events.*',
              group: 'orders.payment-events',
              correlate: {
                messageName: '=type',
                correlationKey: '=data.orderId',
                variables: '={ receipt: data.receipt }',
              },
            },
          ],
        },
      });
      await waitUntil(
        () => setup.connectors.state === 'connected' && setup.peer.state === 'connected',
        'the buses',
      );
      const payment = await startPaymentService(setup.peer);
      const paid = await collectEnvelopes(setup.peer, 'orders.paid', 'audit');
      await f.engine.deploy(payOrder());
      return {
        f,
        setup,
        payment,
        paid,
        close: async () => {
          await f.close();
          await setup.dispose();
        },
      };
    };

    it('an order asks for payment over the bus and completes when the answer comes back', async (t) => {
      const { f, paid, close } = await start();
      t.after(close);
      const keys: string[] = [];
      for (let i = 0; i < 20; i++) {
        keys.push(
          (await f.engine.createInstance('pay-order', { orderId: `o-${i}`, amount: i })).processInstanceKey,
        );
      }
      await waitUntil(() => keys.every((k) => completed(f.records, k)), 'all 20 orders to be paid', 30_000);
      await waitUntil(
        () => new Set(paid.envelopes.map((e) => e.id)).size === 20,
        '20 orders.paid events',
        10_000,
      );
      const receipts = new Map(
        paid.envelopes.map((e) => [e.correlationId, (e.data as { receipt: string }).receipt]),
      );
      for (let i = 0; i < 20; i++) assert.equal(receipts.get(`o-${i}`), `R-o-${i}`);
      assert.ok(paid.envelopes.every((e) => e.source === 'orders' && e.type === 'order.paid'));
    });

    it('while the broker is unreachable the engine keeps working; the messages go out when it is back', async (t) => {
      const { f, setup, paid, close } = await start();
      t.after(close);
      await setup.cut();
      await waitUntil(() => setup.connectors.state === 'disconnected', 'the connectors to notice', 15_000);
      const keys: string[] = [];
      for (let i = 0; i < 10; i++) {
        // Acknowledged and durable although the broker is gone.
        keys.push(
          (await f.engine.createInstance('pay-order', { orderId: `late-${i}`, amount: i }))
            .processInstanceKey,
        );
      }
      await waitUntil(() => f.connectors.metrics.outboundWaiting.get() === 10, '10 payment requests waiting');
      assert.equal(f.connectors.metrics.busConnected.get({ bus: setup.connectors.kind }), 0);
      assert.ok(
        f.log.has(/WARN bus unreachable: the engine keeps working, outbound messages wait, inbound paused/),
      );

      await setup.restore();
      await waitUntil(() => keys.every((k) => completed(f.records, k)), 'all 10 orders to be paid', 60_000);
      await waitUntil(
        () => new Set(paid.envelopes.map((e) => e.id)).size === 10,
        '10 orders.paid events',
        10_000,
      );
      assert.equal(f.connectors.metrics.busConnected.get({ bus: setup.connectors.kind }), 1);
      assert.ok(f.connectors.metrics.busDisconnects.get() >= 1);
      assert.ok(f.log.has(/INFO bus connected: outbound messages go out, inbound subscriptions resume/));
    });
  });
}
