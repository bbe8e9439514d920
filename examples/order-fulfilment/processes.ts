import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { NatsBusOptions } from '@baton-engine/connectors';

/** The services of the sample, each an OS process of its own in `--processes` mode. */
export type ServiceName = 'order' | 'payment' | 'inventory' | 'shipping' | 'notification' | 'checkout';

/** What service-process.ts is told on its command line (as JSON). */
export interface ServiceProcessConfig {
  readonly nats: NatsBusOptions;
  /** Where the order and payment services keep their engines' SQLite files. */
  readonly dir: string;
  readonly fetchGoodsFirst: boolean;
  readonly sla: string;
  readonly chargeRetryBackoffMs: number;
  readonly cardUpdateTimeout?: string;
  /** How long the carrier takes (bulky goods at least 45 s). */
  readonly carrierDelayMs: number;
  /** The checkout page's port (0: any free one). */
  readonly port: number;
  /** The order service's REST API and cockpit port (0: any free one). */
  readonly apiPort: number;
  /** The cockpit's address, for the checkout page's link. */
  readonly cockpit?: string;
}

/** The running services, one child process each. */
export interface ServiceProcesses {
  readonly checkoutPort: number;
  readonly apiPort: number;
  readonly cockpit: boolean;
  /** Stops every child with SIGTERM and waits for them; resolves with each one's exit code (or signal). */
  stop(): Promise<Record<string, number | string>>;
  /** Resolves when a child exits that was not asked to stop. */
  readonly unexpectedExit: Promise<string>;
}

const entry = fileURLToPath(new URL('./service-process.ts', import.meta.url));

interface Child {
  readonly service: ServiceName;
  readonly process: ChildProcess;
  readonly ready: Promise<Record<string, unknown>>;
  readonly exited: Promise<number | string>;
}

/**
 * Starts the services as child processes on NATS JetStream: the order and payment services (their engines) and
 * inventory, shipping and notification first, then the checkout once the others are on the bus. Each child's
 * output goes to `print` with its name in front.
 */
export async function startServiceProcesses(
  config: Omit<ServiceProcessConfig, 'cockpit'>,
  print: (line: string) => void = (line) => console.log(line),
): Promise<ServiceProcesses> {
  const children: Child[] = [];
  let stopping = false;
  let onUnexpected: (service: string) => void = () => undefined;
  const unexpectedExit = new Promise<string>((resolve) => (onUnexpected = resolve));

  const start = (service: ServiceName, extra: Partial<ServiceProcessConfig> = {}): Child => {
    const child = spawn(
      process.execPath,
      ['--conditions=baton-src', '--import', 'tsx', entry, service, JSON.stringify({ ...config, ...extra })],
      // stdout is read for READY; the IPC channel only tells the child when its parent is gone.
      { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] },
    );
    const exited = new Promise<number | string>((resolve) =>
      child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
    );
    void exited.then((how) => {
      if (!stopping) {
        print(`[${service}] exited (${how})`);
        onUnexpected(service);
      }
    });
    const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
      void exited.then((how) =>
        reject(new Error(`the ${service} service exited (${how}) before it was ready`)),
      );
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (line.startsWith('READY ')) resolve(JSON.parse(line.slice(6)) as Record<string, unknown>);
        else print(`[${service}] ${line}`);
      });
    });
    const running = { service, process: child, ready, exited };
    children.push(running);
    return running;
  };

  const stop = async () => {
    stopping = true;
    const codes: Record<string, number | string> = {};
    await Promise.all(
      children.map(async (child) => {
        if (child.process.exitCode === null && child.process.signalCode === null)
          child.process.kill('SIGTERM');
        const timer = setTimeout(() => child.process.kill('SIGKILL'), 15_000);
        codes[child.service] = await child.exited;
        clearTimeout(timer);
      }),
    );
    return codes;
  };

  try {
    const first = (['order', 'payment', 'inventory', 'shipping', 'notification'] as const).map((s) =>
      start(s),
    );
    const [order] = await Promise.all(first.map((child) => child.ready));
    const apiPort = Number(order!.apiPort);
    const cockpit = order!.cockpit === true;
    const checkout = await start('checkout', {
      cockpit: cockpit ? `http://127.0.0.1:${apiPort}/` : undefined,
    }).ready;
    return { checkoutPort: Number(checkout.port), apiPort, cockpit, stop, unexpectedExit };
  } catch (error) {
    await stop();
    throw error;
  }
}
