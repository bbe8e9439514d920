import { Command, CommanderError } from 'commander';
import { start } from './commands/start.js';
import type { StartOptions } from './commands/start.js';
import { registerServerCommands } from './commands/server-commands.js';
import { registerClusterCommands } from './commands/cluster-commands.js';
import type { ClientGlobals } from './commands/server-commands.js';
import { EXIT, UsageError } from './exit-codes.js';
import type { ExitCode } from './exit-codes.js';

const program = new Command('baton')
  .description('Baton: a BPMN 2.0 workflow engine that Camunda 8 clients connect to unchanged')
  .exitOverride()
  .showHelpAfterError()
  .option(
    '--server <url>',
    'REST API of a running Baton (env BATON_SERVER)',
    process.env.BATON_SERVER ?? 'http://127.0.0.1:8080',
  )
  .option(
    '--token <token>',
    'bearer token: an API key or OAuth access token (env BATON_TOKEN)',
    process.env.BATON_TOKEN,
  )
  .option('--json', 'print JSON for scripts instead of text');

const collect = (value: string, previous: string[] = []) => [...previous, value];

program
  .command('start')
  .description('run the engine, the Zeebe gRPC gateway and the REST API')
  .option('--db <path>', 'SQLite file (env BATON_DB)', process.env.BATON_DB ?? 'baton.db')
  .option('--memory', 'keep everything in memory: nothing survives a restart')
  .option(
    '--store <url>',
    'keep the log and the read model in PostgreSQL, postgres://user@host:port/db?schema=name (env BATON_STORE)',
    process.env.BATON_STORE,
  )
  .option(
    '--cluster <url>',
    'run as a node of a cluster on PostgreSQL, postgres://user@host:port/db?schema=name (env BATON_CLUSTER_URL)',
    process.env.BATON_CLUSTER_URL,
  )
  .option('--node-id <id>', 'this node’s id in the cluster (env BATON_NODE_ID)', process.env.BATON_NODE_ID)
  .option(
    '--cluster-port <port>',
    'port where the other nodes forward commands to this one (default 26502; env BATON_CLUSTER_PORT)',
    process.env.BATON_CLUSTER_PORT,
  )
  .option(
    '--lease-ms <ms>',
    'how long a partition lease lasts without renewal (default 5000; env BATON_LEASE_MS)',
    process.env.BATON_LEASE_MS,
  )
  .option(
    '--heartbeat-ms <ms>',
    'how often the node beats its heart and renews its leases, at most a third of the lease (default 1000; env BATON_HEARTBEAT_MS)',
    process.env.BATON_HEARTBEAT_MS,
  )
  .option('--partitions <n>', 'number of partitions (default 1; in a cluster, set by its first node)')
  .option('--host <address>', 'address both servers listen on', '127.0.0.1')
  .option('--grpc-port <port>', 'Zeebe gRPC gateway port', '26500')
  .option('--http-port <port>', 'REST API port', '8080')
  .option(
    '--api-key <key>',
    'accept this bearer token (repeatable; env BATON_API_KEYS, comma-separated)',
    collect,
  )
  .option(
    '--api-key-file <file>',
    'accept the bearer tokens in this file, one per line (env BATON_API_KEYS_FILE; keeps keys out of ps)',
    process.env.BATON_API_KEYS_FILE,
  )
  .option(
    '--oauth-client <id:secret>',
    'let this client get tokens at POST /oauth/token (repeatable; env BATON_OAUTH_CLIENTS)',
    collect,
  )
  .option('--insecure-no-auth', 'no authentication at all (only on a loopback address)')
  .option('--tls-cert <file>', 'TLS certificate chain (PEM) for both servers')
  .option('--tls-key <file>', 'TLS private key (PEM)')
  .option('--deploy <files...>', 'BPMN/DMN files to deploy at start')
  .option('--demo', 'deploy a sample order process and run in-process workers and orders for it')
  .option('--connectors <file>', 'event-bus connectors to run (JSON, docs/connectors.md)')
  .option('--log-format <format>', 'pretty (one line per event) or json', 'pretty')
  .option(
    '--max-flow-elements <n>',
    'most flow elements in one deployed BPMN resource (default 20000; env BATON_MAX_FLOW_ELEMENTS)',
    process.env.BATON_MAX_FLOW_ELEMENTS,
  )
  .option(
    '--back-pressure <mode>',
    'aimd (adapt the commands in flight to the latency target), fixed, or off (env BATON_BACK_PRESSURE)',
    process.env.BATON_BACK_PRESSURE,
  )
  .option(
    '--back-pressure-target-ms <ms>',
    'latency the adaptive limit keeps commands under (default 200; env BATON_BACK_PRESSURE_TARGET_MS)',
    process.env.BATON_BACK_PRESSURE_TARGET_MS,
  )
  .option(
    '--max-instance-variable-bytes <n>',
    'most bytes of variables (as JSON) one process instance may hold (default 16 MiB; env BATON_MAX_INSTANCE_VARIABLE_BYTES)',
    process.env.BATON_MAX_INSTANCE_VARIABLE_BYTES,
  )
  .option(
    '--controlled-clock',
    'let PUT /v2/clock pin the engine clock and POST /v2/clock/reset release it (test and staging servers only)',
  )
  .action(async (options: StartOptions) => start(options));

let exitCode: ExitCode = EXIT.ok;
registerServerCommands(
  program,
  () => program.opts<ClientGlobals>(),
  (code) => (exitCode = code),
);
registerClusterCommands(program, () => Boolean(program.opts<ClientGlobals>().json));

try {
  await program.parseAsync(process.argv);
  if (exitCode !== EXIT.ok) process.exit(exitCode);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version exit 0; every other commander error is a usage error it already printed.
    process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
  }
  if (error instanceof UsageError) {
    console.error(`error: ${error.message}`);
    process.exit(EXIT.usage);
  }
  console.error(`error: ${(error as Error).message}`);
  process.exit(EXIT.refused);
}
