import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import { callServer, RefusedError, UnreachableError } from '../rest-client.js';
import type { ServerAddress } from '../rest-client.js';
import { EXIT, UsageError } from '../exit-codes.js';
import type { ExitCode } from '../exit-codes.js';
import { table } from '../output.js';

/** Global options every client command reads. */
export interface ClientGlobals {
  readonly server: string;
  readonly token?: string;
  readonly json?: boolean;
}

type Answer = Record<string, unknown>;

/**
 * Registers the commands that talk to a running Baton over its REST API (deploy, run, cancel, resolve,
 * publish, topology, instances, incidents).
 * `setExit` receives each command's exit code.
 */
export function registerServerCommands(
  program: Command,
  globals: () => ClientGlobals,
  setExit: (code: ExitCode) => void,
): void {
  const run = async (
    request: (server: ServerAddress) => Promise<unknown>,
    describe: (answer: Answer) => string,
  ): Promise<void> => setExit(await runAgainstServer(globals(), request, describe));

  program
    .command('deploy')
    .description('deploy BPMN, DMN and form files (all or none)')
    .argument('<files...>', 'BPMN, DMN or form (.form) files')
    .action(async (files: string[]) => {
      const form = new FormData();
      for (const file of files) form.append('resources', new Blob([readFile(file)]), basename(file));
      await run(
        (server) => callServer(server, 'POST', '/v2/deployments', form),
        (answer) => {
          const entries = answer.deployments as Answer[];
          const of = (kind: string) => entries.flatMap((e) => (e[kind] ? [e[kind] as Answer] : []));
          const processes = of('processDefinition').map((p) => ({
            ...p,
            version: p.processDefinitionVersion,
          }));
          const parts = [`deployment ${String(answer.deploymentKey)}`];
          if (processes.length > 0)
            parts.push(
              table(processes, ['processDefinitionId', 'version', 'processDefinitionKey', 'resourceName']),
            );
          const decisions = of('decisionDefinition');
          if (decisions.length > 0)
            parts.push(table(decisions, ['decisionDefinitionId', 'version', 'decisionDefinitionKey']));
          const forms = of('form');
          if (forms.length > 0) parts.push(table(forms, ['formId', 'version', 'formKey', 'resourceName']));
          return parts.join('\n');
        },
      );
    });

  program
    .command('run')
    .description('start an instance of the latest version of a process')
    .argument('<process-id>', 'the BPMN process id')
    .option('--vars <json>', 'variables as a JSON object', '{}')
    .option('--version <n>', 'a specific version instead of the latest')
    .option('--await', 'wait until the instance completes and print its variables')
    .option('--timeout <ms>', 'with --await: how long to wait', '60000')
    .option(
      '--start-at <element-id>',
      'start before this element instead of at the none start event (repeatable)',
      (id: string, previous: string[] = []) => [...previous, id],
    )
    .action(
      async (
        processId: string,
        options: { vars: string; version?: string; await?: boolean; timeout: string; startAt?: string[] },
      ) => {
        const variables = parseVariables(options.vars);
        const body = {
          processDefinitionId: processId,
          variables,
          ...(options.version !== undefined
            ? { processDefinitionVersion: positiveInteger(options.version, '--version') }
            : {}),
          ...(options.await
            ? { awaitCompletion: true, requestTimeout: positiveInteger(options.timeout, '--timeout') }
            : {}),
          ...(options.startAt
            ? { startInstructions: options.startAt.map((elementId) => ({ elementId })) }
            : {}),
        };
        await run(
          (server) =>
            callServer(server, 'POST', '/v2/process-instances', body, {
              // The HTTP request must outlive the server-side wait, or the client gives up first.
              timeoutMs: options.await ? Number(options.timeout) + 10_000 : undefined,
            }),
          (answer) => {
            const instance = `instance ${String(answer.processInstanceKey)} of ${String(answer.processDefinitionId)} v${String(answer.processDefinitionVersion)}`;
            return options.await
              ? `${instance} completed\n${JSON.stringify(answer.variables, null, 2)}`
              : `${instance} started`;
          },
        );
      },
    );

  program
    .command('cancel')
    .description('cancel a process instance')
    .argument('<key>', 'process instance key')
    .action(async (key: string) => {
      await run(
        (server) => callServer(server, 'POST', `/v2/process-instances/${keyArgument(key)}/cancellation`),
        () => `process instance ${key} canceled`,
      );
    });

  program
    .command('resolve')
    .description('resolve an incident (for a job incident, give the job retries first)')
    .argument('<key>', 'incident key')
    .option('--job <key>', 'first set this job’s retries (a job incident needs retries to be resolved)')
    .option('--retries <n>', 'with --job: the retries to give the job', '1')
    .action(async (key: string, options: { job?: string; retries: string }) => {
      const incident = keyArgument(key);
      await run(
        async (server) => {
          if (options.job !== undefined) {
            const retries = positiveInteger(options.retries, '--retries');
            await callServer(server, 'PATCH', `/v2/jobs/${keyArgument(options.job)}`, {
              changeset: { retries },
            });
          }
          return callServer(server, 'POST', `/v2/incidents/${incident}/resolution`);
        },
        () => `incident ${key} resolved`,
      );
    });

  program
    .command('publish')
    .description('publish a message')
    .argument('<name>', 'message name')
    .requiredOption(
      '--key <correlation-key>',
      "correlation key (--key '' for none, e.g. a message start event)",
    )
    .option('--vars <json>', 'variables as a JSON object', '{}')
    .option('--ttl <ms>', 'milliseconds the message stays buffered for later subscriptions', '0')
    .option('--id <message-id>', 'message id, unique among buffered messages')
    .action(async (name: string, options: { key: string; vars: string; ttl: string; id?: string }) => {
      const body = {
        name,
        correlationKey: options.key,
        variables: parseVariables(options.vars),
        timeToLive: nonNegativeInteger(options.ttl, '--ttl'),
        ...(options.id !== undefined ? { messageId: options.id } : {}),
      };
      await run(
        (server) => callServer(server, 'POST', '/v2/messages/publication', body),
        (answer) => `message '${name}' published (key ${String(answer.messageKey)})`,
      );
    });

  program
    .command('topology')
    .description('show the partitions of a running Baton')
    .action(async () => {
      await run(
        (server) => callServer(server, 'GET', '/v2/topology'),
        (answer) => {
          const brokers = answer.brokers as Answer[];
          const partitions = brokers.flatMap((b) =>
            (b.partitions as Answer[]).map((p) => ({ ...p, broker: `${String(b.host)}:${String(b.port)}` })),
          );
          return `Baton ${String(answer.gatewayVersion)}, ${String(answer.partitionsCount)} partition(s)\n${table(partitions, ['partitionId', 'role', 'health', 'broker'])}`;
        },
      );
    });

  program
    .command('instances')
    .description('list process instances (newest first), from the read model')
    .option('--process <id>', 'only this BPMN process id')
    .addOption(
      new Option('--state <state>', 'only instances in this state').choices([
        'ACTIVE',
        'COMPLETED',
        'TERMINATED',
      ]),
    )
    .option('--incidents', 'only instances with an open incident')
    .option('--var <name=json>', 'only instances with a variable of this value, e.g. orderId=\'"A-1"\'')
    .option('--page <n>', 'page number', '1')
    .option('--page-size <n>', 'instances per page (at most 1000)', '50')
    .action(
      async (options: {
        process?: string;
        state?: string;
        incidents?: boolean;
        var?: string;
        page: string;
        pageSize: string;
      }) => {
        const filter: Answer = {};
        if (options.process) filter.processDefinitionId = options.process;
        if (options.state) filter.state = options.state;
        if (options.incidents) filter.hasIncident = true;
        if (options.var) {
          const at = options.var.indexOf('=');
          if (at <= 0) throw new UsageError(`--var is name=value, got '${options.var}'`);
          filter.variables = [{ name: options.var.slice(0, at), value: jsonText(options.var.slice(at + 1)) }];
        }
        const page = paging(options);
        const search = { filter, sort: [{ field: 'startDate', order: 'DESC' }], page: page.request };
        await run(
          (server) => callServer(server, 'POST', '/v2/process-instances/search', search),
          (answer) =>
            pageText(answer, page.from, (rows) =>
              table(
                rows.map((r) => ({ ...r, version: r.processDefinitionVersion })),
                [
                  'processInstanceKey',
                  'processDefinitionId',
                  'version',
                  'state',
                  'hasIncident',
                  'startDate',
                  'endDate',
                ],
              ),
            ),
        );
      },
    );

  program
    .command('incidents')
    .description('list open incidents (newest first), from the read model')
    .option('--process <id>', 'only this BPMN process id')
    .option('--resolved', 'list resolved incidents instead of open ones')
    .option('--page <n>', 'page number', '1')
    .option('--page-size <n>', 'incidents per page (at most 1000)', '50')
    .action(async (options: { process?: string; resolved?: boolean; page: string; pageSize: string }) => {
      const filter: Answer = { state: options.resolved ? 'RESOLVED' : 'ACTIVE' };
      if (options.process) filter.processDefinitionId = options.process;
      const page = paging(options);
      const search = { filter, sort: [{ field: 'creationTime', order: 'DESC' }], page: page.request };
      await run(
        (server) => callServer(server, 'POST', '/v2/incidents/search', search),
        (answer) =>
          pageText(answer, page.from, (rows) =>
            table(rows, [
              'incidentKey',
              'processInstanceKey',
              'processDefinitionId',
              'elementId',
              'errorType',
              'errorMessage',
              'creationTime',
            ]),
          ),
      );
    });
}

