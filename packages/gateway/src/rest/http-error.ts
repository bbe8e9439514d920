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
 * (status-mapping.ts), so REST and gRPC clients see the same outcome for the same refusal. Fastify's own
 * refusals of a request (`FST_…` with a 4xx status: a body past `bodyLimit` bytes, an unparsable
 * Content-Type) keep their status.
 */
export function toHttpError(error: unknown, bodyLimit?: number): HttpError {
  if (error instanceof HttpError) return error;
  const framework = fastifyRefusal(error);
  if (framework?.code === 'FST_ERR_CTP_BODY_TOO_LARGE' && bodyLimit !== undefined)
    return new HttpError(
      413,
      'PAYLOAD_TOO_LARGE',
      `Expected a request body of at most ${bodyLimit} bytes, but it is larger`,
    );
  if (framework) {
    const code =
      framework.statusCode === 413
        ? 'PAYLOAD_TOO_LARGE'
        : framework.statusCode === 404
          ? 'NOT_FOUND'
          : 'INVALID_ARGUMENT';
    return new HttpError(framework.statusCode, code, framework.message);
  }
  if (error instanceof BatonError) return new HttpError(STATUS[error.code].http, error.code, error.message);
  if (error instanceof UnsupportedFeatureError) {
    return new HttpError(UNSUPPORTED_STATUS.http, UNSUPPORTED_STATUS.code, error.message);
  }
  return new HttpError(500, 'INTERNAL', error instanceof Error ? error.message : String(error));
}

/** A request Fastify refused before any route ran (its errors carry an `FST_` code and a 4xx status). */
function fastifyRefusal(error: unknown): { code: string; statusCode: number; message: string } | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, statusCode } = error as Error & { code?: unknown; statusCode?: unknown };
  if (typeof code !== 'string' || !code.startsWith('FST_')) return undefined;
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return undefined;
  return { code, statusCode, message: error.message };
}
