import { Worker } from 'node:worker_threads';
import type { DeploymentRecordValue, DeploymentResource } from '@baton-engine/engine';
import { BatonError } from '../errors.js';
import type { DeploymentLimits } from './deployments.js';
import { deploymentCommandValue } from './deployments.js';

/**
 * Parses, validates and compiles deployment resources into the DEPLOYMENT command's value. Small deployments
 * are compiled on the calling thread; larger ones on a worker thread, so that parsing megabytes of XML never
 * holds up the partitions (their processing, commits and timers run on the calling thread).
 */
export interface DeploymentCompiler {
  /** The command value; rejects with UNAVAILABLE once the compiler is closed (or its thread failed). */
  compile(resources: readonly DeploymentResource[]): Promise<DeploymentRecordValue>;
  /** Stops the thread at once, even mid-compile (a big model never delays shutdown); pending calls reject. */
  close(): Promise<void>;
}

export interface DeploymentCompilerOptions {
  readonly limits: DeploymentLimits;
  /** The engine's minimum timer cycle: the worker thread has module state of its own to set. */
  readonly minimumTimerCycleMs: number;
  /**
   * Deployments of at least this many characters (all resources together) go to the worker thread
   * (default 64 KiB: below it compiling takes milliseconds, less than handing it over).
   */
  readonly offThreadChars?: number;
}

/** What the deployment thread is asked: one deployment to compile. */
export interface CompileRequest {
  readonly id: number;
  readonly resources: readonly DeploymentResource[];
  readonly limits: DeploymentLimits;
  readonly minimumTimerCycleMs: number;
}

/**
 * The deployment thread's answer: the command value without its resources (the caller has them), as JSON —
 * parsing JSON on the receiving thread is several times faster than deserializing a structured clone of a big
 * graph, and the value is written to the log as JSON anyway — or why compiling failed (a bug, not a bad model).
 */
export interface CompileReply {
  readonly id: number;
  readonly json?: string;
  readonly error?: string;
}

export const DEFAULT_OFF_THREAD_CHARS = 64 * 1024;

export function deploymentCompiler(options: DeploymentCompilerOptions): DeploymentCompiler {
  const offThreadChars = options.offThreadChars ?? DEFAULT_OFF_THREAD_CHARS;
  let worker: Worker | undefined;
  let closed = false;
  let nextId = 0;
  const pending = new Map<
    number,
    {
      resources: readonly DeploymentResource[];
      resolve: (v: DeploymentRecordValue) => void;
      reject: (e: Error) => void;
    }
  >();

  const failAll = (error: Error) => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  const started = (): Worker => {
    if (worker) return worker;
    const thread = startWorker();
    thread.on('message', (reply: CompileReply) => {
      const waiter = pending.get(reply.id);
      if (!waiter) return;
      pending.delete(reply.id);
      // An idle thread does not keep the process alive.
      if (pending.size === 0) thread.unref();
      if (reply.json !== undefined) {
        const value = JSON.parse(reply.json) as Omit<DeploymentRecordValue, 'resources'>;
        waiter.resolve({ ...value, resources: waiter.resources });
      } else
        waiter.reject(new BatonError('PROCESSING_ERROR', `compiling the deployment failed: ${reply.error}`));
    });
    const lost = (why: string) => {
      if (worker === thread) worker = undefined; // the next deployment starts a new thread
      failAll(new BatonError('UNAVAILABLE', why));
    };
    thread.on('error', (error) => lost(`the deployment thread failed: ${error.message}`));
    thread.on('exit', () => lost(closed ? 'the engine was closed' : 'the deployment thread has stopped'));
    return (worker = thread);
  };

  return {
    async compile(resources) {
      if (closed) throw new BatonError('UNAVAILABLE', 'the engine was closed');
      const chars = resources.reduce((sum, r) => sum + r.content.length, 0);
      if (chars < offThreadChars) return deploymentCommandValue(resources, options.limits);
      const thread = started();
      const id = nextId++;
      if (pending.size === 0) thread.ref();
      return new Promise<DeploymentRecordValue>((resolve, reject) => {
        pending.set(id, { resources, resolve, reject });
        thread.postMessage({
          id,
          resources,
          limits: options.limits,
          minimumTimerCycleMs: options.minimumTimerCycleMs,
        } satisfies CompileRequest);
      });
    },
    async close() {
      closed = true;
      const thread = worker;
      worker = undefined;
      failAll(new BatonError('UNAVAILABLE', 'the engine was closed'));
      // terminate() stops the thread between two JavaScript instructions, even inside a long parse.
      if (thread) await thread.terminate();
    },
  };
}

/**
 * Starts `deployment-thread`: the compiled `.js` next to this file, or, when running from the TypeScript
 * sources (tests, benchmarks), the `.ts` file through tsx's loader, which a worker does not inherit.
 */
function startWorker(): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSource ? './deployment-thread.ts' : './deployment-thread.js', import.meta.url);
  if (!fromSource) return new Worker(entry);
  const bootstrap = `const { workerData } = require('node:worker_threads');
(async () => {
  (await import(workerData.tsx)).register();
  await import(workerData.entry);
})();`;
  return new Worker(bootstrap, {
    eval: true,
    workerData: { tsx: import.meta.resolve('tsx/esm/api'), entry: entry.href },
  });
}
