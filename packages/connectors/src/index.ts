/** Event-bus connectors (NATS JetStream, RabbitMQ): inbound subscriptions and a transactional outbox. */
export {};
