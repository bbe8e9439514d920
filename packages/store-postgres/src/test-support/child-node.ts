// A node process started by a test, read line by line, and killed on every path.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export type NodeEvent = { readonly event: string } & Record<string, unknown>;

/** The JSON lines a child printed, and a way to wait for the one that matters. */
export class ChildNode {
  readonly events: NodeEvent[] = [];
  private stderr = '';
  private readonly waiters = new Set<() => void>();
  private exitCode: number | null | undefined;

  private constructor(readonly process: ChildProcess) {
    createInterface({ input: process.stdout! }).on('line', (line) => {
      try {
        this.events.push(JSON.parse(line) as NodeEvent);
      } catch {
        this.stderr += `${line}\n`;
      }
      this.wake();
    });
    process.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    process.on('exit', (code) => {
      this.exitCode = code;
      this.wake();
    });
  }

  /**
   * Starts `test-support/<script>.ts` in a new Node.js process, on the sources (as the tests run); its stdin
   * is a pipe that `end()` closes.
   */
  static start(script: string, args: readonly string[]): ChildNode {
    const path = fileURLToPath(new URL(`./${script}.ts`, import.meta.url));
    const child = spawn(process.execPath, ['--conditions=baton-src', '--import', 'tsx', path, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return new ChildNode(child);
  }

  /** Closes the child's stdin (a contender takes it as the sign to finish). */
  end(): void {
    this.process.stdin?.end();
  }

  get exited(): boolean {
    return this.exitCode !== undefined;
  }

  /** Resolves once `condition` holds on the events so far; fails on the child's exit or after `timeoutMs`. */
  async waitFor(
    what: string,
    condition: (events: NodeEvent[]) => boolean,
    timeoutMs = 60_000,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition(this.events)) {
      if (this.exited && !condition(this.events))
        throw new Error(`the child exited (code ${this.exitCode}) before ${what}; stderr: ${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms; stderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(wake, 200);
        function wake() {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.add(wake);
      });
    }
  }

  /** Resolves with the exit code once the child is gone (within `timeoutMs`). */
  async waitForExit(timeoutMs = 60_000): Promise<number | null> {
    await this.waitFor('exit', () => this.exited, timeoutMs);
    return this.exitCode ?? null;
  }

  /** Kills the child (stopped or not) unless it already exited, and waits until it is gone. */
  async kill(): Promise<void> {
    if (this.exited) return;
    this.process.kill('SIGKILL');
    await this.waitForExit(10_000).catch(() => undefined);
  }

  get errorOutput(): string {
    return this.stderr;
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
    this.waiters.clear();
  }
}
