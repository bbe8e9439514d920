import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Bus, Delivery } from './bus.js';
import { BusUnavailableError } from './bus.js';

/** One case's broker: a connected bus, more clients of the same broker, and (optionally) a way to cut it off. */
export interface BusContractSubject {
  /** A bus whose state is, or soon becomes, `connected`. The suite closes it. */
  readonly bus: Bus;
  /** Another client of the same broker and namespace. The suite closes it. */
  connectOther(): Promise<Bus>;
  /** Makes the broker unreachable for `bus` and reachable again (a cut network, a stopped broker). */
  readonly outage: { cut(): Promise<void>; restore(): Promise<void> };
  /** Removes what the case created at the broker (streams, queues). */
  dispose(): Promise<void>;
}

export interface BusContractOptions {
  /**
   * False when the broker does not reliably mark a message given back with a nack (or by a closing subscriber)
   * as redelivered: NATS server 2.9 reports a delivery count of 1 when such a message goes to another pull
   * request. The message itself must come again all the same.
   */
  readonly redeliveredFlagAfterNack?: boolean;
}

/**
 * Registers, with `node:test`, the cases every `Bus` implementation must pass: the contract written on `Bus`.
 * `makeSubject` is called once per case and must give a namespace of its own (fresh stream / exchange).
 */
