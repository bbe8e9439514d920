import { runBusContract } from './contract.js';
import { AmqpBus } from './amqp-bus.js';
import { amqpNamespace, AMQP_PORT, requireBroker } from '../test-support/brokers.js';
import { TcpProxy } from '../test-support/tcp-proxy.js';

runBusContract('RabbitMQ', async () => {
  await requireBroker('amqp');
  const namespace = amqpNamespace();
  const proxy = await TcpProxy.start(AMQP_PORT);
  const bus = new AmqpBus({ ...namespace.options, url: `amqp://guest:guest@127.0.0.1:${proxy.port}` });
  return {
    bus,
    connectOther: async () => new AmqpBus(namespace.options),
    outage: { cut: () => proxy.cut(), restore: () => proxy.restore() },
    dispose: async () => {
      await proxy.close();
      await namespace.dispose();
    },
  };
});
