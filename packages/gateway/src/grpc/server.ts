import * as grpc from '@grpc/grpc-js';
import type { Engine } from 'baton';
import { loadGatewayService } from '../zeebe-proto.js';
import { toGrpcError } from '../status-mapping.js';
import { millisOf, toActivatedJob } from './wire.js';
import { unaryHandlers } from './handlers.js';
import type { Authenticator } from '../auth/authenticator.js';

export interface GrpcGatewayOptions {
  readonly host: string;
  readonly port: number;
  /** Checks the `authorization: Bearer …` metadata of every call (the same authenticator as the REST API). */
  readonly auth: Authenticator;
  /** TLS certificate and key (PEM); plain text when absent. */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  /** Largest accepted message in bytes (default 4 MiB, as Zeebe). */
  readonly maxMessageBytes?: number;
}

export interface RunningGrpcGateway {
  readonly port: number;
  stop(): Promise<void>;
}

/** Serves `gateway_protocol.Gateway` (Zeebe's gRPC API) on top of an engine, so Camunda 8 clients work unchanged. */
export async function startGrpcGateway(
  engine: Engine,
  options: GrpcGatewayOptions,
): Promise<RunningGrpcGateway> {
  const maxMessageBytes = options.maxMessageBytes ?? 4 * 1024 * 1024;
  const server = new grpc.Server({
    'grpc.max_receive_message_length': maxMessageBytes,
    'grpc.max_send_message_length': maxMessageBytes,
  });
  const authorized = (metadata: grpc.Metadata): boolean =>
    options.auth.verify(String(metadata.get('authorization')[0] ?? ''));
  const unauthenticated = {
    code: grpc.status.UNAUTHENTICATED,
    details: 'Expected a valid bearer token in the authorization metadata',
  };

  // Long polls and job streams in progress: ended at once on stop, so shutdown never waits for a poll timeout.
  const polls = new Set<AbortController>();
  const poll = (call: grpc.ServerWritableStream<Record<string, never>, unknown>) => {
    const abort = new AbortController();
    polls.add(abort);
    call.on('cancelled', () => abort.abort());
    call.on('close', () => abort.abort());
    abort.signal.addEventListener('abort', () => polls.delete(abort));
    return abort;
  };
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const [name, handler] of Object.entries(unaryHandlers(engine))) {
    implementation[name] = (
      call: grpc.ServerUnaryCall<unknown, unknown>,
      callback: grpc.sendUnaryData<unknown>,
    ) => {
      if (!authorized(call.metadata)) return callback(unauthenticated);
      (handler as (req: unknown) => Promise<unknown>)(call.request).then(
        (response) => callback(null, response),
        (error: unknown) => callback(toGrpcError(error)),
      );
    };
  }

  // Long polling: the response stream stays open until jobs arrive or the request timeout passes.
  implementation.ActivateJobs = (call: grpc.ServerWritableStream<Record<string, never>, unknown>) => {
    if (!authorized(call.metadata))
      return call.destroy(Object.assign(new Error(unauthenticated.details), unauthenticated));
    const req = call.request as Record<string, unknown> as {
      type: string;
      worker: string;
      timeout: string;
      maxJobsToActivate: number;
      fetchVariable: string[];
      requestTimeout: string;
    };
    const abort = poll(call);
    const requestTimeout = millisOf(req.requestTimeout);
    engine
      .activateJobs({
        type: req.type,
        worker: req.worker,
        timeout: millisOf(req.timeout),
        maxJobsToActivate: req.maxJobsToActivate,
        fetchVariables: req.fetchVariable ?? [],
        requestTimeout: requestTimeout === 0 ? 10_000 : Math.max(0, requestTimeout),
        signal: abort.signal,
      })
      .then((jobs) => {
        if (jobs.length > 0 && !call.cancelled) call.write({ jobs: jobs.map(toActivatedJob) });
        call.end();
      })
      .catch((error: unknown) =>
        call.destroy(Object.assign(new Error(toGrpcError(error).details), toGrpcError(error))),
      );
  };

  // Job push: jobs are activated and written as they appear until the client goes away. Jobs pushed to a
  // client that vanished are not lost: they time out and become activatable again.
  implementation.StreamActivatedJobs = (call: grpc.ServerWritableStream<Record<string, never>, unknown>) => {
    if (!authorized(call.metadata))
      return call.destroy(Object.assign(new Error(unauthenticated.details), unauthenticated));
    const req = call.request as Record<string, unknown> as {
      type: string;
      worker: string;
      timeout: string;
      fetchVariable: string[];
    };
    const abort = poll(call);
    void (async () => {
      while (!abort.signal.aborted) {
        try {
          const jobs = await engine.activateJobs({
            type: req.type,
            worker: req.worker,
            timeout: millisOf(req.timeout),
            maxJobsToActivate: 32,
            fetchVariables: req.fetchVariable ?? [],
            requestTimeout: 30_000,
            signal: abort.signal,
          });
          for (const job of jobs) if (!abort.signal.aborted) call.write(toActivatedJob(job));
          if (abort.signal.aborted) call.end();
        } catch (error) {
          if (!abort.signal.aborted)
            call.destroy(Object.assign(new Error(toGrpcError(error).details), toGrpcError(error)));
          return;
        }
      }
    })();
  };

  server.addService(loadGatewayService(), implementation);
  const credentials = options.tls
    ? grpc.ServerCredentials.createSsl(
        null,
        [{ cert_chain: options.tls.cert, private_key: options.tls.key }],
        false,
      )
    : grpc.ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${options.host}:${options.port}`, credentials, (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const abort of [...polls]) abort.abort();
        server.tryShutdown(() => resolve());
        setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 5_000).unref();
      }),
  };
}
