// What the connectors' cluster tests share: a real broker namespace (a fresh NATS stream or RabbitMQ exchange,
// deleted afterwards) with a connectors configuration file for the nodes, an order process bound to the bus,
// and a payment service on the bus that answers the orders' payment requests.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bus, Delivery } from '@baton-engine/connectors';
import { AmqpBus, createEnvelope, decodeEnvelope, encodeEnvelope, NatsBus } from '@baton-engine/connectors';
import {
  AMQP_PORT,
  amqpNamespace,
  NATS_PORT,
  natsNamespace,
  requireBroker,
  TcpProxy,
} from '@baton-engine/connectors/test-support';

export type BrokerKind = 'nats' | 'amqp';

/** The connectors' `source`: outbound envelope ids are `cluster-orders:<job key>`. */
export const SOURCE = 'cluster-orders';
/** The durable group of the model's inbound binding (`baton.<process id>.<element id>`). */
export const PAID_GROUP = 'baton.bus-order.paid';
const PAYMENTS_GROUP = 'test.payment-service';
const DONE_GROUP = 'test.done';

/** Order: publish a payment request, wait for `payment.received` from the bus, announce the order done. */
export const busOrderXml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="bus-order-defs" targetNamespace="http://baton.dev/test">
  <bpmn:message id="m-paid" name="payment.received">
    <bpmn:extensionElements><zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements>
  </bpmn:message>
  <bpmn:process id="bus-order" isExecutable="true">
    <bpmn:startEvent id="placed"/>
    <bpmn:sendTask id="request-payment">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="baton:bus-publish"/>
        <zeebe:taskHeaders>
          <zeebe:header key="subject" value="payment.requests"/>
          <zeebe:header key="messageType" value="payment.requested"/>
          <zeebe:header key="payload" value="={ orderId: orderId }"/>
        </zeebe:taskHeaders>
      </bpmn:extensionElements>
    </bpmn:sendTask>
    <bpmn:intermediateCatchEvent id="paid">
      <bpmn:extensionElements>
        <zeebe:properties>
          <zeebe:property name="inbound.type" value="baton:bus-subscribe"/>
          <zeebe:property name="inbound.subject" value="payment.events"/>
          <zeebe:property name="correlationKeyExpression" value="=data.orderId"/>
          <zeebe:property name="resultVariable" value="payment"/>
        </zeebe:properties>
      </bpmn:extensionElements>
      <bpmn:messageEventDefinition messageRef="m-paid"/>
    </bpmn:intermediateCatchEvent>
    <bpmn:sendTask id="announce-done">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="baton:bus-publish"/>
        <zeebe:taskHeaders>
          <zeebe:header key="subject" value="orders.done"/>
          <zeebe:header key="messageType" value="order.done"/>
          <zeebe:header key="payload" value="={ orderId: orderId, receipt: payment.receipt }"/>
        </zeebe:taskHeaders>
      </bpmn:extensionElements>
    </bpmn:sendTask>
    <bpmn:endEvent id="done"/>
    <bpmn:sequenceFlow id="f1" sourceRef="placed" targetRef="request-payment"/>
    <bpmn:sequenceFlow id="f2" sourceRef="request-payment" targetRef="paid"/>
    <bpmn:sequenceFlow id="f3" sourceRef="paid" targetRef="announce-done"/>
    <bpmn:sequenceFlow id="f4" sourceRef="announce-done" targetRef="done"/>
  </bpmn:process>
