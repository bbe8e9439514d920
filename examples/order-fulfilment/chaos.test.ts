// The sample under chaos, on NATS JetStream: orders through the orchestration and the choreography while the
// payment service is down for a while, duplicates are delivered, and the order service is killed mid-flow.
// Every order must end delivered or cleanly failed and compensated; nothing lost, nothing charged twice.
//
// BATON_CHAOS_ORDERS (default 1000), BATON_CHAOS_RATE (orders placed per second, default 40) and
// BATON_CHAOS_SEED (default 8) change the run.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { LoggedRecord } from '@baton-engine/engine';
import { createEngine } from '@baton-engine/baton';
import type { ConnectorLog } from '@baton-engine/connectors';
import { NatsBus } from '@baton-engine/connectors';
import { ReadModel } from '@baton-engine/read-model';
import { natsNamespace, requireBroker } from '@baton-engine/connectors/test-support';
import { startBatonEngine } from './baton-engine.js';
import { CUSTOMERS, PRODUCTS } from './catalogue.js';
import { Audit, readDeadLetters } from './chaos/audit.js';
import type { Outcome, PlacedOrder } from './chaos/invariants.js';
import {
  booksOf,
  checkOrder,
  expectedNet,
  instancesByOrder,
  endingOf,
  instancesInReadModel,
} from './chaos/invariants.js';
import { LossyBus, seededRandom } from './chaos/lossy-bus.js';
import { OrderServiceProcess } from './chaos/order-service-process.js';
import { ServiceBus, whenConnected } from './service-bus.js';
import { CheckoutService } from './services/checkout.js';
import { InventoryService } from './services/inventory.js';
import { ShippingService } from './services/shipping.js';

const ORDERS = Number(process.env.BATON_CHAOS_ORDERS ?? 1_000);
const RATE = Number(process.env.BATON_CHAOS_RATE ?? 40);
const SEED = Number(process.env.BATON_CHAOS_SEED ?? 8);
/** Acknowledgements lost (the broker delivers again), and messages published twice by the audit. */
const ACK_LOSS = 0.03;
const DUPLICATES = 0.05;
const PAYMENT_OUTAGE_MS = 6_000;
const STOCK = { baton: 100_000, stand: 60, piano: 0 };
const JUNK = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(predicate: () => boolean, what: () => string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await sleep(100);
  }
}

/** The orders of the run: both ways alternately; Alice's card works, Carol's fails twice first, Bob's is declined. */
function ordersToPlace(random: () => number): Omit<PlacedOrder, 'orderId' | 'amount'>[] {
  return Array.from({ length: ORDERS }, (_, i) => {
    const r = random();
    const customerId = r < 0.45 ? 'alice' : r < 0.8 ? 'carol' : 'bob';
    const items =
      random() < 0.2 ? [{ sku: 'stand', quantity: 1 }] : [{ sku: 'baton', quantity: 1 + (i % 2) }];
    return { customerId, items, mode: i % 2 === 0 ? 'orchestrated' : 'choreographed' };
  });
}

/** Counts the connectors' warnings (expected under chaos) and keeps the errors. */
function countingLog(): ConnectorLog & { warnings: number; errors: string[] } {
  const log = {
    warnings: 0,
    errors: [] as string[],
    info: () => undefined,
    warn: () => void log.warnings++,
    error: (fields: Record<string, unknown>, message: string) =>
      void log.errors.push(`${message} ${JSON.stringify(fields)}`),
  };
  return log;
}

