import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { createEngine } from '@baton-engine/baton';
import type { BackPressureOptions, Engine } from '@baton-engine/baton';
import {
  createAuthenticator,
  EngineMetrics,
  NO_AUTHENTICATION,
  PinnableClock,
  startGrpcGateway,
  startHttpGateway,
  v2Api,
} from '@baton-engine/gateway';
import type {
  Authenticator,
  OAuthClient,
  RunningGrpcGateway,
  RunningHttpGateway,
} from '@baton-engine/gateway';
import { ReadModel } from '@baton-engine/read-model';
import { ConnectorsConfigError, loadConnectorsConfig, startConnectors } from '@baton-engine/connectors';
import type { ConnectorsConfig, RunningConnectors } from '@baton-engine/connectors';
import { createLogger } from '../log.js';
import { sampleOrderXml, startDemoWorkers } from '../demo.js';
import { UsageError } from '../exit-codes.js';
import { parsePostgresUrl, postgresCluster, postgresStore } from '../postgres-store-url.js';
import { ClusterNode, DEFAULT_HEARTBEAT_MS } from '../cluster/cluster-node.js';
import { registerClusterMetrics } from '../cluster/cluster-metrics.js';
import type { ClusterNodeOptions } from '../cluster/cluster-node.js';
import type { PostgresStoreFactory } from '@baton-engine/store-postgres';
import { DEFAULT_LEASE_MS } from '@baton-engine/store-postgres';

/** The options of `baton start`, as commander parses them. */
export interface StartOptions {
  readonly db: string;
  readonly memory?: boolean;
  /** A postgres:// URL: the log and the read model in PostgreSQL. */
  readonly store?: string;
  /** A postgres:// URL: run as a node of the cluster kept in that database. */
  readonly cluster?: string;
  readonly nodeId?: string;
  readonly clusterPort?: string;
  /** How long a partition lease lasts without renewal, and how often the node beats its heart (ms). */
  readonly leaseMs?: string;
  readonly heartbeatMs?: string;
  readonly partitions?: string;
  readonly host: string;
  readonly grpcPort: string;
  readonly httpPort: string;
  readonly apiKey?: string[];
  readonly apiKeyFile?: string;
  readonly oauthClient?: string[];
  readonly insecureNoAuth?: boolean;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly deploy?: string[];
  readonly demo?: boolean;
  readonly connectors?: string;
  readonly logFormat: string;
  readonly maxFlowElements?: string;
  readonly backPressure?: string;
  readonly backPressureTargetMs?: string;
  readonly maxInstanceVariableBytes?: string;
  /** The engine runs on a PinnableClock, so that `PUT /v2/clock` can pin it (Zeebe's controlled clock). */
  readonly controlledClock?: boolean;
}

/**
 * `baton start`: the engine, the Zeebe gRPC gateway and the REST API in one process, until SIGTERM/SIGINT,
 * which stops accepting requests, lets in-flight batches finish (`engine.close()`) and exits 0.
 */
