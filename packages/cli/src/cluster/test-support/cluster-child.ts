// A cluster node process started by a test: its JSON lines, requests over IPC, and a kill on every path.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export type NodeEvent = { readonly event: string } & Record<string, unknown>;

const script = fileURLToPath(new URL('./cluster-node-process.ts', import.meta.url));

export class ClusterChild {
  readonly events: NodeEvent[] = [];
  private output = '';
  private exitCode: number | null | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly waiters = new Set<() => void>();

  private constructor(
    readonly name: string,
    readonly process: ChildProcess,
  ) {
    createInterface({ input: process.stdout! }).on('line', (line) => {
      try {
        this.events.push(JSON.parse(line) as NodeEvent);
      } catch {
        this.output += `${line}\n`;
      }
      this.wake();
    });
    process.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    process.on('message', (message: { id: number; result?: unknown; error?: string }) => {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error !== undefined) waiting?.reject(new Error(`${this.name}: ${message.error}`));
      else waiting?.resolve(message.result);
    });
    process.on('exit', (code) => {
      this.exitCode = code;
      for (const waiting of this.pending.values()) waiting.reject(new Error(`${this.name} exited`));
      this.pending.clear();
      this.wake();
    });
  }

  /**
   * Starts a node: `partitions` for the first one of a cluster; `connectors`, a connectors configuration file
   * the node runs its event-bus connectors with.
   */
  static start(
    url: string,
    schema: string,
    name: string,
    partitions?: number,
    connectors?: string,
  ): ClusterChild {
    const args = [url, schema, name, ...(partitions === undefined ? [] : [String(partitions)])];
    const child = fork(script, args, {
      execArgv: ['--conditions=baton-src', '--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: connectors ? { ...process.env, BATON_TEST_CONNECTORS: connectors } : process.env,
    });
    return new ClusterChild(name, child);
  }

  get exited(): boolean {
    return this.exitCode !== undefined;
  }

  get errorOutput(): string {
    return this.output;
  }

  /** Sends a request to the node and resolves with its answer (fails if the node exits first). */
  request<T>(op: string, fields: Record<string, unknown> = {}, timeoutMs = 60_000): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.name} has exited`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: no answer to ${op} within ${timeoutMs} ms; output: ${this.output}`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.process.send({ id, op, ...fields });
    });
  }

  /** Resolves once `condition` holds; fails on the node's exit or after `timeoutMs`. */
  async waitFor(
    what: string,
    condition: () => boolean | Promise<boolean>,
    timeoutMs = 60_000,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (this.exited)
        throw new Error(`${this.name} exited (code ${this.exitCode}) before ${what}: ${this.output}`);
      if (Date.now() > deadline)
        throw new Error(`${this.name}: no ${what} within ${timeoutMs} ms: ${this.output}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(wake, 100);
        function wake() {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.add(wake);
      });
    }
  }

  /** SIGKILL, and waits until the process is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    this.process.kill(signal);
    await gone;
  }

  private wake(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }
}
