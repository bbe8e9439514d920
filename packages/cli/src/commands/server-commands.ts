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
        (server) => callServer(server, 'POST', '/v1/deployments', form),
        (answer) => {
          const processes = (answer.processes as Answer[]).map((p) => ({
            ...p,
            note: p.duplicate ? 'unchanged' : 'new version',
          }));
          const decisions = (answer.decisions as Answer[]).map((d) => ({
            ...d,
            note: d.duplicate ? 'unchanged' : 'new version',
          }));
          const parts = [`deployment ${String(answer.key)}`];
          if (processes.length > 0) {
            parts.push(
              table(processes, ['bpmnProcessId', 'version', 'processDefinitionKey', 'resourceName', 'note']),
            );
          }
          if (decisions.length > 0)
            parts.push(table(decisions, ['decisionId', 'version', 'decisionKey', 'note']));
          const forms = ((answer.forms as Answer[] | undefined) ?? []).map((f) => ({
            ...f,
            note: f.duplicate ? 'unchanged' : 'new version',
          }));
          if (forms.length > 0)
            parts.push(table(forms, ['formId', 'version', 'formKey', 'resourceName', 'note']));
          for (const warning of (answer.warnings as string[] | undefined) ?? [])
            parts.push(`warning: ${warning}`);
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
          bpmnProcessId: processId,
          variables,
          ...(options.version !== undefined
            ? { version: positiveInteger(options.version, '--version') }
            : {}),
          ...(options.await
            ? { awaitResult: true, requestTimeout: positiveInteger(options.timeout, '--timeout') }
            : {}),
          ...(options.startAt
            ? { startInstructions: options.startAt.map((elementId) => ({ elementId })) }
            : {}),
        };
        await run(
          (server) =>
            callServer(server, 'POST', '/v1/process-instances', body, {
              // The HTTP request must outlive the server-side wait, or the client gives up first.
              timeoutMs: options.await ? Number(options.timeout) + 10_000 : undefined,
            }),
          (answer) => {
            const instance = `instance ${String(answer.processInstanceKey)} of ${String(answer.bpmnProcessId)} v${String(answer.version)}`;
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
        (server) => callServer(server, 'POST', `/v1/process-instances/${keyArgument(key)}/cancel`),
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
            await callServer(server, 'POST', `/v1/jobs/${keyArgument(options.job)}/retries`, { retries });
          }
          return callServer(server, 'POST', `/v1/incidents/${incident}/resolve`);
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
        (server) => callServer(server, 'POST', '/v1/messages', body),
        (answer) => `message '${name}' published (key ${String(answer.key)})`,
      );
    });

  program
    .command('topology')
    .description('show the partitions of a running Baton')
    .action(async () => {
      await run(
        (server) => callServer(server, 'GET', '/v1/topology'),
        (answer) =>
          `${String(answer.storage)}\n${table(answer.partitions as Answer[], ['partitionId', 'role', 'health', 'queuedCommands'])}`,
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
        const query = new URLSearchParams();
        if (options.process) query.set('bpmnProcessId', options.process);
        if (options.state) query.set('state', options.state);
        if (options.incidents) query.set('hasIncident', 'true');
        if (options.var) {
          const at = options.var.indexOf('=');
          if (at <= 0) throw new UsageError(`--var is name=value, got '${options.var}'`);
          query.set('variableName', options.var.slice(0, at));
          query.set('variableValue', options.var.slice(at + 1));
        }
        query.set('page', String(positiveInteger(options.page, '--page')));
        query.set('pageSize', String(positiveInteger(options.pageSize, '--page-size')));
        await run(
          (server) => callServer(server, 'GET', `/v1/process-instances?${query}`),
          (answer) =>
            pageText(answer, (rows) =>
              table(
                rows.map((r) => ({ ...r, startTime: time(r.startTime), endTime: time(r.endTime) })),
                ['key', 'bpmnProcessId', 'version', 'state', 'incidents', 'startTime', 'endTime'],
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
      const query = new URLSearchParams({ state: options.resolved ? 'RESOLVED' : 'OPEN' });
      if (options.process) query.set('bpmnProcessId', options.process);
      query.set('page', String(positiveInteger(options.page, '--page')));
      query.set('pageSize', String(positiveInteger(options.pageSize, '--page-size')));
      await run(
        (server) => callServer(server, 'GET', `/v1/incidents?${query}`),
        (answer) =>
          pageText(answer, (rows) =>
            table(
              rows.map((r) => ({ ...r, createdAt: time(r.createdAt) })),
              [
                'key',
                'processInstanceKey',
                'bpmnProcessId',
                'elementId',
                'errorType',
                'errorMessage',
                'createdAt',
              ],
            ),
          ),
      );
    });
}

/** A page of search results as a table and a line saying which part of the total it shows. */
function pageText(answer: Answer, render: (rows: Answer[]) => string): string {
  const items = answer.items as Answer[];
  const page = answer.page as number;
  const pageSize = answer.pageSize as number;
  const total = answer.total as number;
  const first = items.length > 0 ? (page - 1) * pageSize + 1 : 0;
  return `${render(items)}\n${first}-${first + items.length - Math.min(1, items.length)} of ${total}`;
}

function time(value: unknown): string {
  return typeof value === 'number' ? new Date(value).toISOString() : '';
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
