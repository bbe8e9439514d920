import type { LoggedRecord } from '@baton-engine/engine';
import type { ReadModel } from '@baton-engine/read-model';
import type { OrderLine } from '../catalogue.js';
import type { InventoryService } from '../services/inventory.js';
import type { LedgerEntry } from '../services/payment.js';
import type { ShippingService } from '../services/shipping.js';
import type { Audit } from './audit.js';

/** An order as the test placed it. */
export interface PlacedOrder {
  readonly orderId: string;
  readonly customerId: string;
  readonly mode: 'orchestrated' | 'choreographed';
  readonly items: readonly OrderLine[];
  readonly amount: number;
}

export type Outcome = 'delivered' | 'payment failed' | 'goods unavailable';

/** What the audit heard of an order's end: nothing yet, its one outcome, or something wrong. */
export type Ending = { readonly outcome?: Outcome; readonly problem?: string };

/** The one terminal outcome the audit heard for an order: none yet, the outcome, or what is wrong. */
export function endingOf(order: PlacedOrder, audit: Audit): Ending {
  const count = (type: string) => audit.ids(order.orderId, type).size;
  if (order.mode === 'orchestrated') {
    const completed = count('order.completed');
    const cancelled = count('order.cancelled');
    if (completed + cancelled === 0) return {};
    if (completed + cancelled > 1)
      return { problem: `${completed} order.completed and ${cancelled} order.cancelled` };
    if (completed === 1) return { outcome: 'delivered' };
    // Its cause (said once, checked later with every other message).
    if (count('payment.failed') > 0) return { outcome: 'payment failed' };
    if (count('goods.unavailable') > 0) return { outcome: 'goods unavailable' };
    // The audit hears each subject on its own: the cause may come after the cancellation.
    return {};
  }
  const shipped = count('goods.shipped');
  const failed = count('payment.failed');
  const unavailable = count('goods.unavailable');
  if (shipped + failed + unavailable === 0) return {};
  if (shipped + failed + unavailable > 1) {
    return {
      problem: `${shipped} goods.shipped, ${failed} payment.failed and ${unavailable} goods.unavailable`,
    };
  }
  return { outcome: shipped === 1 ? 'delivered' : failed === 1 ? 'payment failed' : 'goods unavailable' };
}

/** Each order's money movements, and what they add up to. */
export function booksOf(ledger: readonly LedgerEntry[]) {
  const byOrder = new Map<string, { net: number; charges: number; deductions: number; entries: string[] }>();
  for (const entry of ledger) {
    const books = byOrder.get(entry.orderId) ?? { net: 0, charges: 0, deductions: 0, entries: [] };
    byOrder.set(entry.orderId, books);
    const sign = entry.kind === 'credit-deducted' || entry.kind === 'card-charged' ? 1 : -1;
    books.net += sign * entry.amount;
    if (entry.kind === 'card-charged') books.charges++;
    if (entry.kind === 'credit-deducted') books.deductions++;
    books.entries.push(`${entry.kind} ${entry.amount}`);
  }
  return byOrder;
}

/** What each order should have cost in the end: its amount when delivered, nothing otherwise. */
export const expectedNet = (order: PlacedOrder, outcome: Outcome) =>
  outcome === 'delivered' ? order.amount : 0;

/** The instances of a process in an engine's records, by the order id they were started for. */
export function instancesByOrder(records: readonly LoggedRecord[], bpmnProcessId: string) {
  const instances = new Set<string>();
  const completed = new Set<string>();
  for (const r of records) {
    if (r.recordType !== 'EVENT' || r.valueType !== 'PROCESS_INSTANCE') continue;
    if (r.value.bpmnElementType !== 'PROCESS') continue;
    if (r.intent === 'ELEMENT_ACTIVATED' && r.value.bpmnProcessId === bpmnProcessId) instances.add(r.key);
    if (r.intent === 'ELEMENT_COMPLETED') completed.add(r.key);
  }
  // The variables of an instance started by a message are written before the instance is activated.
  const byOrder = new Map<string, { keys: string[]; completed: number }>();
  for (const r of records) {
    if (r.recordType !== 'EVENT' || r.valueType !== 'VARIABLE' || r.intent !== 'CREATED') continue;
    const key = r.value.processInstanceKey;
    if (r.value.name !== 'orderId' || r.value.scopeKey !== key || !instances.has(key)) continue;
    const entry = byOrder.get(String(r.value.value)) ?? { keys: [], completed: 0 };
    byOrder.set(String(r.value.value), entry);
    entry.keys.push(key);
    if (completed.has(key)) entry.completed++;
  }
  return byOrder;
}

