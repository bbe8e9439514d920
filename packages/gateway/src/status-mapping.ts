import { status } from '@grpc/grpc-js';
import { BatonError } from '@baton-engine/baton';
import type { BatonErrorCode } from '@baton-engine/baton';

/**
 * The one table from engine error codes to the gRPC status Camunda clients expect and the HTTP status of the
 * REST API. Both gateways read it; nothing else decides a status.
 */
export const STATUS: Readonly<Record<BatonErrorCode, { readonly grpc: status; readonly http: number }>> = {
  INVALID_ARGUMENT: { grpc: status.INVALID_ARGUMENT, http: 400 },
  NOT_FOUND: { grpc: status.NOT_FOUND, http: 404 },
  ALREADY_EXISTS: { grpc: status.ALREADY_EXISTS, http: 409 },
  INVALID_STATE: { grpc: status.FAILED_PRECONDITION, http: 409 },
  PROCESSING_ERROR: { grpc: status.INTERNAL, http: 500 },
  // Back-pressure: Zeebe clients retry RESOURCE_EXHAUSTED after a delay.
  RESOURCE_EXHAUSTED: { grpc: status.RESOURCE_EXHAUSTED, http: 429 },
  DEADLINE_EXCEEDED: { grpc: status.DEADLINE_EXCEEDED, http: 504 },
  UNAVAILABLE: { grpc: status.UNAVAILABLE, http: 503 },
  CANCELED: { grpc: status.ABORTED, http: 409 },
};

/**
 * A request for a feature Baton does not have yet (e.g. forms): gRPC UNIMPLEMENTED,
 * HTTP 501, never a pretended success.
 */
export class UnsupportedFeatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedFeatureError';
  }
}

/** The status for UnsupportedFeatureError, beside the engine table so that all statuses live in this file. */
export const UNSUPPORTED_STATUS = { grpc: status.UNIMPLEMENTED, http: 501, code: 'UNIMPLEMENTED' } as const;

/** A gRPC error for anything a handler threw: a BatonError keeps its code; anything else is INTERNAL. */
export function toGrpcError(error: unknown): { code: status; details: string } {
  if (error instanceof BatonError)
    return { code: STATUS[error.code].grpc, details: wellFormed(error.message) };
  if (error instanceof UnsupportedFeatureError)
    return { code: UNSUPPORTED_STATUS.grpc, details: wellFormed(error.message) };
  return {
    code: status.INTERNAL,
    details: wellFormed(error instanceof Error ? error.message : String(error)),
  };
}

/**
 * The details as a status trailer can carry them (both found by the gRPC fuzzing). A message quotes the
 * request (`process ID '…'`), so it can be long or hold a lone surrogate:
 * - grpc-js percent-encodes the details with `encodeURIComponent`, which throws on a lone surrogate: the
 *   status was never sent, the call hung and the rejection went unhandled. Lone surrogates become U+FFFD.
 * - The details travel in an HTTP/2 trailer: past the client's header-list limit (a 200,000-character
 *   process id quoted back) the call hung and the connection with it. Cut to MAX_DETAILS characters.
 */
function wellFormed(text: string): string {
  const cut =
    text.length > MAX_DETAILS
      ? `${text.slice(0, MAX_DETAILS)}… (${text.length - MAX_DETAILS} more characters cut)`
      : text;
  return cut.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

const MAX_DETAILS = 2_000;