export function runBusContract(
  name: string,
  makeSubject: () => Promise<BusContractSubject>,
  options: BusContractOptions = {},
): void {
  /** Checks the `redelivered` flag of a delivery the broker made before, unless the broker cannot tell. */
  const assertRedelivered = (delivery: Delivery) => {
    if (options.redeliveredFlagAfterNack === false) return;
    assert.equal(delivery.redelivered, true, 'the delivery is marked redelivered');
  };
  describe(`Bus contract: ${name}`, () => {
    const scenario = (title: string, body: (h: Harness) => Promise<void>): void => {
      it(title, async () => {
        const subject = await makeSubject();
        const harness = new Harness(subject);
        try {
          await harness.connected(subject.bus);
          await body(harness);
        } finally {
          await harness.dispose();
        }
      });
    };

    scenario('delivers a message with its id, subject, headers and body', async (h) => {
      const inbox = await h.collect(h.bus, 'orders.placed', 'g');
      await h.bus.publish('orders.placed', {
        id: 'm-1',
        headers: { 'content-type': 'application/json', 'x-trace': 'abc' },
        body: text('{"orderId":"o-1"}'),
      });
      const [delivery] = await inbox.take(1);
      assert.equal(delivery!.id, 'm-1');
      assert.equal(delivery!.subject, 'orders.placed');
      assert.equal(delivery!.headers['x-trace'], 'abc');
      assert.equal(delivery!.headers['content-type'], 'application/json');
      assert.equal(decode(delivery!.body), '{"orderId":"o-1"}');
      assert.equal(delivery!.redelivered, false);
      await delivery!.ack();
    });

    scenario(
      'keeps messages for a group while nobody listens, but not those from before it existed',
      async (h) => {
        await h.bus.publish('stock.changed', { id: 'before', body: text('0') });
        const first = await h.collect(h.bus, 'stock.changed', 'g');
        await first.subscription.close();
        await h.bus.publish('stock.changed', { id: 'while-away', body: text('1') });
        const again = await h.collect(h.bus, 'stock.changed', 'g');
        const [delivery] = await again.take(1);
        assert.equal(delivery!.id, 'while-away');
        await delivery!.ack();
        await again.expectNothing(300);
      },
    );

    scenario('a declared group keeps messages until its first subscriber comes', async (h) => {
      await h.bus.declareGroup('parcels.lost', { group: 'parked' });
      await h.bus.declareGroup('parcels.lost', { group: 'parked' }); // declaring again changes nothing
      await h.bus.publish('parcels.lost', { id: 'p-1', body: text('1') });
      await h.bus.publish('parcels.lost', { id: 'p-2', body: text('2') });
      const other = await h.other();
      const inbox = await h.collect(other, 'parcels.lost', 'parked', { autoAck: true });
      await waitUntil(() => inbox.ids().length >= 2, 'the two messages kept for the declared group');
      await inbox.expectNothing(300, 2);
      assert.deepEqual(inbox.ids().sort(), ['p-1', 'p-2']);
      await assert.rejects(h.bus.declareGroup('parcels.>.x', { group: 'bad' }), TypeError);
    });

    scenario('an acked message is not delivered again; a nacked one is, marked redelivered', async (h) => {
      const inbox = await h.collect(h.bus, 'pay.requested', 'g');
      await h.bus.publish('pay.requested', { id: 'a', body: text('a') });
      await h.bus.publish('pay.requested', { id: 'b', body: text('b') });
      const deliveries = await inbox.take(2);
      const a = deliveries.find((d) => d.id === 'a')!;
      const b = deliveries.find((d) => d.id === 'b')!;
      await a.ack();
      await b.nack(50);
      const [again] = await inbox.take(1);
      assert.equal(again!.id, 'b');
      assertRedelivered(again!);
      await again!.ack();
      await inbox.expectNothing(300);
    });

    scenario('a delivery not settled when its subscriber closes goes to another subscriber', async (h) => {
      const first = await h.collect(h.bus, 'goods.fetch', 'g');
      const other = await h.other();
      await h.bus.publish('goods.fetch', { id: 'x', body: text('x') });
      const [held] = await first.take(1);
      assert.equal(held!.id, 'x');
      const second = await h.collect(other, 'goods.fetch', 'g');
      await first.subscription.close();
      const [again] = await second.take(1);
      assert.equal(again!.id, 'x');
      assertRedelivered(again!);
      await again!.ack();
    });

    scenario('a handler that throws without settling gets the delivery again', async (h) => {
      const seen: Delivery[] = [];
      await h.subscribe(h.bus, 'mail.send', 'g', async (d) => {
        seen.push(d);
        if (seen.length === 1) throw new Error('the mail server hiccupped');
        await d.ack();
      });
      await h.bus.publish('mail.send', { id: 'mail-1', body: text('hi') });
      await waitUntil(() => seen.length >= 2, 'the delivery to come back after the handler threw', 10_000);
      assert.deepEqual(
        seen.map((d) => d.id),
        ['mail-1', 'mail-1'],
      );
      assert.equal(seen[0]!.redelivered, false);
      assertRedelivered(seen[1]!);
    });

    scenario('subscribers of one group share the messages; every group gets every message', async (h) => {
      const other = await h.other();
      const shared1 = await h.collect(h.bus, 'ship.requested', 'shipping', { autoAck: true });
      const shared2 = await h.collect(other, 'ship.requested', 'shipping', { autoAck: true });
      const audit = await h.collect(other, 'ship.requested', 'audit', { autoAck: true });
      const ids = Array.from({ length: 20 }, (_, i) => `s-${i}`);
      for (const id of ids) await h.bus.publish('ship.requested', { id, body: text(id) });
      await waitUntil(
        () => new Set([...shared1.ids(), ...shared2.ids()]).size === 20 && audit.ids().length === 20,
        'both groups to receive all 20 messages',
      );
      assert.deepEqual(new Set([...shared1.ids(), ...shared2.ids()]), new Set(ids));
      assert.equal(shared1.ids().length + shared2.ids().length, 20, 'each message went to one subscriber');
      assert.deepEqual(new Set(audit.ids()), new Set(ids));
    });

    scenario('subscribes with wildcards: * for one token, a final > for the rest', async (h) => {
      const one = await h.collect(h.bus, 'orders.*', 'one', { autoAck: true });
      const rest = await h.collect(h.bus, 'orders.>', 'rest', { autoAck: true });
      await h.bus.publish('orders.placed', { id: '1', body: text('') });
      await h.bus.publish('orders.eu.placed', { id: '2', body: text('') });
      await h.bus.publish('ordersx.placed', { id: '3', body: text('') });
      await h.bus.publish('orders', { id: '4', body: text('') });
      await waitUntil(() => one.ids().length >= 1 && rest.ids().length >= 2, 'the matching messages');
      await one.expectNothing(300, 1);
      assert.deepEqual(one.ids(), ['1']);
      assert.deepEqual(rest.ids().sort(), ['1', '2']);
    });

    scenario('refuses malformed subjects, and publishing after close', async (h) => {
      await assert.rejects(h.bus.publish('orders..placed', { id: 'x', body: text('') }), TypeError);
      await assert.rejects(h.bus.publish('orders.*', { id: 'x', body: text('') }), TypeError);
      await assert.rejects(
        h.bus.subscribe('orders.>.eu', { group: 'g' }, () => undefined),
        TypeError,
      );
      const other = await h.other();
      await other.close();
      await assert.rejects(other.publish('orders.placed', { id: 'x', body: text('') }), BusUnavailableError);
    });

    scenario('carries 1,000 messages from publisher to subscriber', async (h) => {
      const inbox = await h.collect(h.bus, 'load.item', 'load', { autoAck: true });
      const started = performance.now();
      const pending: Promise<void>[] = [];
      for (let i = 0; i < 1_000; i++) {
        pending.push(h.bus.publish('load.item', { id: `l-${i}`, body: text(JSON.stringify({ i })) }));
        if (pending.length >= 100) await Promise.all(pending.splice(0));
      }
      await Promise.all(pending);
      const published = performance.now();
      await waitUntil(() => new Set(inbox.ids()).size === 1_000, 'all 1,000 messages', 30_000);
      const done = performance.now();
      h.note(
        `${name}: 1,000 confirmed publishes in ${Math.round(published - started)} ms, all delivered and acked after ${Math.round(done - started)} ms`,
      );
    });

    scenario(
      'says when the broker is lost and back, then redelivers what was left unsettled and resumes',
      async (h) => {
        const states: string[] = [];
        h.bus.onStateChange((state) => states.push(state));
        const inbox = await h.collect(h.bus, 'pay.done', 'g');
        await h.bus.publish('pay.done', { id: 'before', body: text('') });
        const [held] = await inbox.take(1);
        assert.equal(held!.id, 'before');

        await h.subject.outage.cut();
        await waitUntil(() => h.bus.state === 'disconnected', 'the bus to notice the lost broker', 15_000);
        await assert.rejects(
          h.bus.publish('pay.done', { id: 'during', body: text('') }),
          BusUnavailableError,
        );
        await assert.rejects(h.bus.declareGroup('pay.done', { group: 'late' }), BusUnavailableError);

        await h.subject.outage.restore();
        await waitUntil(() => h.bus.state === 'connected', 'the bus to reconnect', 30_000);
        await h.bus.publish('pay.done', { id: 'after', body: text('') });
        // Settle what comes from now on, until both the unsettled one and the new one were delivered again.
        const seen = new Map<string, Delivery>();
        await waitUntil(
          () => {
            for (const d of inbox.untaken()) {
              void d.ack();
              if (!seen.has(d.id) || d.redelivered) seen.set(d.id, d);
            }
            return seen.has('before') && seen.has('after');
          },
          'the unsettled message and the new one after reconnecting',
          30_000,
        );
        assert.equal(seen.get('before')!.redelivered, true, 'the unsettled message came again, redelivered');
        assert.deepEqual(states, ['disconnected', 'connected']);
      },
    );

    scenario('a subscription made while the broker is unreachable starts when it is back', async (h) => {
      await h.subject.outage.cut();
      await waitUntil(() => h.bus.state === 'disconnected', 'the bus to notice the lost broker', 15_000);
      const inbox = await h.collect(h.bus, 'late.subject', 'late', { autoAck: true });
      await h.subject.outage.restore();
      await waitUntil(() => h.bus.state === 'connected', 'the bus to reconnect', 30_000);
      // The group exists once the bus is back; publish until the subscription is live.
      for (let i = 0; inbox.ids().length === 0; i++) {
        if (i > 100) assert.fail('the subscription made while disconnected never received anything');
        await h.bus.publish('late.subject', { id: `late-${i}`, body: text('') });
        await sleep(100);
      }
    });
  });
}

