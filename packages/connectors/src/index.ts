// @baton-engine/connectors: event-bus connectors (inbound subscriptions, outbound outbox) over one Bus interface with
// in-process, NATS JetStream and RabbitMQ implementations. See docs/connectors.md.
export { startConnectors } from './connectors.js';
export type { RunningConnectors, StartConnectorsOptions } from './connectors.js';
export {
  parseConnectorsConfig,
  loadConnectorsConfig,
  ConnectorsConfigError,
  BUS_PUBLISH_JOB_TYPE,
  defaultGroup,
} from './config.js';
export type {
  ConnectorsConfig,
  ConnectorsConfigInput,
  BusConfig,
  InboundConfig,
  InboundConfigInput,
  DeadLetterConfig,
} from './config.js';
export type {
  Bus,
  BusState,
  BusSubscription,
  Delivery,
  DeliveryHandler,
  OutgoingMessage,
  SubscribeOptions,
} from './bus/bus.js';
export { BusUnavailableError } from './bus/bus.js';
export { MemoryBroker, MemoryBus, createMemoryBus } from './bus/memory-bus.js';
export type { MemoryBrokerOptions } from './bus/memory-bus.js';
export { NatsBus, createNatsBus } from './bus/nats-bus.js';
export type { NatsBusOptions } from './bus/nats-bus.js';
export { AmqpBus, createAmqpBus } from './bus/amqp-bus.js';
export type { AmqpBusOptions } from './bus/amqp-bus.js';
export { createEnvelope, encodeEnvelope, decodeEnvelope, ENVELOPE_CONTENT_TYPE } from './envelope.js';
export type { Envelope } from './envelope.js';
export { BUS_SUBSCRIBE_TYPE, inboundBindingsOf } from './model-bindings.js';
export type { InboundBinding, CorrelateAction, CreateInstanceAction } from './inbound.js';
export { DEAD_LETTER_HEADERS, readDeadLetter } from './dead-letter.js';
export type { DeadLetter, DeadLetterReason } from './dead-letter.js';
export { ConnectorMetrics, Metric } from './metrics.js';
export type { ConnectorLog } from './log.js';
export { consoleLog, silentLog } from './log.js';
export { buildOutboundMessage } from './outbound-message.js';
export type { OutboundMessage } from './outbound-message.js';
