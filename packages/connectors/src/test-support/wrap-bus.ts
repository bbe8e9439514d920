import type { Bus, OutgoingMessage } from '../bus/bus.js';

/** A bus whose publishes go through `publish` (to record, refuse or delay some); the rest is `inner`'s. */
export function wrapBus(
  inner: Bus,
  publish: (
    subject: string,
    message: OutgoingMessage,
    next: (subject: string, message: OutgoingMessage) => Promise<void>,
  ) => Promise<void>,
): Bus {
  return {
    kind: inner.kind,
    get state() {
      return inner.state;
    },
    onStateChange: (listener) => inner.onStateChange(listener),
    subscribe: (...args) => inner.subscribe(...args),
    declareGroup: (...args) => inner.declareGroup(...args),
    close: () => inner.close(),
    publish: (subject, message) => publish(subject, message, (s, m) => inner.publish(s, m)),
  };
}
