import { BatonError } from '@baton-engine/baton';
import { STATUS, UNSUPPORTED_STATUS, UnsupportedFeatureError } from '../status-mapping.js';

/** An error answered as `{ code, message }` with an HTTP status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/**
 * The HTTP answer for anything a route threw: engine errors get their status from the one mapping table
 * (status-mapping.ts), so REST and gRPC clients see the same outcome for the same refusal.
 */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof BatonError) return new HttpError(STATUS[error.code].http, error.code, error.message);
  if (error instanceof UnsupportedFeatureError) {
    return new HttpError(UNSUPPORTED_STATUS.http, UNSUPPORTED_STATUS.code, error.message);
  }
  return new HttpError(500, 'INTERNAL', error instanceof Error ? error.message : String(error));
}