/** `--page` (from 1) and `--page-size` as the `/v2` search page `{ from, limit }`. */
function paging(options: { page: string; pageSize: string }): {
  from: number;
  request: { from: number; limit: number };
} {
  const page = positiveInteger(options.page, '--page');
  const limit = positiveInteger(options.pageSize, '--page-size');
  if (limit > 1000) throw new UsageError(`--page-size must be at most 1000, got '${options.pageSize}'`);
  const from = (page - 1) * limit;
  return { from, request: { from, limit } };
}

/** A page of `/v2` search results as a table and a line saying which part of the total it shows. */
function pageText(answer: Answer, from: number, render: (rows: Answer[]) => string): string {
  const items = answer.items as Answer[];
  const total = (answer.page as { totalItems: number }).totalItems;
  const first = items.length > 0 ? from + 1 : 0;
  return `${render(items)}\n${first}-${from + items.length} of ${total}`;
}

/** A variable value as the JSON text `/v2` filters take; a bare word that is not JSON is a string. */
function jsonText(value: string): string {
  try {
    return JSON.stringify(JSON.parse(value));
  } catch {
    if (/^[\w.@-]+$/.test(value)) return JSON.stringify(value);
    throw new UsageError(`--var's value must be JSON (e.g. orderId='"A-1"'), got '${value}'`);
  }
}

