import type { RejectionType } from '@baton-engine/engine';

/** Stable error codes of the public API; the gateway maps each to one gRPC/HTTP status. */
export type BatonErrorCode =
  RejectionType | 'RESOURCE_EXHAUSTED' | 'DEADLINE_EXCEEDED' | 'UNAVAILABLE' | 'CANCELED';

/** An expected failure of an API call, with a code a program can branch on and a message a person can read. */
export class BatonError extends Error {
  constructor(
    readonly code: BatonErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BatonError';
  }
}

/**
 * A back-pressure refusal: a `BatonError` RESOURCE_EXHAUSTED without a stack trace. Refusals come by the tens
 * of thousands in a burst, where capturing a stack for each (about 6 µs) took a quarter of a second of the
 * engine's thread per 40,000, delaying the commands that were admitted; the stack of an expected refusal
 * says nothing anyway.
 */
export function backPressureRefusal(message: string): BatonError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new BatonError('RESOURCE_EXHAUSTED', message);
  } finally {
    Error.stackTraceLimit = limit;
  }
}
