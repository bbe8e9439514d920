import { z } from 'zod';

/**
 * The message envelope on the bus (docs/connectors.md), in the spirit of CloudEvents 1.0 (structured JSON mode):
 * what happened (`type`), a stable `id` consumers de-duplicate by, who said it (`source`), when (`time`),
 * the trace and business correlation it belongs to, and the payload (`data`).
 */
export interface Envelope {
  readonly specversion: '1.0';
  /** What the message is: `order.placed`, `payment.retrieve` … */
  readonly type: string;
  /** Unique per logical message: a retry of the same message has the same id. */
  readonly id: string;
  /** Who sent it: a service name, or `baton` plus the process for messages from the engine. */
  readonly source: string;
  /** When it was sent, RFC 3339 (`2030-01-01T10:00:00.000Z`). */
  readonly time: string;
  /** The distributed trace it belongs to (W3C trace id or any string), passed along by the services. */
  readonly traceId?: string;
  /** The business conversation it belongs to (an order id …), for correlation and for people reading logs. */
  readonly correlationId?: string;
  readonly datacontenttype?: string;
  readonly data: unknown;
}

/** The content type of an encoded envelope (also sent as the `content-type` header). */
export const ENVELOPE_CONTENT_TYPE = 'application/cloudevents+json; charset=utf-8';

const nonEmpty = z.string().min(1);

/** Extension attributes are lower case in strict CloudEvents (`traceid`); both spellings are read. */
const wireEnvelope = z
  .object({
    specversion: z.string().optional(),
    type: nonEmpty,
    id: nonEmpty,
    source: z.string().optional(),
    time: z.string().optional(),
    traceId: z.string().optional(),
    traceid: z.string().optional(),
    correlationId: z.string().optional(),
    correlationid: z.string().optional(),
    datacontenttype: z.string().optional(),
    data: z.unknown().optional(),
  })
  .passthrough();

/** Builds an envelope; `time` defaults to now. */
export function createEnvelope(fields: {
  type: string;
  id: string;
  source: string;
  data: unknown;
  time?: Date | string;
  traceId?: string;
  correlationId?: string;
}): Envelope {
  const time =
    fields.time instanceof Date ? fields.time.toISOString() : (fields.time ?? new Date().toISOString());
  return {
    specversion: '1.0',
    type: fields.type,
    id: fields.id,
    source: fields.source,
    time,
    ...(fields.traceId ? { traceId: fields.traceId } : {}),
    ...(fields.correlationId ? { correlationId: fields.correlationId } : {}),
    datacontenttype: 'application/json',
    data: fields.data ?? null,
  };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeEnvelope(envelope: Envelope): Uint8Array {
  return encoder.encode(JSON.stringify(envelope));
}

/**
 * Reads an envelope from a message body. A body without an `id` takes the broker's message id. Fails with
 * what is wrong, as a kind (`not-json`, `invalid-envelope`) and a message (not JSON, no `type` …): such a
 * message cannot be processed, ever.
 */
export function decodeEnvelope(
  body: Uint8Array,
  fallbackId = '',
):
  { ok: true; envelope: Envelope } | { ok: false; reason: 'not-json' | 'invalid-envelope'; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(body));
  } catch (error) {
    return { ok: false, reason: 'not-json', message: `the body is not JSON (${(error as Error).message})` };
  }
  if (json && typeof json === 'object' && !Array.isArray(json) && !('id' in json) && fallbackId) {
    json = { ...json, id: fallbackId };
  }
  const parsed = wireEnvelope.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
    return { ok: false, reason: 'invalid-envelope', message: `not an envelope (${problems.join('; ')})` };
  }
  const e = parsed.data;
  const traceId = e.traceId ?? e.traceid;
  const correlationId = e.correlationId ?? e.correlationid;
  return {
    ok: true,
    envelope: {
      specversion: '1.0',
      type: e.type,
      id: e.id,
      source: e.source ?? '',
      time: e.time ?? '',
      ...(traceId ? { traceId } : {}),
      ...(correlationId ? { correlationId } : {}),
      ...(e.datacontenttype ? { datacontenttype: e.datacontenttype } : {}),
      data: e.data ?? null,
    },
  };
}
