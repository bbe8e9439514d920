import * as grpc from '@grpc/grpc-js';
import type { Engine } from '@baton-engine/baton';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/authenticator.js';
import { loadGatewayService } from '../zeebe-proto.js';
import { toGrpcError } from '../status-mapping.js';
import { unaryHandlers } from './handlers.js';
import { activateJobsHandler, streamActivatedJobsHandler } from './job-streams.js';
import type { StreamCall } from './job-streams.js';

export interface GrpcGatewayOptions {
  readonly host: string;
  /** 0 picks a free port (see `RunningGrpcGateway.port`). */
  readonly port: number;
  /** Checks the `authorization: Bearer …` metadata of every call (the same authenticator as the REST API). */
  readonly auth: Authenticator;
  /** TLS certificate chain and key (PEM); plain text when absent. */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  /** Largest accepted (and sent) message in bytes (default 4 MiB, as Zeebe). */
  readonly maxMessageBytes?: number;
  readonly log?: Logger;
}

/** A listening gRPC gateway. */
export interface RunningGrpcGateway {
  readonly port: number;
  /** Stops accepting calls, ends long polls and job streams, and waits for unary calls in flight (at most 5 s). */
  stop(): Promise<void>;
}

const UNAUTHENTICATED = {
  code: grpc.status.UNAUTHENTICATED,
  details: 'Expected a valid bearer token in the authorization metadata (authorization: Bearer <token>)',
};

/** What a request that is not a valid protobuf message of its type is deserialized to. */
const MALFORMED = Symbol('malformed request');

/**
 * The service with deserializers that do not throw: grpc-js answers a request it cannot deserialize with
 * INTERNAL ("Error deserializing request"), a fault of the server; it is the client's (found by the gRPC
 * fuzzing), so the handler answers INVALID_ARGUMENT instead (see `malformedRequest`).
 */
function tolerantDeserializers(service: grpc.ServiceDefinition): grpc.ServiceDefinition {
  const tolerant: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const [name, method] of Object.entries(service)) {
    tolerant[name] = {
      ...method,
      requestDeserialize: (bytes: Buffer) => {
        try {
          return method.requestDeserialize(bytes);
        } catch (error) {
          return { [MALFORMED]: error instanceof Error ? error.message : String(error) };
        }
      },
    };
  }
  return tolerant;
}

/** INVALID_ARGUMENT for a request the tolerant deserializer could not read, else undefined. */
function malformedRequest(request: unknown, rpc: string): grpc.StatusObject | undefined {
  const reason = (request as { [MALFORMED]?: string } | null)?.[MALFORMED];
  if (reason === undefined) return undefined;
  return {
    code: grpc.status.INVALID_ARGUMENT,
    details: `Expected a valid protobuf message for ${rpc}, but it could not be decoded (${reason})`.slice(
      0,
      2_000,
    ),
    metadata: new grpc.Metadata(),
  };
}

/**
 * Serves `gateway_protocol.Gateway` (Zeebe's gRPC API, from the proto this package ships in
 * `proto/zeebe.proto`) on top of an engine, so that Camunda 8 clients and workers connect unchanged. RPCs
 * missing from the implementation are answered UNIMPLEMENTED by grpc-js.
 */
export async function startGrpcGateway(
  engine: Engine,
  options: GrpcGatewayOptions,
): Promise<RunningGrpcGateway> {
  const maxMessageBytes = options.maxMessageBytes ?? 4 * 1024 * 1024;
  const server = new grpc.Server({
    'grpc.max_receive_message_length': maxMessageBytes,
    'grpc.max_send_message_length': maxMessageBytes,
  });
  const authorized = (metadata: grpc.Metadata) =>
    options.auth.verify(String(metadata.get('authorization')[0] ?? ''));
  let boundPort = options.port;

  // Long polls and job streams in progress: ended at once on stop, so shutdown never waits for a poll timeout.
  const polls = new Set<AbortController>();
  const pollFor = (call: StreamCall) => {
    const abort = new AbortController();
    polls.add(abort);
    call.on('cancelled', () => abort.abort());
    call.on('close', () => abort.abort());
    abort.signal.addEventListener('abort', () => polls.delete(abort));
    return abort;
  };

  const implementation: grpc.UntypedServiceImplementation = {};
  const handlers = unaryHandlers(engine, () => ({ host: options.host, port: boundPort }), options.log);
  for (const [name, handler] of Object.entries(handlers)) {
    implementation[name] = (
      call: grpc.ServerUnaryCall<unknown, unknown>,
      callback: grpc.sendUnaryData<unknown>,
    ) => {
      // Checked before the request is looked at: a refused call touches nothing.
      if (!authorized(call.metadata)) return callback(UNAUTHENTICATED);
      const malformed = malformedRequest(call.request, name);
      if (malformed) return callback(malformed);
      (handler as (request: unknown) => Promise<unknown>)(call.request).then(
        (response) => callback(null, response),
        (error: unknown) => {
          const failure = toGrpcError(error);
          if (failure.code === grpc.status.INTERNAL)
            options.log?.error({ rpc: name, err: error }, failure.details);
          callback(failure);
        },
      );
    };
  }
  const streaming = { engine, pollFor, log: options.log };
  const guard = (rpc: string, handle: (call: StreamCall) => void) => (call: StreamCall) => {
    // Writable server streams report a status only through an 'error' event (destroy() would send none).
    const malformed = malformedRequest(call.request, rpc);
    if (!authorized(call.metadata)) call.emit('error', UNAUTHENTICATED);
    else if (malformed) call.emit('error', malformed);
    else handle(call);
  };
  implementation.ActivateJobs = guard('ActivateJobs', activateJobsHandler(streaming));
  implementation.StreamActivatedJobs = guard('StreamActivatedJobs', streamActivatedJobsHandler(streaming));
  server.addService(tolerantDeserializers(loadGatewayService()), implementation);

  const credentials = options.tls
    ? grpc.ServerCredentials.createSsl(
        null,
        [{ cert_chain: options.tls.cert, private_key: options.tls.key }],
        false,
      )
    : grpc.ServerCredentials.createInsecure();
  boundPort = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${hostForAddress(options.host)}:${options.port}`, credentials, (error, port) =>
      error ? reject(error) : resolve(port),
    ),
  );
  return {
    port: boundPort,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const abort of [...polls]) abort.abort();
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 5_000);
        force.unref();
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}

/** An IPv6 address goes in brackets in a `host:port` target (`[::1]:26500`); names and IPv4 as they are. */
export function hostForAddress(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