class Harness {
  private readonly buses: Bus[] = [];
  private readonly notes: string[] = [];

  constructor(readonly subject: BusContractSubject) {
    this.buses.push(subject.bus);
  }

  get bus(): Bus {
    return this.subject.bus;
  }

  async other(): Promise<Bus> {
    const bus = await this.subject.connectOther();
    this.buses.push(bus);
    await this.connected(bus);
    return bus;
  }

  async connected(bus: Bus): Promise<void> {
    await waitUntil(() => bus.state === 'connected', `the ${bus.kind} bus to connect`, 15_000);
  }

  async subscribe(bus: Bus, subject: string, group: string, handler: (d: Delivery) => Promise<void>) {
    return bus.subscribe(subject, { group }, handler);
  }

  async collect(bus: Bus, subject: string, group: string, options: { autoAck?: boolean } = {}) {
    const received: Delivery[] = [];
    let taken = 0;
    const subscription = await bus.subscribe(subject, { group }, async (delivery) => {
      received.push(delivery);
      if (options.autoAck) await delivery.ack();
    });
    return {
      subscription,
      ids: () => received.map((d) => d.id),
      /** The next `n` deliveries not taken yet. */
      take: async (n: number, timeoutMs = 10_000): Promise<Delivery[]> => {
        await waitUntil(() => received.length >= taken + n, `${n} more deliveries on ${subject}`, timeoutMs);
        const out = received.slice(taken, taken + n);
        taken += n;
        return out;
      },
      /** The deliveries not taken yet, now taken. */
      untaken: (): Delivery[] => {
        const out = received.slice(taken);
        taken = received.length;
        return out;
      },
      /** Fails when more than `expected` deliveries arrive within `ms`. */
      expectNothing: async (ms: number, expected = taken) => {
        await sleep(ms);
        assert.equal(
          received.length,
          expected,
          `unexpected deliveries: ${received
            .slice(expected)
            .map((d) => d.id)
            .join(', ')}`,
        );
      },
    };
  }

  note(text: string): void {
    this.notes.push(text);
    console.log(`# ${text}`);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.buses.map((b) => b.close().catch(() => undefined)));
    await this.subject.outage.restore().catch(() => undefined);
    await this.subject.dispose();
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const text = (s: string) => encoder.encode(s);
const decode = (b: Uint8Array) => decoder.decode(b);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until the predicate holds, failing with `what` after `timeoutMs`. */
export async function waitUntil(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}
