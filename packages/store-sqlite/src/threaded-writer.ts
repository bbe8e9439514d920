import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { AppendRefused, createLogWriter } from './log-writer.js';
import type { WriteRequest } from './log-writer.js';

/** Runs write requests in order; each resolves once its transaction is committed. */
export interface LogWriter {
  /** `transfer`: buffers the request holds that may move to another thread (they are unusable afterwards). */
  write(request: WriteRequest, transfer?: readonly ArrayBuffer[]): Promise<void>;
  /** True when requests cross to another thread, where bytes move for free and strings are copied. */
  readonly threaded: boolean;
  /** Lets the requests already made finish, then releases the writing connection. */
  close(): Promise<void>;
}

/** What the writer thread is started with. */
export interface WriterThreadData {
  readonly path: string;
  readonly synchronous: string;
  readonly busyTimeoutMs: number;
}

/** A message to the writer thread. */
export interface WriterMessage {
  readonly id: number;
  readonly request: WriteRequest | 'close';
}

/** The writer thread's answer to one message. */
export interface WriterReply {
  readonly id: number;
  readonly error?: { readonly message: string; readonly refused: boolean };
}

/** Writes on the calling thread, through the given connection (in-memory databases, or when asked to). */
export function inlineWriter(db: Database.Database): LogWriter {
  const write = createLogWriter(db);
  return {
    threaded: false,
    async write(request) {
      write(request);
    },
    async close() {},
  };
}

/**
 * Writes on a worker thread with a connection of its own: the calling thread serializes a batch and goes on
 * processing while the thread inserts, commits and fsyncs it. Requests are answered in order; the thread
 * keeps the process alive only while a request is outstanding, and starts with the first one.
 */
export function threadedWriter(data: WriterThreadData): LogWriter {
  // Started on the first write, so that it does not compete with recovery (which only reads).
  let worker: Worker | undefined;
  const pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let failure: Error | undefined;
  let closing: Promise<void> | undefined;

  const fail = (error: Error) => {
    failure ??= error;
    for (const { reject } of pending.values()) reject(failure);
    pending.clear();
  };
  const started = (): Worker => {
    if (worker) return worker;
    const thread = startWorker(data);
    thread.on('message', (reply: WriterReply) => {
      const waiter = pending.get(reply.id);
      if (!waiter) return;
      pending.delete(reply.id);
      if (pending.size === 0) thread.unref();
      if (!reply.error) waiter.resolve();
      else if (reply.error.refused) waiter.reject(new AppendRefused(reply.error.message));
      else waiter.reject(new Error(reply.error.message));
    });
    thread.on('error', (error) => fail(new Error(`the writer thread failed: ${error.message}`)));
    thread.on('exit', () => fail(new Error('the writer thread has stopped')));
    return (worker = thread);
  };

  const send = (request: WriteRequest | 'close', transfer: readonly ArrayBuffer[] = []): Promise<void> => {
    if (failure) return Promise.reject(failure);
    const thread = started();
    const id = nextId++;
    if (pending.size === 0) thread.ref();
    return new Promise<void>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      thread.postMessage({ id, request } satisfies WriterMessage, [...transfer]);
    });
  };
  return {
    threaded: true,
    write: (request, transfer) =>
      closing ? Promise.reject(new Error('the database is closed')) : send(request, transfer),
    close() {
      // A writer that never wrote has no thread to stop.
      closing ??= worker
        ? send('close').then(
            () => undefined,
            () => undefined,
          )
        : Promise.resolve();
      return closing;
    },
  };
}

/**
 * Starts `writer-thread`: the compiled `.js` next to this file, or, when running from the TypeScript
 * sources (tests, benchmarks), the `.ts` file through tsx's loader, which a worker does not inherit.
 */
function startWorker(data: WriterThreadData): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSource ? './writer-thread.ts' : './writer-thread.js', import.meta.url);
  if (!fromSource) return new Worker(entry, { workerData: data });
  const bootstrap = `const { workerData } = require('node:worker_threads');
(async () => {
  (await import(workerData.tsx)).register();
  await import(workerData.entry);
})();`;
  return new Worker(bootstrap, {
    eval: true,
    workerData: { ...data, tsx: import.meta.resolve('tsx/esm/api'), entry: entry.href },
  });
}
