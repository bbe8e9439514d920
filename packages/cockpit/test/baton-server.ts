import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const bin = fileURLToPath(new URL('../../cli/bin/baton.js', import.meta.url));
const cockpitIndex = fileURLToPath(new URL('../dist/index.html', import.meta.url));
const cliMain = fileURLToPath(new URL('../../cli/dist/main.js', import.meta.url));

/** A `baton start` child process, as a user runs it (the compiled CLI serving the built cockpit). */
export interface BatonServer {
  /** The REST API and cockpit, e.g. http://127.0.0.1:43121 */
  readonly url: string;
  readonly output: () => string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `node packages/cli/bin/baton.js start --memory --grpc-port 0 --http-port 0 …` and waits for its
 * `BATON READY grpc=<port> http=<port>` line. Needs `tsc -b` and the cockpit build (`npm run build`).
 */
export async function startBaton(args: readonly string[]): Promise<BatonServer> {
  if (!existsSync(cliMain))
    throw new Error(`${cliMain} is missing: build the CLI first (npx tsc -b, or npm run build)`);
  if (!existsSync(cockpitIndex))
    throw new Error(
      `${cockpitIndex} is missing: build the cockpit first (npm run build -w @baton-engine/cockpit)`,
    );
  const child = spawn(
    process.execPath,
    [bin, 'start', '--memory', '--grpc-port', '0', '--http-port', '0', ...args],
    { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`baton start did not become ready in 20 s:\n${output}`));
    }, 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /BATON READY grpc=\d+ http=(\d+)/.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve(Number(ready[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`baton start exited with ${code}:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** A deployed process version, from the answer of `POST /v2/deployments`. */
export interface DeployedProcess {
  readonly processDefinitionId: string;
  readonly processDefinitionVersion: number;
  readonly processDefinitionKey: string;
}

/** A small client of the REST API `/v2` (and `/baton/v1`) for the test's own moves (what a worker or another operator would do). */
export function restClient(url: string, token?: string) {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(url + path, {
      method,
      headers: {
        ...(body === undefined || body instanceof FormData ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined || body instanceof FormData ? body : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    get: <T>(path: string) => call<T>('GET', path),
    post: <T = void>(path: string, body: unknown = {}) => call<T>('POST', path, body),
    patch: <T = void>(path: string, body: unknown) => call<T>('PATCH', path, body),
    /** Deploys files as one multipart upload (`POST /v2/deployments`); answers the processes deployed. */
    async deploy(resources: readonly { name: string; xml: string }[]): Promise<DeployedProcess[]> {
      const form = new FormData();
      for (const r of resources) form.append('resources', new Blob([r.xml]), r.name);
      const answer = await call<{ deployments: { processDefinition?: DeployedProcess }[] }>(
        'POST',
        '/v2/deployments',
        form,
      );
      return answer.deployments.flatMap((d) => (d.processDefinition ? [d.processDefinition] : []));
    },
  };
}