/** Runs one request and prints the answer (or the refusal); returns the exit code. */
async function runAgainstServer(
  globals: ClientGlobals,
  request: (server: ServerAddress) => Promise<unknown>,
  describe: (answer: Answer) => string,
): Promise<ExitCode> {
  const server = { url: globals.server, token: globals.token };
  try {
    const answer = ((await request(server)) ?? {}) as Answer;
    console.log(globals.json ? JSON.stringify(answer, null, 2) : describe(answer));
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const unreachable = error instanceof UnreachableError;
    const code = error instanceof RefusedError ? error.code : unreachable ? 'UNREACHABLE' : 'INTERNAL';
    const message = (error as Error).message;
    if (globals.json) console.log(JSON.stringify({ error: { code, message } }));
    else console.error(`error: ${message}`);
    return unreachable ? EXIT.unreachable : EXIT.refused;
  }
}

function readFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new UsageError(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

function parseVariables(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--vars is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError('--vars must be a JSON object, e.g. \'{"orderId": "A-1"}\'');
  }
  return value as Record<string, unknown>;
}

function keyArgument(text: string): string {
  if (!/^[0-9]{1,19}$/.test(text)) throw new UsageError(`'${text}' is not a key (a decimal number)`);
  return text;
}

function positiveInteger(text: string, option: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`${option} must be a positive integer, got '${text}'`);
  return n;
}

function nonNegativeInteger(text: string, option: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`${option} must be a non-negative integer, got '${text}'`);
  return n;
}