</bpmn:definitions>`;

/** A broker namespace of one test: the nodes' configuration files, the test's own bus, and the clean-up. */
export interface BusNamespace {
  /** The connectors configuration for the nodes. */
  readonly configFile: string;
  /** The same, reaching the broker through a proxy the test can stall (`TcpProxy.stall`). */
  readonly proxiedConfigFile: string;
  readonly proxy: TcpProxy;
  /** The test's connection (the payment service and the observer of what the nodes publish). */
  readonly bus: Bus;
  dispose(): Promise<void>;
}

/**
 * A fresh namespace on the real broker (failing at once, naming it, when the broker is not running): the nodes
 * get a connectors file with short timeouts (a job taken by a killed node goes out again after 3 s; on NATS a
 * message a killed node did not acknowledge comes again after 2 s).
 */
export async function busNamespace(kind: BrokerKind, dir: string): Promise<BusNamespace> {
  await requireBroker(kind);
  const proxy = await TcpProxy.start(kind === 'nats' ? NATS_PORT : AMQP_PORT);
  const write = (name: string, bus: Record<string, unknown>) => {
    const file = join(dir, `${name}-${kind}.json`);
    writeFileSync(file, JSON.stringify({ source: SOURCE, outbound: { jobTimeout: 'PT3S' }, bus }));
    return file;
  };
  const files = (bus: Record<string, unknown>, address: (port: number) => Record<string, unknown>) => ({
    configFile: write('connectors', bus),
    proxiedConfigFile: write('proxied-connectors', { ...bus, ...address(proxy.port) }),
  });
  if (kind === 'nats') {
    const ns = natsNamespace();
    const o = ns.options;
    const bus = {
      kind,
      servers: o.servers,
      stream: o.stream,
      subjectPrefix: o.subjectPrefix,
      ackWait: 'PT2S',
    };
    const client = new NatsBus(o);
    return {
      ...files(bus, (port) => ({ servers: `nats://127.0.0.1:${port}` })),
      proxy,
      bus: client,
      dispose: () => closeThen(client, proxy, () => ns.dispose()),
    };
  }
  const ns = amqpNamespace();
  const o = ns.options;
  const bus = { kind, url: o.url, exchange: o.exchange, queuePrefix: o.queuePrefix };
  const client = new AmqpBus(o);
  return {
    ...files(bus, (port) => ({ url: `amqp://guest:guest@127.0.0.1:${port}` })),
    proxy,
    bus: client,
    // The nodes' queues do not expire by themselves: every group of the test goes.
    dispose: () =>
      closeThen(client, proxy, () =>
        ns.dispose([PAID_GROUP, PAYMENTS_GROUP, DONE_GROUP, `${SOURCE}.dead-letter`]),
      ),
  };
}

async function closeThen(bus: Bus, proxy: TcpProxy, next: () => Promise<void>): Promise<void> {
  await bus.close().catch(() => undefined);
  await proxy.close();
  await next();
}

/**
 * A payment service on the bus: it answers every payment request (`payment.requests`) with `payment.received`
 * for its order, published twice under one id as an at-least-once publisher may, and records what the nodes
 * published: the request envelopes' ids per order, and the orders announced done.
 */
export class PaymentService {
  /** Per order, the ids of the payment requests delivered (one id, however often it came). */
  readonly requests = new Map<string, Set<string>>();
  requestDeliveries = 0;
  /** Per order, how often it was announced done. */
  readonly done = new Map<string, number>();
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly bus: Bus) {}

  /** Subscribes once the bus is connected; the groups keep what is published from then on. */
  static async start(bus: Bus): Promise<PaymentService> {
    await connected(bus);
    const service = new PaymentService(bus);
    await bus.subscribe('payment.requests', { group: PAYMENTS_GROUP }, (d) => service.onRequest(d));
    await bus.subscribe('orders.done', { group: DONE_GROUP }, (d) => service.onDone(d));
    return service;
  }

  private async onRequest(delivery: Delivery): Promise<void> {
    const decoded = decodeEnvelope(delivery.body, delivery.id);
    if (!decoded.ok) throw new Error(`payment service: not an envelope: ${decoded.message}`);
    const { orderId } = decoded.envelope.data as { orderId: string };
    const answer = createEnvelope({
      type: 'payment.received',
      id: `paid:${orderId}`,
      source: 'payment-service',
      data: { orderId, receipt: `R-${orderId}` },
    });
    const message = { id: answer.id, body: encodeEnvelope(answer) };
    await this.bus.publish('payment.events', message);
    await this.bus.publish('payment.events', message);
    this.requestDeliveries += 1;
    const ids = this.requests.get(orderId) ?? new Set<string>();
    ids.add(decoded.envelope.id);
    this.requests.set(orderId, ids);
    await delivery.ack();
    this.wake();
  }

  private async onDone(delivery: Delivery): Promise<void> {
    const decoded = decodeEnvelope(delivery.body, delivery.id);
    if (!decoded.ok) throw new Error(`payment service: not an envelope: ${decoded.message}`);
    const { orderId } = decoded.envelope.data as { orderId: string };
    this.done.set(orderId, (this.done.get(orderId) ?? 0) + 1);
    await delivery.ack();
    this.wake();
  }

  /** Resolves once every order is announced done; fails after `timeoutMs`, naming those missing. */
  async allDone(orders: readonly string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const missing = orders.filter((o) => !this.done.has(o));
      if (missing.length === 0) return;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `${missing.length} of ${orders.length} orders not done within ${timeoutMs} ms (${missing.slice(0, 5).join(', ')} …)`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, 1_000));
        const waiters = this.waiters;
        function done() {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        }
        waiters.add(done);
      });
    }
  }

  private wake(): void {
    for (const wake of [...this.waiters]) wake();
  }
}

/** Resolves once the bus is connected (fails after 10 s). */
function connected(bus: Bus): Promise<void> {
  if (bus.state === 'connected') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`the test's ${bus.kind} bus did not connect within 10 s`));
    }, 10_000);
    const off = bus.onStateChange((state) => {
      if (state !== 'connected') return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}
