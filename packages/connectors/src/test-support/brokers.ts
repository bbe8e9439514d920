import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import { connect } from 'nats';
import type { AmqpBusOptions } from '../bus/amqp-bus.js';
import type { NatsBusOptions } from '../bus/nats-bus.js';
import { portOpen } from './tcp-proxy.js';

export { TcpProxy } from './tcp-proxy.js';

export const NATS_PORT = Number(process.env.BATON_TEST_NATS_PORT ?? 4222);
export const AMQP_PORT = Number(process.env.BATON_TEST_AMQP_PORT ?? 5672);

/** Fails with what to do when no broker listens: these tests run against the real brokers. */
export async function requireBroker(kind: 'nats' | 'amqp'): Promise<void> {
  const port = kind === 'nats' ? NATS_PORT : AMQP_PORT;
  if (await portOpen(port)) return;
  const what = kind === 'nats' ? 'NATS (with JetStream, -js)' : 'RabbitMQ';
  throw new Error(
    `${what} is not reachable on 127.0.0.1:${port}; these tests need the real broker. ` +
      `Install and start it: bash .ci/services.sh (CI installs nats-server and rabbitmq-server from Debian).`,
  );
}

const unique = () => randomBytes(4).toString('hex');

/** A fresh JetStream stream and subject prefix, and a way to delete them. */
export function natsNamespace(): { options: NatsBusOptions; dispose(): Promise<void> } {
  const id = unique();
  const options: NatsBusOptions = {
    servers: `nats://127.0.0.1:${NATS_PORT}`,
    stream: `TEST_${id}`,
    subjectPrefix: `t${id}.`,
    ackWaitMs: 2_000,
  };
  return {
    options,
    async dispose() {
      const nc = await connect({ servers: `nats://127.0.0.1:${NATS_PORT}` });
      try {
        const jsm = await nc.jetstreamManager();
        await jsm.streams.delete(options.stream!).catch(() => undefined);
      } finally {
        await nc.close();
      }
    },
  };
}

/**
 * A fresh exchange and queue prefix (queues expire when unused), and a way to delete the exchange and the
 * queues of `groups` (those made by buses without `queueExpiresMs`, e.g. Baton nodes in child processes).
 */
export function amqpNamespace(): { options: AmqpBusOptions; dispose(groups?: string[]): Promise<void> } {
  const id = unique();
  const options: AmqpBusOptions = {
    url: `amqp://guest:guest@127.0.0.1:${AMQP_PORT}`,
    exchange: `test-${id}`,
    queuePrefix: `test-${id}.`,
    queueExpiresMs: 60_000,
  };
  return {
    options,
    async dispose(groups: string[] = []) {
      const model = await amqp.connect(options.url!);
      try {
        const channel = await model.createChannel();
        for (const group of groups) await channel.deleteQueue(`${options.queuePrefix!}${group}`);
        await channel.deleteExchange(options.exchange!).catch(() => undefined);
      } finally {
        await model.close().catch(() => undefined);
      }
    },
  };
}