describe('order fulfilment under chaos (NATS JetStream)', () => {
  it(`${ORDERS} orders: payment down for a while, duplicates, the order service killed twice; every order ends once`, async (t) => {
    await requireBroker('nats');
    const started = Date.now();
    const note = (text: string) => {
      if (process.env.BATON_CHAOS_VERBOSE)
        console.error(`chaos ${((Date.now() - started) / 1_000).toFixed(1)} s: ${text}`);
    };
    const namespace = natsNamespace();
    const nats = { ...namespace.options, ackWaitMs: 5_000 };
    const dir = mkdtempSync(join(tmpdir(), 'baton-chaos-'));
    const cleanup: (() => Promise<unknown>)[] = [];
    /** Set when the test ends, so that the failures still to be injected are not. */
    let finished = false;
    t.after(async () => {
      finished = true;
      for (const step of cleanup.reverse()) await step().catch(() => undefined);
      await namespace.dispose();
      rmSync(dir, { recursive: true, force: true });
    });
    const random = seededRandom(SEED);
    const lossy: LossyBus[] = [];
    const connectLossy = () => {
      const bus = new LossyBus(new NatsBus(nats), random, ACK_LOSS);
      lossy.push(bus);
      return bus;
    };
    const clean = new NatsBus(nats);
    cleanup.push(() => clean.close());
    await whenConnected(clean);
    note('connected');

    // The auditor and the dead-letter reader first, so that their groups see everything.
    const audit = await Audit.start(clean, { random, duplicateRate: DUPLICATES, maxDelayMs: 2_000 });
    cleanup.push(() => audit.stop());
    const deadLetters = await readDeadLetters(clean, ['order-service.dead-letter', 'payment.dead-letter']);

    // The order service: a process of its own, on SQLite.
    const orderService = new OrderServiceProcess(
      join(dir, 'order-service.db'),
      join(dir, 'order-service.log'),
      nats,
      SEED,
      ACK_LOSS,
    );
    cleanup.push(() => orderService.dispose());
    await orderService.start();
    note('order service ready');

    // The payment service: its flow in an engine of its own, its workers and books.
    const paymentEngine = await createEngine({ store: 'memory' });
    cleanup.push(() => paymentEngine.close());
    const paymentRecords: LoggedRecord[] = [];
    paymentEngine.onRecords((records) => paymentRecords.push(...records));
    const paymentLog = countingLog();
    const paymentSide = await startBatonEngine(paymentEngine, connectLossy, {
      services: ['payment'],
      source: 'payment',
      cardUpdateTimeout: 'PT2S',
      chargeRetryBackoffMs: 200,
      connectorLog: paymentLog,
    });
    cleanup.push(() => paymentSide.stop());
    const payment = paymentSide.payment!;

    // Inventory, shipping and checkout, each on its own lossy client.
    const inventoryBus = new ServiceBus(connectLossy(), 'inventory');
    const shippingBus = new ServiceBus(connectLossy(), 'shipping');
    const checkoutBus = new ServiceBus(connectLossy(), 'checkout');
    cleanup.push(() => Promise.all([inventoryBus, shippingBus, checkoutBus].map((s) => s.bus.close())));
    const choreography = { fetchGoodsFirst: false };
    const inventory = await InventoryService.start(inventoryBus, choreography, { stock: STOCK });
    const shipping = await ShippingService.start(shippingBus, async () => undefined, choreography);
    const checkout = await CheckoutService.start(checkoutBus);
    await Promise.all(lossy.map((bus) => whenConnected(bus)));
    note('services ready');

    // Junk among the orders: it must be parked, not crash anything.
    const junk = async (i: number) => {
      await clean.publish('orders.placed', {
        id: `junk-${i}`,
        body: new TextEncoder().encode(`<order ${i}>`),
      });
      await clean.publish('payment.events', {
        id: `no-order-${i}`,
        body: new TextEncoder().encode(
          JSON.stringify({ type: 'payment.received', id: `no-order-${i}`, data: { mode: 'orchestrated' } }),
        ),
      });
    };

    // Place the orders at a steady rate; the failures are injected along the way, as the orders come in.
    const placed: PlacedOrder[] = [];
    const whenPlaced = (share: number) =>
      until(
        () => finished || placed.length > Math.floor(ORDERS * share),
        () => `order ${Math.floor(ORDERS * share)} to be placed`,
        600_000,
      );
    let paymentDown: [number, number] = [0, 0];
    const paymentOutage = (async () => {
      await whenPlaced(0.2);
      if (finished) return;
      const from = Date.now() - started;
      await paymentSide.disconnect();
      note('payment service off the bus');
      await sleep(PAYMENT_OUTAGE_MS);
      if (finished) return;
      await paymentSide.reconnect();
      paymentDown = [from, Date.now() - started];
      note('payment service back');
    })();
    const crashes: number[] = [];
    const orderServiceCrashes = (async () => {
      for (const share of [0.35, 0.7]) {
        await whenPlaced(share);
        if (finished) return;
        crashes.push(Date.now() - started);
        note('killing the order service');
        await orderService.kill();
        await orderService.start();
        note('order service back');
      }
    })();
    // Their failures are reported where they are awaited, below.
    for (const chaos of [paymentOutage, orderServiceCrashes]) chaos.catch(() => undefined);

    const plan = ordersToPlace(random);
    const placing = Date.now();
    for (const [i, order] of plan.entries()) {
      await sleep(placing + (i * 1_000) / RATE - Date.now());
      const view = await checkout.placeOrder(order.customerId, order.items, order.mode);
      placed.push({ ...order, orderId: view.orderId, amount: view.amount });
      if (i % Math.ceil(ORDERS / JUNK) === 0) await junk(i);
    }
    const placedAfter = Date.now() - started;
    note(`${placed.length} orders placed`);
    await Promise.all([paymentOutage, orderServiceCrashes]);

    // Every order ends, once: nothing is lost.
    const outcomes = new Map<string, Outcome>();
    const pending = () => placed.filter((o) => !outcomes.has(o.orderId));
    await until(
      () => {
        for (const order of pending()) {
          const ending = endingOf(order, audit);
          if (ending.problem) assert.fail(`${order.orderId} (${order.mode}): ${ending.problem}`);
          if (ending.outcome) outcomes.set(order.orderId, ending.outcome);
        }
        if (Date.now() % 5_000 < 100) note(`${outcomes.size} orders ended`);
        return outcomes.size === placed.length;
      },
      () =>
        `every order to end; ${pending().length} have not: ${pending()
          .slice(0, 5)
          .map(
            (o) =>
              `${o.orderId} (${o.mode}, ${o.customerId}) said ${JSON.stringify([...audit.types(o.orderId)])}`,
          )
          .join('; ')}${orderService.logTail()}`,
      240_000,
    );
    const endedAfter = Date.now() - started;
    note('every order ended');

    // Then the compensations and the engines settle.
    const unsettled = () => {
      const books = booksOf(payment.ledger);
      return placed
        .filter((o) => (books.get(o.orderId)?.net ?? 0) !== expectedNet(o, outcomes.get(o.orderId)!))
        .map(
          (o) =>
            `${o.orderId} ${outcomes.get(o.orderId)} ${o.amount}: ${books.get(o.orderId)?.entries.join(', ')}`,
        );
    };
    await until(
      () => unsettled().length === 0,
      () => `the payment books to settle: ${unsettled().slice(0, 5).join('; ')}`,
      60_000,
    );
    await until(
      () => {
        const s = orderService.stats;
        const p = paymentEngine.stats().partitions[0]!;
        return s?.running === 0 && s.jobs === 0 && p.elementInstances === 0 && p.jobs === 0;
      },
      () => `both engines to finish their instances: ${JSON.stringify(orderService.stats)}`,
      60_000,
    );
    await audit.stop();
    await orderService.stop();

    // The order service's instances, from the engine and the read model in its SQLite file.
    const orderDb = join(dir, 'order-service.db');
    const orderEngine = await createEngine({ path: orderDb });
    const readModel = await ReadModel.attach(orderEngine, { path: orderDb });
    const orderCounts = orderEngine.stats().partitions[0]!;
    const orderFlows = await instancesInReadModel(readModel, 'order-fulfilment');
    const trackingFlows = await instancesInReadModel(readModel, 'order-tracking');
    await readModel.close();
    await orderEngine.close();

    const world = {
      audit,
      books: booksOf(payment.ledger),
      inventory,
      shipping,
      orderFlows,
      trackingFlows,
      paymentFlows: instancesByOrder(paymentRecords, 'payment'),
    };
    const problems = placed.flatMap((o) => checkOrder(o, outcomes.get(o.orderId)!, world));

    // The books and the shelves add up.
    for (const customer of CUSTOMERS) {
      const used = payment.ledger
        .filter((e) => e.customerId === customer.id)
        .reduce(
          (n, e) =>
            n + (e.kind === 'credit-deducted' ? e.amount : e.kind === 'credit-returned' ? -e.amount : 0),
          0,
        );
      if (payment.credit.get(customer.id) !== customer.credit - used)
        problems.push(
          `${customer.id}'s credit is ${payment.credit.get(customer.id)}, the ledger says ${customer.credit - used}`,
        );
    }
    for (const product of PRODUCTS) {
      const sold = placed
        .filter((o) => outcomes.get(o.orderId) === 'delivered')
        .flatMap((o) => o.items)
        .filter((l) => l.sku === product.sku)
        .reduce((n, l) => n + l.quantity, 0);
      const initial = STOCK[product.sku as keyof typeof STOCK];
      const left = inventory.stock.get(product.sku)!;
      if (left !== initial - sold || left < 0)
        problems.push(`${product.sku}: ${left} left of ${initial}, ${sold} sold`);
    }
    const unavailableSkus = new Set(
      placed
        .filter((o) => outcomes.get(o.orderId) === 'goods unavailable')
        .flatMap((o) => o.items.map((l) => l.sku)),
    );
    for (const sku of unavailableSkus)
      if (inventory.stock.get(sku)! >= 2)
        problems.push(`${sku} was unavailable with ${inventory.stock.get(sku)} in stock`);
    if (orderCounts.elementInstances + orderCounts.jobs + orderCounts.openIncidents !== 0)
      problems.push(`the order service's engine still holds ${JSON.stringify(orderCounts)}`);
    problems.push(...paymentLog.errors.map((e) => `payment connectors: ${e}`));
    assert.deepEqual(problems.slice(0, 30), [], `${problems.length} problems`);
    assert.equal(
      world.orderFlows.size + world.trackingFlows.size,
      ORDERS,
      'one order-service instance per order',
    );
    assert.equal(world.paymentFlows.size, ORDERS, 'one payment instance per order');

    // The junk was parked, each piece once, with its reason.
    await until(
      () => deadLetters.size >= 4 * JUNK,
      () => `the dead letters: ${deadLetters.size} of ${4 * JUNK}`,
      30_000,
    );
    const letters = [...deadLetters.values()];
    const parked = (source: string, reason: string) =>
      letters.filter((l) => l.source === source && l.reason === reason).length;
    assert.equal(parked('order-service', 'not-json'), 2 * JUNK, 'order and tracking subscriptions');
    assert.equal(parked('order-service', 'missing-correlation-key'), JUNK, 'results subscription');
    assert.equal(parked('payment', 'not-json'), JUNK, "the payment's choreography subscription");
    assert.equal(letters.length, 4 * JUNK);

    // Figures.
    const count = (mode: string, outcome: Outcome) =>
      placed.filter((o) => o.mode === mode && outcomes.get(o.orderId) === outcome).length;
    const lives = orderService.lives;
    const sum = (name: string) =>
      lives.reduce(
        (n, s) => n + Object.entries(s.metrics).reduce((m, [k, v]) => (k.startsWith(name) ? m + v : m), 0),
        0,
      );
    const figures = {
      orders: ORDERS,
      seed: SEED,
      orchestrated: {
        delivered: count('orchestrated', 'delivered'),
        paymentFailed: count('orchestrated', 'payment failed'),
        goodsUnavailable: count('orchestrated', 'goods unavailable'),
      },
      choreographed: {
        delivered: count('choreographed', 'delivered'),
        paymentFailed: count('choreographed', 'payment failed'),
        goodsUnavailable: count('choreographed', 'goods unavailable'),
      },
      injected: {
        duplicatesPublished: audit.duplicatesInjected,
        acksLostInTheTest: lossy.reduce((n, b) => n + b.lostAcks, 0),
        acksLostInTheOrderService: lives.reduce((n, s) => n + s.lostAcks, 0),
        orderServiceKills: crashes.map((ms) => `${(ms / 1_000).toFixed(1)} s`),
        // What the order service's engine held at its last report (≤ 0.5 s) before each kill.
        elementInstancesAtKills: lives.slice(0, crashes.length).map((s) => s.running),
        jobsAtKills: lives.slice(0, crashes.length).map((s) => s.jobs),
        paymentDown: paymentDown.map((ms) => `${(ms / 1_000).toFixed(1)} s`).join(' to '),
      },
      caught: {
        byServices: inventoryBus.duplicates + shippingBus.duplicates + checkoutBus.duplicates,
        byPaymentEngine: paymentSide.connectors.metrics.inboundDuplicates.get(),
        // Counted up to its last report before each kill, so at least this many.
        byOrderEngine: sum('baton_connectors_inbound_duplicates_total'),
      },
      seconds: {
        placed: placedAfter / 1_000,
        allEnded: endedAfter / 1_000,
        total: (Date.now() - started) / 1_000,
      },
    };
    t.diagnostic(JSON.stringify(figures));
  });
});