export async function start(options: StartOptions): Promise<void> {
  const settings = checkOptions(options);
  const log = createLogger(settings.logFormat);
  if (options.store && options.memory) throw new UsageError('--store and --memory exclude each other');
  if (options.cluster && (options.store || options.memory))
    throw new UsageError('--cluster keeps the log in its PostgreSQL: leave out --store and --memory');
  if (options.cluster && (options.deploy?.length || options.demo))
    throw new UsageError(
      '--deploy and --demo do not go with --cluster: deploy with `baton deploy` once the node runs',
    );
  if (options.cluster && !options.nodeId)
    throw new UsageError('--cluster needs --node-id <id> (or BATON_NODE_ID), unique in the cluster');
  const postgres = options.store ? await postgresStore(options.store) : undefined;
  const engineOptions = {
    logger: log, // failing exporters (the read model) are reported here
    ...(options.controlledClock ? { clock: new PinnableClock() } : {}),
    ...(settings.maxFlowElements === undefined
      ? {}
      : { deploymentLimits: { maxFlowElementsPerResource: settings.maxFlowElements } }),
    ...(settings.backPressure === undefined ? {} : { backPressure: settings.backPressure }),
    ...(settings.maxInstanceVariableBytes === undefined
      ? {}
      : { commandLimits: { maxInstanceVariableBytes: settings.maxInstanceVariableBytes } }),
  };
  const cluster = options.cluster
    ? await clusterNode(options.cluster, options.nodeId!, settings, engineOptions, log)
    : undefined;
  const engine: Engine =
    cluster?.engine ??
    (await createEngine({
      ...engineOptions,
      store: postgres?.factory ?? (options.memory ? 'memory' : 'sqlite'),
      path: options.db,
      partitions: settings.partitions ?? 1,
    }));
  log.info(
    {
      storage: engine.storage,
      partitions: engine.partitionCount,
      ...(settings.backPressure === undefined ? {} : { backPressure: settings.backPressure }),
      ...(settings.maxInstanceVariableBytes === undefined
        ? {}
        : { maxInstanceVariableBytes: settings.maxInstanceVariableBytes }),
      ...(options.controlledClock ? { controlledClock: true } : {}),
    },
    'engine started',
  );
  if (options.controlledClock)
    log.warn('the engine clock can be pinned over PUT /v2/clock (--controlled-clock): not for production');
  // The read model lives where the log does: in the engine's SQLite file (its own tables), or in the
  // PostgreSQL schema of --store / --cluster (one set of tables that every node of a cluster feeds with the
  // partitions it leads, and reads in full). It catches up on the log before serving.
  const postgresUrl = options.cluster ?? options.store;
  const tables = postgresUrl
    ? { postgres: parsePostgresUrl(postgresUrl, options.cluster ? '--cluster' : '--store') }
    : { path: options.memory ? ':memory:' : options.db };
  let readModel: ReadModel;
  try {
    readModel = await ReadModel.attach(engine, {
      ...tables,
      onError: (err, partitionId) =>
        log.error({ err, partitionId }, 'read model cannot apply a batch; retrying (the engine goes on)'),
    });
  } catch (error) {
    if (cluster) {
      await cluster.stop();
      await cluster.factory.close();
    } else await engine.close();
    throw error;
  }
  const webRoot = cockpitDirectory();
  if (!webRoot) log.warn('cockpit not built (npm run build): the web UI is not served');
  // A cluster node leaves the cluster first: its partitions finish their batches and their leases go at once.
  const closeEngine = async () => {
    if (!cluster) return engine.close();
    await cluster.stop();
    await cluster.factory.close();
  };
  let grpc: RunningGrpcGateway | undefined;
  let http: RunningHttpGateway | undefined;
  let connectors: RunningConnectors | undefined;
  let metrics: EngineMetrics | undefined;
  try {
    for (const file of options.deploy ?? []) {
      // Bytes, decoded by the engine by the XML declaration's encoding (not assumed to be UTF-8).
      const deployment = await engine.deploy({ name: basename(file), content: readFileSync(file) });
      for (const p of deployment.processes) {
        log.info(
          { process: p.bpmnProcessId, version: p.version, file },
          p.duplicate ? 'unchanged' : 'deployed',
        );
      }
      for (const f of deployment.forms)
        log.info({ form: f.formId, version: f.version, file }, f.duplicate ? 'unchanged' : 'deployed');
      for (const warning of deployment.warnings) log.warn({ file }, warning);
    }
    if (options.demo) {
      const deployment = await engine.deploy({ name: 'order.bpmn', xml: sampleOrderXml() });
      log.info(
        { process: 'order', version: deployment.processes[0]!.version },
        'demo: sample order process deployed; in-process workers complete its jobs, an order every 2 s',
      );
      // A restarted demo goes on numbering its orders where the last run stopped.
      const placed = (await readModel.searchInstances({ bpmnProcessId: 'order', pageSize: 1 })).total;
      startDemoWorkers(engine, (message) => log.info(message), placed);
    }
    // One registry: the connectors' metrics are served by the same GET /metrics.
    metrics = new EngineMetrics(engine);
    if (cluster) registerClusterMetrics(cluster, metrics.registry);
    if (settings.connectors) {
      // In a cluster every node runs them: inbound groups shared, outbound for the partitions the node leads.
      connectors = await startConnectors(engine, settings.connectors, {
        log,
        metricsRegistry: metrics.registry,
        node: cluster?.nodeId,
      });
      log.info({ file: options.connectors }, 'event-bus connectors started');
    }
    const common = { host: options.host, auth: settings.auth, tls: settings.tls };
    grpc = await listening('gRPC gateway', '--grpc-port', options.host, settings.grpcPort, () =>
      startGrpcGateway(engine, { ...common, port: settings.grpcPort }),
    );
    // Camunda's Orchestration Cluster REST API (8.8) under /v2, behind the same authentication.
    const plugins = [{ plugin: v2Api, prefix: '/v2' }];
    const rest = { ...common, port: settings.httpPort, log, readModel, webRoot, metrics, plugins };
    http = await listening('REST API', '--http-port', options.host, settings.httpPort, () =>
      startHttpGateway(engine, rest),
    );
  } catch (error) {
    await Promise.all([grpc?.stop(), http?.stop()]);
    await connectors?.stop();
    metrics?.close();
    await closeEngine();
    await readModel.close();
    throw error;
  }
  const scheme = settings.tls ? 'https' : 'http';
  const auth = !settings.auth.required
    ? 'none (loopback only)'
    : settings.auth.issuesTokens
      ? 'bearer+oauth'
      : 'bearer';
  // An IPv6 address is bracketed in addresses and URLs ([::1]:26500).
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  log.info(
    { address: `${host}:${grpc.port}`, tls: Boolean(settings.tls), auth },
    'Zeebe gRPC gateway listening',
  );
  log.info({ url: `${scheme}://${host}:${http.port}`, auth }, 'REST API listening');
  if (webRoot) log.info({ url: `${scheme}://${host}:${http.port}/` }, 'cockpit');
  if (!settings.auth.required)
    log.warn('authentication is off (--insecure-no-auth): anyone on this machine may call');
  if (postgres) {
    // Listed among the cluster's live nodes, with the address clients reach it at, until it stops.
    await postgres.factory.membership.join(postgres.node, `${host}:${grpc.port}`);
    log.info({ node: postgres.node, schema: postgres.factory.schema }, 'joined the cluster membership');
  }
  if (cluster) {
    // Taking partitions starts now that clients can reach this node.
    await cluster.join(`${host}:${grpc.port}`, { host: options.host, port: settings.clusterPort });
  }
  // A fixed, machine-readable line for scripts and tests that start Baton as a child process.
  process.stdout.write(`BATON READY grpc=${grpc.port} http=${http.port}\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down: no new requests, finishing in-flight batches');
    await Promise.all([grpc.stop(), http.stop()]);
    await connectors?.stop();
    metrics?.close();
    await closeEngine();
    await readModel.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

interface Settings {
  readonly partitions?: number;
  readonly clusterPort: number;
  readonly lease?: { readonly leaseMs: number; readonly heartbeatMs: number };
  readonly grpcPort: number;
  readonly httpPort: number;
  readonly auth: Authenticator;
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  readonly logFormat: 'pretty' | 'json';
  readonly connectors?: ConnectorsConfig;
  readonly maxFlowElements?: number;
  readonly backPressure?: Partial<BackPressureOptions> | false;
  readonly maxInstanceVariableBytes?: number;
}

/** Turns flags and environment into settings, refusing unsafe or contradictory combinations (exit code 2). */
function checkOptions(options: StartOptions): Settings {
  const fromEnv = (name: string) =>
    (process.env[name] ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
  const apiKeys = [
    ...(options.apiKey ?? []),
    ...fromEnv('BATON_API_KEYS'),
    ...(options.apiKeyFile ? keysInFile(options.apiKeyFile) : []),
  ];
  const oauthClients = [...(options.oauthClient ?? []), ...fromEnv('BATON_OAUTH_CLIENTS')].map(oauthClientOf);
  const credentials = apiKeys.length + oauthClients.length > 0;
  if (options.insecureNoAuth && credentials) {
    throw new UsageError('--insecure-no-auth contradicts the API keys / OAuth clients given; choose one');
  }
  if (!options.insecureNoAuth && !credentials) {
    throw new UsageError(
      'no credentials configured: pass --api-key <key> (or BATON_API_KEYS), --oauth-client <id:secret> ' +
        '(or BATON_OAUTH_CLIENTS), or --insecure-no-auth to run without authentication on a loopback address',
    );
  }
  if (options.insecureNoAuth && !isLoopback(options.host)) {
    throw new UsageError(`--insecure-no-auth is only allowed on a loopback address, not on ${options.host}`);
  }
  if (Boolean(options.tlsCert) !== Boolean(options.tlsKey)) {
    throw new UsageError('--tls-cert and --tls-key go together');
  }
  if (options.logFormat !== 'pretty' && options.logFormat !== 'json') {
    throw new UsageError(`--log-format is pretty or json, not '${options.logFormat}'`);
  }
  return {
    partitions:
      options.partitions === undefined ? undefined : integer(options.partitions, '--partitions', 1, 64),
    grpcPort: integer(options.grpcPort, '--grpc-port', 0, 65535),
    clusterPort: integer(options.clusterPort ?? '26502', '--cluster-port', 0, 65535),
    lease: leaseSettings(options),
    httpPort: integer(options.httpPort, '--http-port', 0, 65535),
    auth: options.insecureNoAuth ? NO_AUTHENTICATION : createAuthenticator({ apiKeys, oauthClients }),
    tls:
      options.tlsCert && options.tlsKey
        ? { cert: readPem(options.tlsCert, '--tls-cert'), key: readPem(options.tlsKey, '--tls-key') }
        : undefined,
    logFormat: options.logFormat,
    connectors: options.connectors ? connectorsConfig(options.connectors) : undefined,
    maxFlowElements:
      options.maxFlowElements === undefined
        ? undefined
        : integer(options.maxFlowElements, '--max-flow-elements', 1, 10_000_000),
    backPressure: backPressureSettings(options),
    maxInstanceVariableBytes:
      options.maxInstanceVariableBytes === undefined
        ? undefined
        : integer(options.maxInstanceVariableBytes, '--max-instance-variable-bytes', 1, 2 ** 31 - 1),
  };
}

/**
 * `--lease-ms` and `--heartbeat-ms` of a cluster node (defaults 5,000 and 1,000 ms; without `--heartbeat-ms`,
 * a shorter lease beats a third of it). A node renews its leases and beats its heart at least three times per
 * lease, so that one late renewal does not cost its partitions.
 */
function leaseSettings(options: StartOptions): Settings['lease'] {
  if (options.leaseMs === undefined && options.heartbeatMs === undefined) return undefined;
  if (!options.cluster) throw new UsageError('--lease-ms and --heartbeat-ms go with --cluster');
  const leaseMs =
    options.leaseMs === undefined ? DEFAULT_LEASE_MS : integer(options.leaseMs, '--lease-ms', 300, 600_000);
  const heartbeatMs =
    options.heartbeatMs === undefined
      ? Math.min(DEFAULT_HEARTBEAT_MS, Math.floor(leaseMs / 3))
      : integer(options.heartbeatMs, '--heartbeat-ms', 100, 200_000);
  if (heartbeatMs * 3 > leaseMs)
    throw new UsageError(
      `--heartbeat-ms must be at most a third of the lease (--lease-ms ${leaseMs}): at most ${Math.floor(leaseMs / 3)}, got ${heartbeatMs}`,
    );
  return { leaseMs, heartbeatMs };
}

/** `--back-pressure` and `--back-pressure-target-ms` as the engine's `backPressure` option. */
function backPressureSettings(options: StartOptions): Partial<BackPressureOptions> | false | undefined {
  const mode = options.backPressure;
  if (mode !== undefined && !['aimd', 'fixed', 'off'].includes(mode))
    throw new UsageError(`--back-pressure is aimd, fixed or off, not '${mode}'`);
  const target =
    options.backPressureTargetMs === undefined
      ? undefined
      : integer(options.backPressureTargetMs, '--back-pressure-target-ms', 1, 60_000);
  if (mode === 'off') {
    if (target !== undefined)
      throw new UsageError('--back-pressure-target-ms has no effect with --back-pressure off');
    return false;
  }
  if (mode === undefined && target === undefined) return undefined;
  return {
    ...(mode === undefined ? {} : { algorithm: mode as 'aimd' | 'fixed' }),
    ...(target === undefined ? {} : { targetLatencyMs: target }),
  };
}

/**
 * Opens this process as a node of the cluster in `url`'s database: its engine hosts the partitions the node
 * leads, and each leadership change is logged. The first node of a cluster sets the partition count.
 */
async function clusterNode(
  url: string,
  node: string,
  settings: Settings,
  engine: ClusterNodeOptions['engine'],
  log: ReturnType<typeof createLogger>,
): Promise<ClusterNode & { factory: PostgresStoreFactory }> {
  const factory = await postgresCluster(url, '--cluster');
  try {
    const opened = await ClusterNode.open({
      factory,
      node,
      partitions: settings.partitions,
      ...settings.lease,
      engine,
      log: (fields, message) => log.info(fields, message),
    });
    return Object.assign(opened, { factory });
  } catch (error) {
    await factory.close().catch(() => undefined);
    throw error;
  }
}

/** Starts a server; a port that cannot be bound is an error naming the port and the flag that changes it. */
async function listening<T>(
  what: string,
  flag: string,
  host: string,
  port: number,
  startServer: () => Promise<T>,
): Promise<T> {
  try {
    return await startServer();
  } catch (error) {
    const text = `${(error as NodeJS.ErrnoException).code ?? ''} ${(error as Error).message}`;
    // grpc-js says only "No address added out of total 1 resolved" for a port in use.
    if (/EADDRINUSE|EACCES|EADDRNOTAVAIL|No address added/.test(text)) {
      throw new Error(
        `the ${what} cannot listen on ${host}:${port} (in use by another process, or not allowed): ` +
          `choose another port with ${flag} <port> (0 picks a free one)`,
      );
    }
    throw error;
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** API keys from a file, one per line; blank lines and lines starting with # are skipped. */
function keysInFile(file: string): string[] {
  const keys = readPem(file, '--api-key-file')
    .toString('utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (keys.length === 0) throw new UsageError(`--api-key-file ${file} holds no key (one per line)`);
  return keys;
}

function oauthClientOf(text: string): OAuthClient {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) {
    throw new UsageError(`an OAuth client is given as <client-id>:<client-secret>, got '${text}'`);
  }
  return { clientId: text.slice(0, colon), clientSecret: text.slice(colon + 1) };
}

function integer(text: string, option: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${option} must be an integer from ${min} to ${max}, got '${text}'`);
  }
  return n;
}

function readPem(path: string, option: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new UsageError(
      `${option}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}

/** The cockpit's built files (packages/cockpit/dist), when they have been built. */
function cockpitDirectory(): string | undefined {
  try {
    const dir = join(
      dirname(createRequire(import.meta.url).resolve('@baton-engine/cockpit/package.json')),
      'dist',
    );
    return existsSync(join(dir, 'index.html')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** The connectors configuration file; a missing or invalid one is a usage error naming the problem. */
function connectorsConfig(file: string): ConnectorsConfig {
  try {
    return loadConnectorsConfig(file);
  } catch (error) {
    // A configuration error names the file and every wrong field already.
    if (error instanceof ConnectorsConfigError) throw new UsageError(error.message);
    throw new UsageError(`--connectors ${file}: ${(error as Error).message}`);
  }
}
