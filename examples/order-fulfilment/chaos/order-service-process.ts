import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { NatsBusOptions } from '@baton-engine/connectors';

const entry = fileURLToPath(new URL('./order-service.ts', import.meta.url));

/** What the order service reports about itself every 500 ms. */
export interface OrderServiceStats {
  /** Element instances (process instances and their elements) still in the engine. */
  readonly running: number;
  readonly jobs: number;
  readonly incidents: number;
  readonly lostAcks: number;
  readonly warnings: number;
  readonly metrics: Readonly<Record<string, number>>;
}

/**
 * The order service (chaos/order-service.ts) as a child process on a SQLite file: started, killed with SIGKILL
 * and started again on the same file, stopped cleanly at the end. Its stderr goes to `logFile`.
 */
export class OrderServiceProcess {
  /** The last stats of each life that ended (killed or stopped), and of the current one. */
  readonly lives: OrderServiceStats[] = [];
  private child: ChildProcess | undefined;
  private current: OrderServiceStats | undefined;
  private exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;

  constructor(
    private readonly dbFile: string,
    private readonly logFile: string,
    private readonly nats: NatsBusOptions,
    private readonly seed: number,
    private readonly ackLoss: number,
  ) {}

  /** The stats of the running process (undefined before its first report). */
  get stats(): OrderServiceStats | undefined {
    return this.current;
  }

  /** Starts the process and resolves once it is on the bus. */
  async start(timeoutMs = 60_000): Promise<void> {
    const log = openSync(this.logFile, 'a');
    const life = this.lives.length;
    const child = spawn(
      process.execPath,
      [
        '--conditions=baton-src',
        '--import',
        'tsx',
        entry,
        this.dbFile,
        JSON.stringify(this.nats),
        String(this.seed + life),
        String(this.ackLoss),
      ],
      { stdio: ['ignore', 'pipe', log] },
    );
    closeSync(log);
    this.child = child;
    this.current = undefined;
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    let buffer = '';
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the order service was not ready within ${timeoutMs} ms${this.logTail()}`)),
        timeoutMs,
      );
      void this.exited!.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(
          new Error(`the order service exited (${signal ?? code}) before it was ready${this.logTail()}`),
        );
      });
      child.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          if (line === 'READY') {
            clearTimeout(timer);
            resolve();
          }
          if (line.startsWith('STATS ')) this.current = JSON.parse(line.slice(6)) as OrderServiceStats;
        }
      });
    });
    await ready;
  }

  /** Kills the process with SIGKILL, at whatever it is doing. */
  async kill(): Promise<void> {
    this.child!.kill('SIGKILL');
    const { signal } = await this.exited!;
    if (signal !== 'SIGKILL') throw new Error(`the order service ended by ${signal}, not SIGKILL`);
    this.endLife();
  }

  /** Stops the process cleanly (SIGTERM); its last stats are the final ones. */
  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    this.child.kill('SIGTERM');
    const { code, signal } = await this.exited!;
    if (code !== 0) throw new Error(`the order service stopped with ${signal ?? code}${this.logTail()}`);
    this.endLife();
  }

  /** Ends the process whatever state it is in (after a failed test). */
  async dispose(): Promise<void> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  private endLife(): void {
    if (this.current) this.lives.push(this.current);
    this.current = undefined;
    this.child = undefined;
  }

  /** The end of its log, for a failure message. */
  logTail(): string {
    try {
      const lines = readFileSync(this.logFile, 'utf8').trim().split('\n').slice(-20);
      return lines.length > 0 && lines[0] !== '' ? `\n--- order service log ---\n${lines.join('\n')}` : '';
    } catch {
      return '';
    }
  }
}
