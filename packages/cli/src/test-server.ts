import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface TestServer {
  /** The gRPC gateway's port. */
  readonly port: number;
  /** The REST API's port. */
  readonly httpPort: number;
  /** The REST API's base URL. */
  readonly url: string;
  readonly process: ChildProcess;
  readonly output: () => string;
  stop(): Promise<number | null>;
}

/**
 * Starts `baton start` (from source) as a child process on free ports and waits until both servers listen.
 * In memory, unless `options.db` names a SQLite file.
 */
export async function startBaton(args: string[], options: { db?: string } = {}): Promise<TestServer> {
  const port = await freePort();
  const httpPort = await freePort();
  const child = spawn(
    process.execPath,
    [
      '--conditions=baton-src',
      '--import',
      'tsx',
      main,
      'start',
      ...(options.db ? ['--db', options.db] : ['--memory']),
      '--grpc-port',
      String(port),
      '--http-port',
      String(httpPort),
      ...args,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // A test run that ends early (a failed hook, a timeout, --test-force-exit) leaves no server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // never leave a server behind, on any path
      reject(new Error(`baton start did not become ready in 20 s:\n${output}`));
    }, 20_000);
    child.stdout!.on('data', () => {
      if (output.includes('BATON READY')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`baton start exited with ${code}:\n${output}`));
    });
  });
  return {
    port,
    httpPort,
    url: `http://127.0.0.1:${httpPort}`,
    process: child,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

/** `POST /v2/<resource>/search` with `filter` on a running Baton: how many items match (the search's totalItems). */
export async function searchTotal(
  url: string,
  resource: string,
  filter: Record<string, unknown>,
  token?: string,
): Promise<number> {
  const response = await fetch(`${url}/v2/${resource}/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ filter }),
  });
  if (!response.ok)
    throw new Error(`POST /v2/${resource}/search answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { page: { totalItems: number } }).page.totalItems;
}
