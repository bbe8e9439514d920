// What the cluster benchmarks share: `baton start` processes (a PostgreSQL cluster's nodes, or one SQLite
// node) started from the sources, their CPU time from /proc, and the lease table read directly.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Camunda8 } from '@camunda8/sdk';
import pg from 'pg';

export const POSTGRES_URL =
  process.env.BATON_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BatonProcess {
  readonly name: string;
  readonly process: ChildProcess;
  readonly grpcPort: number;
  readonly httpPort: number;
  /** SIGTERM (graceful) or SIGKILL; resolves once it exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const running = new Set<ChildProcess>();
// A benchmark that fails or is interrupted leaves no server behind.
process.on('exit', () => running.forEach((p) => p.kill('SIGKILL')));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

/**
 * `baton start` from the TypeScript sources, no authentication, free ports; `args` adds the store
 * (`--cluster … --node-id …`, or nothing for SQLite in `db`). Resolves once it printed `BATON READY`.
 */
export async function startBaton(name: string, db: string, args: string[]): Promise<BatonProcess> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const proc = spawn(
    process.execPath,
    [
      '--conditions=baton-src',
      '--import',
      'tsx',
      join(root, 'packages/cli/src/main.ts'),
      'start',
      '--insecure-no-auth',
      '--grpc-port',
      '0',
      '--http-port',
      '0',
      '--cluster-port',
      '0',
      '--db',
      db,
      '--log-format',
      'json',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: root },
  );
  running.add(proc);
  let output = '';
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  void exited.then(() => running.delete(proc));
  const [grpcPort, httpPort] = await new Promise<[number, number]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not become ready:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /BATON READY grpc=(\d+) http=(\d+)/.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve([Number(ready[1]), Number(ready[2])]);
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${name} exited:\n${output}`));
    });
  });
  // Keep draining its log so that the pipe never fills up.
  proc.stdout!.removeAllListeners('data').resume();
  proc.stderr!.removeAllListeners('data').resume();
  return {
    name,
    process: proc,
    grpcPort,
    httpPort,
    stop: async (signal = 'SIGTERM') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      await exited;
    },
  };
}

/** The schema's unexpired leases: partition → node. */
export async function leaders(client: pg.Client, schema: string): Promise<Map<number, string>> {
  const { rows } = await client.query<{ partition_id: number; node: string }>(
    `SELECT partition_id, node FROM "${schema}".partition_lease WHERE expires_at > clock_timestamp()`,
  );
  return new Map(rows.map((r) => [r.partition_id, r.node]));
}

/** Polls the lease table every 50 ms until `condition` holds; fails after `timeoutMs`. */
export async function waitForLeaders(
  client: pg.Client,
  schema: string,
  what: string,
  condition: (leaders: Map<number, string>) => boolean,
  timeoutMs = 60_000,
): Promise<Map<number, string>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await leaders(client, schema).catch(() => new Map<number, string>());
    if (condition(now)) return now;
    if (Date.now() > deadline)
      throw new Error(`no ${what} within ${timeoutMs} ms: ${JSON.stringify([...now])}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every partition led, each live node leading its even share (counts differing by one at most). */
export function evenlyLed(partitions: number, nodes: readonly string[]) {
  return (now: Map<number, string>): boolean => {
    if (now.size !== partitions) return false;
    const counts = nodes.map((n) => [...now.values()].filter((v) => v === n).length);
    return (
      Math.min(...counts) >= Math.floor(partitions / nodes.length) &&
      Math.max(...counts) - Math.min(...counts) <= 1
    );
  };
}

export async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** The database's committed transactions so far (pg_stat_database: every client's, not only Baton's). */
export async function commits(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ xact_commit: string }>(
    'SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()',
  );
  return Number(rows[0]!.xact_commit);
}

/** A URL with `?schema=` set. */
export function withSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('schema', schema);
  return u.toString();
}

export function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

export function integerOption(args: string[], name: string, fallback: number, min = 1): number {
  const value = option(args, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got ${value}`);
  return n;
}

export type Zeebe = ReturnType<Camunda8['getZeebeGrpcApiClient']>;

/** A Camunda SDK Zeebe gRPC client of a node: no auth, no retries, no log; workers poll every `pollMs`. */
export function sdkClient(grpcPort: number, pollMs = 100): Zeebe {
  return new Camunda8({
    ZEEBE_GRPC_ADDRESS: `grpc://localhost:${grpcPort}`,
    CAMUNDA_AUTH_STRATEGY: 'NONE',
    zeebeGrpcSettings: {
      ZEEBE_CLIENT_LOG_LEVEL: 'NONE',
      ZEEBE_GRPC_CLIENT_RETRY: false,
      ZEEBE_GRPC_WORKER_POLL_INTERVAL_MS: pollMs,
    },
  } as never).getZeebeGrpcApiClient();
}
