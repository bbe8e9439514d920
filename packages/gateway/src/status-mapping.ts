import { status } from '@grpc/grpc-js';
import { BatonError } from 'baton';
import type { BatonErrorCode } from 'baton';

/** The one table from engine error codes to gRPC status (as Camunda clients expect) and HTTP status. */
export const STATUS: Readonly<Record<BatonErrorCode, { readonly grpc: status; readonly http: number }>> = {
  INVALID_ARGUMENT: { grpc: status.INVALID_ARGUMENT, http: 400 },
  NOT_FOUND: { grpc: status.NOT_FOUND, http: 404 },
  ALREADY_EXISTS: { grpc: status.ALREADY_EXISTS, http: 409 },
  INVALID_STATE: { grpc: status.FAILED_PRECONDITION, http: 409 },
  PROCESSING_ERROR: { grpc: status.INTERNAL, http: 500 },
  RESOURCE_EXHAUSTED: { grpc: status.RESOURCE_EXHAUSTED, http: 429 },
  DEADLINE_EXCEEDED: { grpc: status.DEADLINE_EXCEEDED, http: 504 },
  UNAVAILABLE: { grpc: status.UNAVAILABLE, http: 503 },
  CANCELED: { grpc: status.ABORTED, http: 409 },
};

/** A gRPC error for anything a handler threw: a BatonError keeps its code; anything else is INTERNAL. */
export function toGrpcError(error: unknown): { code: status; details: string } {
  if (error instanceof BatonError) return { code: STATUS[error.code].grpc, details: error.message };
  return { code: status.INTERNAL, details: error instanceof Error ? error.message : String(error) };
}
