import type { AddressInfo } from 'node:net';
import type { Engine } from '@baton-engine/baton';
import type { ReadModelQueries } from '@baton-engine/read-model';
import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/authenticator.js';
import type { EngineMetrics } from '../metrics.js';
import { useBodyParsers } from './body-parsers.js';
import { answerUnparsable } from './client-errors.js';
import { HttpError, toHttpError } from './http-error.js';
import type { RestPlugin, RestPluginOptions } from './plugin.js';
import { sendProblem } from './problem.js';
import { RequestsInFlight } from './request-abort.js';
import type { RouteTable } from './route-table.js';
import { formatValidationErrors } from './schemas.js';
import { staticFiles } from './static-files.js';
import { deploymentRoutes } from './routes/deployments.js';
import { formRoutes } from './routes/forms.js';
import { eventRoutes } from './routes/events.js';
import { OAUTH_TOKEN_PATH, oauthTokenRoutes } from './routes/oauth-token.js';
import { readModelExtensionRoutes } from './routes/read-model-extensions.js';
import { BATON_EXTENSIONS_PREFIX } from './routes/extension-paths.js';
import { metricsRoutes } from './routes/metrics.js';
import { HEALTH_PATHS, healthRoutes } from './routes/health.js';

/** A set of routes served under a prefix, e.g. the Camunda `/v2` API. */
export interface MountedRestPlugin {
  readonly plugin: RestPlugin;
  /** Where its routes start: `/v2`. */
  readonly prefix: string;
}

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
  /** The read model behind the searches (`POST /v2/process-instances/search` …) and `GET /baton/v1/updates`. */
  readonly readModel?: ReadModelQueries;
  /** Served at `GET /metrics` (Prometheus). */
  readonly metrics?: EngineMetrics;
  /**
   * A directory of built web files (the cockpit) served to anyone at every path outside the API, with
   * `index.html` for unknown paths. The pages hold no data; the API calls they make are authenticated.
   */
  readonly webRoot?: string;
  /**
   * More routes, each set under its prefix, registered after the server's authentication (every route but the
   * token endpoint and the probes needs credentials), error handling, body parsing and limit.
   */
  readonly plugins?: readonly MountedRestPlugin[];
}

/** A listening REST gateway. */
export interface RunningHttpGateway {
  readonly port: number;
  /** Stops accepting, ends open event streams and long polls, and waits for requests in flight (at most 5 s). */
  stop(): Promise<void>;
}

export { BATON_EXTENSIONS_PREFIX } from './routes/extension-paths.js';

/** Paths that answer without credentials: obtaining a credential, and the health probes. */
const PUBLIC_PATHS = new Set([OAUTH_TOKEN_PATH, ...HEALTH_PATHS]);

/** Where Baton's first REST API was; an old client calling it is told where its endpoints went. */
const REMOVED_V1_PREFIX = '/v1';

/**
 * Path prefixes of the API: Baton's own (`/baton`, `/oauth`, `/metrics`, the probes, and `/v1`, Baton's removed
 * first API) and those Camunda clients call (`/v2` the Orchestration Cluster API, `/api` the component APIs).
 * Under them an unknown path is a 404 problem for every method, never the cockpit's page; the cockpit's
 * single-page fallback covers the rest.
 */
const API_PREFIXES = [
  REMOVED_V1_PREFIX,
  '/v2',
  '/api',
  '/oauth',
  '/metrics',
  BATON_EXTENSIONS_PREFIX,
  ...HEALTH_PATHS,
];

