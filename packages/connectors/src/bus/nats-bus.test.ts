import { runBusContract } from './contract.js';
import { NatsBus } from './nats-bus.js';
import { natsNamespace, NATS_PORT, requireBroker } from '../test-support/brokers.js';
import { TcpProxy } from '../test-support/tcp-proxy.js';

runBusContract(
  'NATS JetStream',
  async () => {
    await requireBroker('nats');
    const namespace = natsNamespace();
    const proxy = await TcpProxy.start(NATS_PORT);
    const bus = new NatsBus({ ...namespace.options, servers: `nats://127.0.0.1:${proxy.port}` });
    return {
      bus,
      connectOther: async () => new NatsBus(namespace.options),
      outage: { cut: () => proxy.cut(), restore: () => proxy.restore() },
      dispose: async () => {
        await proxy.close();
        await namespace.dispose();
      },
    };
  },
  { redeliveredFlagAfterNack: false },
);
