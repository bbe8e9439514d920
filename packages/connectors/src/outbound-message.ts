import type { ActivatedJob } from '@baton-engine/engine';
import type { Envelope } from './envelope.js';
import { createEnvelope } from './envelope.js';
import type { FieldResult } from './feel-fields.js';
import { evaluateField, evaluateString } from './feel-fields.js';

/** A message an outbound job asks for: where it goes, the envelope, and what to set on the instance. */
export interface OutboundMessage {
  readonly subject: string;
  readonly envelope: Envelope;
  /** The variable the job completes with (`{ id, subject, type, time }`), when the model names one. */
  readonly resultVariable?: string;
}

/**
 * Builds the message of a `baton:bus-publish` job from its task headers (docs/connectors.md), evaluating the FEEL
 * ones against the job's variables:
 *
 * | header | |
 * | --- | --- |
 * | `subject` | required: where to publish (`orders.placed`, or FEEL) |
 * | `messageType` | the envelope `type` (default the subject) |
 * | `payload` | FEEL for the envelope `data` (default `{}`) |
 * | `correlationId`, `traceId` | optional envelope fields |
 * | `messageId` | the envelope id (default `<source>:<job key>`, stable across retries and restarts) |
 * | `source` | the envelope source (default the connectors' `source`) |
 * | `resultVariable` | complete the job with `{ [name]: { id, subject, type, time } }` |
 */
export function buildOutboundMessage(
  job: ActivatedJob,
  source: string,
  now: number,
): FieldResult<OutboundMessage> {
  const headers = job.customHeaders;
  const context = job.variables;
  if (!headers.subject) {
    return {
      ok: false,
      message: "a bus-publish task needs a 'subject' task header (the subject to publish to)",
    };
  }
  const subject = evaluateString('subject', headers.subject, context);
  if (!subject.ok) return subject;
  const type = evaluateString('messageType', headers.messageType ?? subject.value, context);
  if (!type.ok) return type;
  const payload = evaluateField('payload', headers.payload ?? '={}', context);
  if (!payload.ok) return payload;
  const optional = (name: string): FieldResult<string | undefined> =>
    headers[name] === undefined
      ? { ok: true, value: undefined }
      : evaluateString(name, headers[name], context, { allowEmpty: true });
  const correlationId = optional('correlationId');
  if (!correlationId.ok) return correlationId;
  const traceId = optional('traceId');
  if (!traceId.ok) return traceId;
  const id =
    headers.messageId === undefined
      ? { ok: true as const, value: `${source}:${job.key}` }
      : evaluateString('messageId', headers.messageId, context);
  if (!id.ok) return id;
  const from = optional('source');
  if (!from.ok) return from;
  return {
    ok: true,
    value: {
      subject: subject.value,
      envelope: createEnvelope({
        type: type.value,
        id: id.value,
        source: from.value || source,
        time: new Date(now),
        traceId: traceId.value || undefined,
        correlationId: correlationId.value || undefined,
        data: payload.value,
      }),
      resultVariable: headers.resultVariable || undefined,
    },
  };
}