/** Whether `pathname` belongs to the API (see API_PREFIXES). */
function isApiPath(pathname: string): boolean {
  return API_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/** The 404 message for `pathname`: under the removed `/v1`, where to go instead. */
function notFoundMessage(pathname: string): string {
  const removed = pathname === REMOVED_V1_PREFIX || pathname.startsWith(`${REMOVED_V1_PREFIX}/`);
  return removed
    ? `No such endpoint: ${pathname}. Baton's /v1 API was replaced by Camunda's /v2 and Baton's /baton/v1; see docs/gateway.md for where each endpoint went`
    : `No such endpoint: ${pathname}`;
}

/** How long a stop waits for requests in flight once their long polls and streams are ended. */
const STOP_GRACE_MS = 5_000;

/** Baton's own routes (documented one by one in docs/openapi.yaml), as Fastify plugins. */
function ownRoutes(options: HttpGatewayOptions): readonly RestPlugin[] {
  return [
    healthRoutes,
    metricsRoutes(options.metrics),
    oauthTokenRoutes(options.auth),
    deploymentRoutes,
    formRoutes,
    eventRoutes,
    readModelExtensionRoutes,
  ];
}

/** The REST API as a Fastify application, not listening yet, with the table of the routes it serves. */
export interface RestApp {
  readonly app: FastifyInstance;
  readonly routes: RouteTable;
  readonly requests: RequestsInFlight;
}

/** Builds Baton's REST API (JSON, documented in docs/openapi.yaml) and server-sent events on Fastify. */
export async function createRestApp(engine: Engine, options: HttpGatewayOptions): Promise<RestApp> {
  // Fastify and its parts load when a server is built, not with the package: the CLI's client commands
  // import the gateway but serve nothing, and start once per command.
  const [{ default: Fastify }, { default: multipart }, { compileValidator }, { RouteTable }] =
    await Promise.all([
      import('fastify'),
      import('@fastify/multipart'),
      import('./validator-compiler.js'),
      import('./route-table.js'),
    ]);
  const bodyLimit = options.maxBodyBytes ?? 4 * 1024 * 1024;
  const serverOptions: FastifyServerOptions & { https?: { cert: Buffer; key: Buffer } } = {
    ...(options.tls ? { https: { cert: options.tls.cert, key: options.tls.key } } : {}),
    bodyLimit,
    logger: false,
    // HEAD is answered where it is declared; elsewhere it is a 405 like any other undeclared method.
    exposeHeadRoutes: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 16 * 1024 },
    clientErrorHandler: answerUnparsable,
    schemaErrorFormatter: formatValidationErrors,
    frameworkErrors: (error, request, reply) => {
      const failure =
        error.code === 'FST_ERR_BAD_URL'
          ? new HttpError(
              400,
              'INVALID_ARGUMENT',
              'Expected a path whose parameters are percent-encoded UTF-8, but it is malformed',
            )
          : toHttpError(error);
      void sendProblem(reply, failure, pathOf(request));
    },
  };
  const app = Fastify(serverOptions) as unknown as FastifyInstance;
  // Bodies are limited by bodyLimit; this bounds how long a slow client may take to send its headers.
  app.server.headersTimeout = 30_000;
  app.setValidatorCompiler(compileValidator);
  useBodyParsers(app, bodyLimit);
  const routes = new RouteTable();
  routes.install(app);
  const requests = new RequestsInFlight();
  requests.install(app);
  await app.register(multipart, { limits: { fileSize: bodyLimit } });

  // Credentials are checked before the body is read: a refused request touches nothing. An unknown path or
  // method has no route: it is answered 404 or 405 before credentials matter.
  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url;
    if (route === undefined || PUBLIC_PATHS.has(route)) return;
    if (options.auth.verify(request.headers.authorization)) return;
    reply.header('www-authenticate', 'Bearer');
    return sendProblem(
      reply,
      new HttpError(401, 'UNAUTHENTICATED', 'Expected a valid bearer token in the Authorization header'),
      pathOf(request),
    );
  });
  app.addHook('preValidation', async (request) => {
    // No body is an empty one (`{}`); a multipart upload is read by its route.
    if (request.body === undefined && !request.isMultipart()) request.body = {};
    // An empty query parameter (`?state=`) is an absent one.
    const query = request.query as Record<string, unknown>;
    for (const [name, value] of Object.entries(query)) if (value === '') delete query[name];
  });
  app.addHook('onResponse', async (request, reply) => {
    options.log?.debug(
      { method: request.method, path: pathOf(request), status: reply.statusCode },
      'http request',
    );
  });

  app.setErrorHandler((error, request, reply) => {
    const failure =
      (error as { code?: unknown }).code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? new HttpError(
            415,
            'INVALID_ARGUMENT',
            `Expected a Content-Type naming a media type (application/json), got '${request.headers['content-type']}'`,
          )
        : toHttpError(error, request.routeOptions.bodyLimit);
    // Only a fault of ours is an error: a request that timed out waiting for its result (504) is an
    // expected outcome, and an engine that cannot write now (503) says so in its probes as well.
    const level = failure.status === 500 ? 'error' : failure.status >= 503 ? 'warn' : undefined;
    const where = { method: request.method, path: pathOf(request) };
    if (level === 'warn' && failure.code === 'DEADLINE_EXCEEDED') options.log?.debug(where, failure.message);
    else if (level) options.log?.[level]({ ...where, err: error }, failure.message);
    if (reply.raw.headersSent) {
      reply.raw.destroy();
      return;
    }
    return sendProblem(reply, failure, pathOf(request));
  });

  const web = options.webRoot ? staticFiles(options.webRoot) : undefined;
  app.setNotFoundHandler(async (request, reply) => {
    const pathname = pathOf(request);
    if (web && !isApiPath(pathname) && (request.method === 'GET' || request.method === 'HEAD'))
      return web(pathname, reply);
    const allowed = routes.methodsOf(pathname);
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendProblem(
        reply,
        new HttpError(405, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${pathname}`),
        pathname,
      );
    }
    return sendProblem(reply, new HttpError(404, 'NOT_FOUND', notFoundMessage(pathname)), pathname);
  });

  const pluginOptions: RestPluginOptions = { engine, readModel: options.readModel, log: options.log };
  for (const plugin of ownRoutes(options)) await app.register(plugin, pluginOptions);
  for (const { plugin, prefix } of options.plugins ?? [])
    await app.register(plugin, { ...pluginOptions, prefix });
  await app.ready();
  return { app, routes, requests };
}

/** Serves Baton's REST API over HTTP or HTTPS. */
export async function startHttpGateway(
  engine: Engine,
  options: HttpGatewayOptions,
): Promise<RunningHttpGateway> {
  const { app, requests } = await createRestApp(engine, options);
  await app.listen({ host: options.host, port: options.port });
  const port = (app.server.address() as AddressInfo).port;
  return {
    port,
    async stop() {
      const closed = app.close();
      // Long polls and event streams would otherwise hold the server open until their clients leave.
      await requests.drain(STOP_GRACE_MS);
      app.server.closeAllConnections();
      await closed;
    },
  };
}

/** The request's path without its query, `/healthz/` as `/healthz`; `/` when the target is no valid path. */
function pathOf(request: FastifyRequest): string {
  let pathname: string;
  try {
    pathname = new URL(request.url, 'http://baton').pathname;
  } catch {
    return '/';
  }
  return pathname.length > 1 ? pathname.replace(/\/+$/, '') || '/' : pathname;
}
