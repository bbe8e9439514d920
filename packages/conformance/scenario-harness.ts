import { after, before } from 'node:test';
import type { LoggedRecord } from '@baton-engine/baton';
import { startConformanceServer } from './conformance-server.js';
import type { ConformanceServer, Zeebe } from './conformance-server.js';

type Handler = Parameters<Zeebe['createWorker']>[0]['taskHandler'];
type Variables = Record<string, string | number | boolean | number[]>;

/** What a scenario test works with: the SDK client, and the server's engine for waiting on records. */
export interface ScenarioHarness {
  readonly zeebe: Zeebe;
  readonly server: ConformanceServer;
  deploy(xml: string | Buffer, name: string): Promise<void>;
  /** A job worker for `taskType`, closed when the suite ends. */
  work(taskType: string, taskHandler: Handler): void;
  /** Starts an instance and awaits its variables at the end (createProcessInstanceWithResult). */
  run(bpmnProcessId: string, variables?: Variables): Promise<Record<string, unknown>>;
  /** Resolves with the first committed record from now on that matches: call it before the action. */
  nextRecord(matches: (record: LoggedRecord) => boolean, ms?: number): Promise<LoggedRecord>;
}

/**
 * Starts a conformance server before the enclosing suite and stops it (with every worker) after it, whatever
 * happened. Call inside `describe`.
 */
export function scenarioHarness(): ScenarioHarness {
  let server: ConformanceServer | undefined;
  const workers: { close(): Promise<unknown> }[] = [];
  before(async () => {
    server = await startConformanceServer();
  });
  after(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await server?.stop();
  });
  const zeebe = () => server!.zeebe;
  return {
    get zeebe() {
      return zeebe();
    },
    get server() {
      return server!;
    },
    deploy: async (xml, name) => {
      await zeebe().deployResource({ name, process: Buffer.from(xml) });
    },
    work: (taskType, taskHandler) => {
      // A short long-poll: the SDK leaves each long poll's timer running after close(), which would hold the
      // test process open for the default 50 s.
      workers.push(
        zeebe().createWorker({ taskType, taskHandler, pollInterval: 50, longPoll: 1_000, timeout: 10_000 }),
      );
    },
    run: async (bpmnProcessId, variables = {}) =>
      (await zeebe().createProcessInstanceWithResult({ bpmnProcessId, variables, requestTimeout: 10_000 }))
        .variables as Record<string, unknown>,
    nextRecord: (matches, ms = 10_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          off();
          reject(new Error('no matching record arrived in time'));
        }, ms);
        const off = server!.engine.onRecords((records) => {
          const found = records.find(matches);
          if (!found) return;
          clearTimeout(timer);
          off();
          resolve(found);
        });
      }),
  };
}
