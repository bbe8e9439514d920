import { STATUS_CODES, createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import type { Engine } from '@baton-engine/baton';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/authenticator.js';
import { HttpError, toHttpError } from './http-error.js';
import { parseJsonBody, readBody } from './request-body.js';
import type { Route, RouteContext } from './router.js';
import { Router } from './router.js';
import { validate } from './schemas.js';
import { deploymentRoutes } from './routes/deployments.js';
import { processInstanceRoutes } from './routes/process-instances.js';
import { jobRoutes } from './routes/jobs.js';
import { incidentRoutes } from './routes/incidents.js';
import { variableRoutes } from './routes/variables.js';
import { messageAndSignalRoutes } from './routes/messages-and-signals.js';
import { decisionAndResourceRoutes } from './routes/decisions-and-resources.js';
import { topologyRoutes } from './routes/topology.js';
import { formRoutes } from './routes/forms.js';
import { eventRoutes } from './routes/events.js';
import { oauthTokenRoutes } from './routes/oauth-token.js';
import { queryRoutes } from './routes/queries.js';
import { userTaskRoutes } from './routes/user-tasks.js';
import { metricsRoutes } from './routes/metrics.js';
import { HEALTH_PATHS, healthRoutes } from './routes/health.js';
import type { EngineMetrics } from '../metrics.js';
import { staticFiles } from './static-files.js';
import type { ReadModelQueries } from '@baton-engine/read-model';

export interface HttpGatewayOptions {
  readonly host: string;
  /** 0 picks a free port (see `RunningHttpGateway.port`). */
  readonly port: number;
  /** Who may call; the token endpoint and the health probes answer anyone. */
  readonly auth: Authenticator;
  /** TLS certificate and key (PEM); plain HTTP when absent. */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  /** Largest accepted request body in bytes (default 4 MiB, as the gRPC gateway). */
  readonly maxBodyBytes?: number;
  readonly log?: Logger;
  /** The read model behind the search endpoints (`GET /v1/process-instances` …) and `GET /v1/updates`. */
  readonly readModel?: ReadModelQueries;
  /** Served at `GET /metrics` (Prometheus). */
  readonly metrics?: EngineMetrics;
  /**
   * A directory of built web files (the cockpit) served to anyone at every path outside the API, with
   * `index.html` for unknown paths. The pages hold no data; the API calls they make are authenticated.
   */
  readonly webRoot?: string;
}

/** A listening REST gateway. */
export interface RunningHttpGateway {
  readonly port: number;
  /** Stops accepting, ends open event streams and long polls, and waits for requests in flight (at most 5 s). */
  stop(): Promise<void>;
}

/** Paths that answer without credentials: obtaining a credential, and the health probes. */
const PUBLIC_PATHS = new Set(['/oauth/token', ...HEALTH_PATHS]);

/**
 * Path prefixes of the API: Baton's own (`/v1`, `/oauth`, `/metrics`, the probes) and those Camunda clients
 * call (`/v2` the Orchestration Cluster API, `/api` the component APIs). Under them an unknown path is a JSON
 * 404 for every method, never the cockpit's page; the cockpit's single-page fallback covers the rest.
 */
const API_PREFIXES = ['/v1', '/v2', '/api', '/oauth', '/metrics', ...HEALTH_PATHS];

/** Whether `pathname` belongs to the API (see API_PREFIXES). */
function isApiPath(pathname: string): boolean {
  return API_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/** Every route of the REST API, in matching order (documented one by one in docs/openapi.yaml). */
export function restRoutes(auth: Authenticator, metrics?: EngineMetrics): readonly Route[] {
  return [
    ...healthRoutes,
    ...metricsRoutes(metrics),
    ...oauthTokenRoutes(auth),
    ...topologyRoutes,
    ...deploymentRoutes,
    ...processInstanceRoutes,
    ...jobRoutes,
    ...incidentRoutes,
    ...variableRoutes,
    ...userTaskRoutes,
    ...formRoutes,
    ...messageAndSignalRoutes,
    ...decisionAndResourceRoutes,
    ...eventRoutes,
    ...queryRoutes,
  ];
}

/** Serves Baton's REST API (JSON, documented in docs/openapi.yaml) and server-sent events over node:http. */
export async function startHttpGateway(
  engine: Engine,
  options: HttpGatewayOptions,
): Promise<RunningHttpGateway> {
  const maxBodyBytes = options.maxBodyBytes ?? 4 * 1024 * 1024;
  const router = new Router(restRoutes(options.auth, options.metrics));
  const web = options.webRoot ? staticFiles(options.webRoot) : undefined;
  // Requests being answered, so that stop() can end long polls and event streams and wait for the rest.
  const inFlight = new Map<AbortController, Promise<void>>();

  const handle = async (req: IncomingMessage, res: ServerResponse, abort: AbortController) => {
    // 'close' on the response fires when it is finished or when the client hung up; only the latter aborts.
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    // A target the URL parser refuses (`//%%`: an authority that is no host) is the client's error; it used
    // to throw outside any handler, leaving the request unanswered and the rejection unhandled.
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://baton');
    } catch {
      sendProblem(
        res,
        new HttpError(
          400,
          'INVALID_ARGUMENT',
          'Expected a request target that is a valid path, but it is not',
        ),
        '/',
      );
      return;
    }
    // `/healthz/` is `/healthz`: a trailing slash does not change the endpoint (nor whether it is public).
    if (url.pathname.length > 1 && url.pathname.endsWith('/'))
      url.pathname = url.pathname.replace(/\/+$/, '') || '/';
    try {
      const match = router.match(req.method ?? 'GET', url.pathname);
      if (web && match.kind === 'not-found' && !isApiPath(url.pathname)) {
        if (req.method === 'GET' || req.method === 'HEAD')
          return await web(url.pathname, res, req.method === 'HEAD');
      }
      if (match.kind === 'not-found')
        throw new HttpError(404, 'NOT_FOUND', `No such endpoint: ${url.pathname}`);
      if (match.kind === 'method-not-allowed') {
        res.setHeader('allow', match.allowed.join(', '));
        throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${url.pathname}`);
      }
      // Credentials are checked before the body is read: a refused request touches nothing.
      if (!PUBLIC_PATHS.has(url.pathname) && !options.auth.verify(req.headers.authorization)) {
        res.setHeader('www-authenticate', 'Bearer');
        throw new HttpError(
          401,
          'UNAUTHENTICATED',
          'Expected a valid bearer token in the Authorization header',
        );
      }
      let body: Promise<Buffer> | undefined;
      const readOnce = () => (body ??= readBody(req, maxBodyBytes));
      const ctx: RouteContext = {
        engine,
        readModel: options.readModel,
        req,
        res,
        params: match.params,
        log: options.log,
        query: url.searchParams,
        signal: abort.signal,
        body: readOnce,
        json: async (schema) => validate(schema, parseJsonBody(await readOnce())),
      };
      const result = await match.route.handle(ctx);
      if (result) send(res, result.status, result.body);
      options.log?.debug({ method: req.method, path: url.pathname, status: res.statusCode }, 'http request');
    } catch (error) {
      const failure = toHttpError(error);
      // Only a fault of ours is an error: a request that timed out waiting for its result (504) is an
      // expected outcome, and an engine that cannot write now (503) says so in its probes as well.
      const level = failure.status === 500 ? 'error' : failure.status >= 503 ? 'warn' : undefined;
      if (level === 'warn' && failure.code === 'DEADLINE_EXCEEDED')
        options.log?.debug({ method: req.method, path: url.pathname }, failure.message);
      else if (level)
        options.log?.[level]({ method: req.method, path: url.pathname, err: error }, failure.message);
      if (res.headersSent) res.destroy();
      else sendProblem(res, failure, url.pathname);
    }
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const abort = new AbortController();
    inFlight.set(
      abort,
      handle(req, res, abort).finally(() => inFlight.delete(abort)),
    );
  };
  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, listener)
    : createHttpServer(listener);
  // Bodies are limited by readBody; this bounds how long a slow client may take to send its headers.
  server.headersTimeout = 30_000;
  server.on('clientError', answerUnparsable);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;

  return {
    port,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Long polls and event streams would otherwise hold the server open until their clients leave.
      for (const abort of inFlight.keys()) abort.abort();
      const grace = new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref());
      await Promise.race([Promise.allSettled(inFlight.values()), grace]);
      server.closeAllConnections();
      await closed;
    },
  };
}

/**
 * A refusal as RFC 9457 problem details (`type`, `title`, `status`, `detail`, `instance`), keeping Baton's
 * `{ code, message }` as extension members so that existing clients read it unchanged.
 */
function sendProblem(res: ServerResponse, failure: HttpError, instance: string): void {
  const text = JSON.stringify({
    type: 'about:blank',
    title: STATUS_CODES[failure.status] ?? 'Error',
    status: failure.status,
    detail: failure.message,
    instance,
    code: failure.code,
    message: failure.message,
  });
  res.writeHead(failure.status, {
    'content-type': 'application/problem+json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * A request node:http could not parse (headers past its size limit, a malformed request line or header):
 * answered as a problem like every other refusal, instead of Node's bare status line.
 */
function answerUnparsable(error: Error & { code?: string; rawPacket?: Buffer }, socket: Duplex): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const status =
    error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const message =
    status === 431
      ? 'Expected the request line and headers within the size limit (16 KiB by default), but they are larger'
      : status === 408
        ? 'Expected the request headers within the time limit, but they did not arrive'
        : `Expected an HTTP/1.1 request, but it could not be parsed (${error.code ?? error.message})`;
  const text = JSON.stringify({
    type: 'about:blank',
    title: STATUS_CODES[status],
    status,
    detail: message,
    code: status === 408 ? 'DEADLINE_EXCEEDED' : 'INVALID_ARGUMENT',
    message,
  });
  // The answer to a HEAD has no body (its client would take the body for the next answer).
  const head = error.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ';
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nconnection: close\r\n` +
      `content-type: application/problem+json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\n\r\n` +
      (head ? '' : text),
  );
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