/** The same from a read model: every instance of the process, by the order id at its root scope. */
export async function instancesInReadModel(readModel: ReadModel, bpmnProcessId: string) {
  const all = async <T>(page: (n: number) => Promise<{ items: T[]; total: number }>) => {
    const items: T[] = [];
    for (let n = 1; ; n++) {
      const next = await page(n);
      items.push(...next.items);
      if (next.items.length === 0 || items.length >= next.total) return items;
    }
  };
  const instances = new Map(
    (await all((page) => readModel.searchInstances({ bpmnProcessId, page, pageSize: 1_000 }))).map((i) => [
      String(i.key),
      i.state,
    ]),
  );
  const byOrder = new Map<string, { keys: string[]; completed: number }>();
  for (const v of await all((page) =>
    readModel.searchVariables({ name: 'orderId', page, pageSize: 1_000 }),
  )) {
    const key = String(v.processInstanceKey);
    if (v.scopeKey !== key || !instances.has(key)) continue;
    const entry = byOrder.get(String(v.value)) ?? { keys: [], completed: 0 };
    byOrder.set(String(v.value), entry);
    entry.keys.push(key);
    if (instances.get(key) === 'COMPLETED') entry.completed++;
  }
  return byOrder;
}

/**
 * The commands and events an order must have caused (each exactly once), by how it ended. A failed orchestrated
 * order compensates every step that completed: the payment request (refund) and the fetch command (return goods).
 */
function expectedSteps(order: PlacedOrder, outcome: Outcome): string[] {
  if (order.mode === 'choreographed') {
    if (outcome === 'payment failed') return ['order.placed', 'payment.failed'];
    if (outcome === 'goods unavailable')
      return ['order.placed', 'payment.received', 'goods.unavailable', 'payment.refunded'];
    return ['order.placed', 'payment.received', 'goods.fetched', 'goods.shipped'];
  }
  const refund = ['payment.refund', 'payment.refunded', 'order.cancelled'];
  if (outcome === 'payment failed') return ['order.placed', 'payment.retrieve', 'payment.failed', ...refund];
  const paid = ['order.placed', 'payment.retrieve', 'payment.received', 'inventory.fetch-goods'];
  if (outcome === 'goods unavailable')
    return [...paid, 'goods.unavailable', 'inventory.return-goods', ...refund];
  return [...paid, 'goods.fetched', 'shipping.ship-goods', 'goods.shipped', 'order.completed'];
}

export interface World {
  readonly audit: Audit;
  readonly books: ReturnType<typeof booksOf>;
  readonly inventory: InventoryService;
  readonly shipping: ShippingService;
  /** Instances of the order service's flows (from its SQLite log) and of the payment flow. */
  readonly orderFlows: ReturnType<typeof instancesByOrder>;
  readonly trackingFlows: ReturnType<typeof instancesByOrder>;
  readonly paymentFlows: ReturnType<typeof instancesByOrder>;
}

/** Everything that must hold for one finished order; returns the problems found. */
export function checkOrder(order: PlacedOrder, outcome: Outcome, world: World): string[] {
  const problems: string[] = [];
  const say = (text: string) =>
    problems.push(`${order.orderId} (${order.mode}, ${order.customerId}, ${outcome}): ${text}`);

  // Each step once, and no other business step; every message said at most once (by envelope id).
  const types = world.audit.types(order.orderId);
  for (const [type, n] of types) if (n > 1) say(`${n} different ${type} messages`);
  const steps = expectedSteps(order, outcome);
  for (const step of steps) if (!types.has(step)) say(`no ${step}`);
  const business = [...types.keys()].filter((t) => !t.startsWith('notification.'));
  const extra = business.filter((t) => !steps.includes(t));
  if (extra.length > 0) say(`unexpected ${extra.join(', ')}`);

  // The business outcome follows from the customer: Bob's card is always declined.
  if ((order.customerId === 'bob') !== (outcome === 'payment failed'))
    say(`not the outcome ${order.customerId} gets`);

  // Money: charged at most once, and in the end the order cost its amount or nothing.
  const books = world.books.get(order.orderId) ?? { net: 0, charges: 0, deductions: 0, entries: [] };
  if (books.charges > 1) say(`card charged ${books.charges} times: ${books.entries.join(', ')}`);
  if (books.deductions > 1) say(`credit deducted ${books.deductions} times: ${books.entries.join(', ')}`);
  if (outcome === 'payment failed' && books.charges > 0) say('a failed payment charged the card');
  if (books.net !== expectedNet(order, outcome))
    say(`cost ${books.net} in the end, not ${expectedNet(order, outcome)}: ${books.entries.join(', ')}`);

  // Goods: picked and handed to the carrier once for a delivered order, never otherwise.
  const picks = world.inventory.picks.get(order.orderId) ?? 0;
  const handovers = world.shipping.handovers.get(order.orderId) ?? 0;
  const delivered = outcome === 'delivered' ? 1 : 0;
  if (picks !== delivered) say(`goods picked ${picks} times`);
  if (handovers !== delivered) say(`handed to the carrier ${handovers} times`);
  if (delivered && world.shipping.shipments.get(order.orderId)?.status !== 'shipped') say('not shipped');

  // Engines: one instance of each flow the order runs through, completed.
  const flows =
    order.mode === 'orchestrated'
      ? ([['order-fulfilment', world.orderFlows]] as const)
      : ([['order-tracking', world.trackingFlows]] as const);
  for (const [name, instances] of [...flows, ['payment', world.paymentFlows] as const]) {
    const entry = instances.get(order.orderId);
    if (entry?.keys.length !== 1) say(`${entry?.keys.length ?? 0} ${name} instances`);
    else if (entry.completed !== 1) say(`its ${name} instance did not complete`);
  }
  return problems;
}
