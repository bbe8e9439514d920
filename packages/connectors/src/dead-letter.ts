import { createHash } from 'node:crypto';
import type { Delivery, OutgoingMessage } from './bus/bus.js';

/**
 * Why an inbound message was parked on the dead-letter subject (the `reason` label of the metric and the
 * `baton-dead-letter-reason` header):
 *
 * - `not-json`: the body is not UTF-8 JSON;
 * - `invalid-envelope`: JSON, but not an envelope (no `type`, no `id` and no broker id …);
 * - `activation-condition-failed`: the activation condition gave neither true nor false;
 * - `unknown-message`: the message name cannot be made from it (`messageName` fails or gives an empty name);
 * - `missing-correlation-key`: `correlationKey` fails on it (the field it names is missing, or not a string);
 * - `invalid-message-id`, `invalid-variables`: `messageId` or `variables` fails on it, or gives the wrong type;
 * - `engine-refused`: the engine refused it for good (`INVALID_ARGUMENT`, `INVALID_STATE`);
 * - `unknown-process`: an instance start for a process the engine does not know, refused `maxRefusals` times;
 * - `engine-error`: the engine failed on it (`PROCESSING_ERROR`, an unexpected error) `maxRefusals` times.
 */
export type DeadLetterReason =
  | 'not-json'
  | 'invalid-envelope'
  | 'activation-condition-failed'
  | 'unknown-message'
  | 'missing-correlation-key'
  | 'invalid-message-id'
  | 'invalid-variables'
  | 'engine-refused'
  | 'unknown-process'
  | 'engine-error';

/** What is wrong with a message: the kind, and a sentence for people. */
export interface Unprocessable {
  readonly reason: DeadLetterReason;
  readonly message: string;
}

/**
 * The headers a dead letter carries besides the original message's own. Its body is the original body, byte for
 * byte, so that replaying it is publishing the body to `baton-dead-letter-subject` again.
 */
export const DEAD_LETTER_HEADERS = {
  /** The reason kind (`not-json` …). */
  reason: 'baton-dead-letter-reason',
  /** What is wrong, in words: the decoder's or FEEL's message, the engine's refusal. */
  message: 'baton-dead-letter-message',
  /** The subject the message came on. */
  subject: 'baton-dead-letter-subject',
  /** Its broker message id (`Nats-Msg-Id`, AMQP `message-id`), when it had one. */
  id: 'baton-dead-letter-id',
  /** The envelope id, when it could be read. */
  envelopeId: 'baton-dead-letter-envelope-id',
  /** The subscription (its name), the group it was delivered to, and where the subscription was declared. */
  subscription: 'baton-dead-letter-subscription',
  group: 'baton-dead-letter-group',
  origin: 'baton-dead-letter-origin',
  /** The `source` of the connectors that parked it. */
  source: 'baton-dead-letter-source',
  /** When it was parked (RFC 3339). */
  time: 'baton-dead-letter-time',
} as const;

/** A dead letter as read back from the dead-letter subject. */
export interface DeadLetter {
  readonly reason: DeadLetterReason;
  readonly message: string;
  readonly subject: string;
  readonly id: string;
  readonly envelopeId: string;
  readonly subscription: string;
  readonly group: string;
  readonly origin: string;
  readonly source: string;
  readonly time: string;
  /** The original message's own headers. */
  readonly headers: Readonly<Record<string, string>>;
  /** The original body. */
  readonly body: Uint8Array;
}

/** Where a dead letter came from: the subscription, and the connectors' `source`. */
export interface DeadLetterOrigin {
  readonly subscription: string;
  readonly group: string;
  readonly origin: string;
  readonly source: string;
}

/** Header values stay on one line and within what brokers take comfortably. */
const headerValue = (text: string) => text.replace(/[\r\n]+/g, ' ').slice(0, 1_000);

/**
 * The message that parks `delivery` on the dead-letter subject. Its id is stable for the same delivery
 * (`dead-letter:<group>:<message id>`, a hash of subject and body when the message had no id), so a dead letter
 * published again after a crash is dropped by JetStream and recognisable elsewhere.
 */
export function deadLetterMessage(
  delivery: Pick<Delivery, 'id' | 'subject' | 'headers' | 'body'>,
  problem: Unprocessable,
  from: DeadLetterOrigin,
  envelopeId: string | undefined,
  now: Date,
): OutgoingMessage {
  const key =
    delivery.id ||
    envelopeId ||
    `sha256-${createHash('sha256').update(delivery.subject).update('\n').update(delivery.body).digest('hex').slice(0, 32)}`;
  const own = Object.fromEntries(
    Object.entries(delivery.headers).filter(([name]) => !name.toLowerCase().startsWith('baton-dead-letter-')),
  );
  const fields: Record<string, string | undefined> = {
    [DEAD_LETTER_HEADERS.reason]: problem.reason,
    [DEAD_LETTER_HEADERS.message]: problem.message,
    [DEAD_LETTER_HEADERS.subject]: delivery.subject,
    [DEAD_LETTER_HEADERS.id]: delivery.id,
    [DEAD_LETTER_HEADERS.envelopeId]: envelopeId,
    [DEAD_LETTER_HEADERS.subscription]: from.subscription,
    [DEAD_LETTER_HEADERS.group]: from.group,
    [DEAD_LETTER_HEADERS.origin]: from.origin,
    [DEAD_LETTER_HEADERS.source]: from.source,
    [DEAD_LETTER_HEADERS.time]: now.toISOString(),
  };
  const headers: Record<string, string> = { ...own };
  for (const [name, value] of Object.entries(fields)) if (value) headers[name] = headerValue(value);
  return { id: `dead-letter:${from.group}:${key}`, headers, body: delivery.body };
}

/** Reads a delivery from the dead-letter subject; undefined when it is not a dead letter. */
export function readDeadLetter(delivery: Pick<Delivery, 'headers' | 'body'>): DeadLetter | undefined {
  const h = delivery.headers;
  const reason = h[DEAD_LETTER_HEADERS.reason];
  if (!reason) return undefined;
  const headers = Object.fromEntries(
    Object.entries(h).filter(([name]) => !name.toLowerCase().startsWith('baton-dead-letter-')),
  );
  const get = (name: string) => h[name] ?? '';
  return {
    reason: reason as DeadLetterReason,
    message: get(DEAD_LETTER_HEADERS.message),
    subject: get(DEAD_LETTER_HEADERS.subject),
    id: get(DEAD_LETTER_HEADERS.id),
    envelopeId: get(DEAD_LETTER_HEADERS.envelopeId),
    subscription: get(DEAD_LETTER_HEADERS.subscription),
    group: get(DEAD_LETTER_HEADERS.group),
    origin: get(DEAD_LETTER_HEADERS.origin),
    source: get(DEAD_LETTER_HEADERS.source),
    time: get(DEAD_LETTER_HEADERS.time),
    headers,
    body: delivery.body,
  };
}
