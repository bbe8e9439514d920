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
