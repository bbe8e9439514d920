import { runBusContract } from './contract.js';
import { MemoryBroker } from './memory-bus.js';

runBusContract('memory', async () => {
  const broker = new MemoryBroker({ ackWaitMs: 2_000 });
  return {
    bus: broker.connect(),
    connectOther: async () => broker.connect(),
    outage: {
      cut: async () => broker.setAvailable(false),
      restore: async () => broker.setAvailable(true),
    },
    dispose: async () => undefined,
  };
});
