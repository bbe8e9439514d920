// Load through the official Camunda SDK on several cluster nodes, and the exactly-once audit of the log after.
import assert from 'node:assert/strict';
import type { LoggedRecord } from '@baton-engine/baton';
import { sdkClient } from '../../test-clients.js';
import type { Zeebe } from '../../test-clients.js';
import { oneTask } from '../../test-models.js';
import { completedInstances, logOf } from './cluster-fixture.js';

/** Instances created one after the other through the nodes in turn, and workers completing their jobs. */
export class SdkLoad {
  /** The instances the nodes acknowledged, with when (Date.now()). */
  readonly acknowledged: { key: string; at: number }[] = [];
  /** Creations that failed: the client knows (such an instance may exist all the same, its answer lost). */
  refused = 0;
  /** How often each job's completion was acknowledged to a worker (more than once would be a double). */
  readonly completionAcks = new Map<string, number>();
  private loading = true;
  private readonly loop: Promise<void>;
  private clients: Zeebe[] = [];
  private workers: { close(): Promise<unknown> }[] = [];

  private constructor(
    grpcPorts: number[],
    readonly bpmnProcessId: string,
    private readonly taskType: string,
  ) {
    this.connect(grpcPorts);
    this.loop = (async () => {
      for (let i = 0; this.loading; i++) {
        const clients = this.clients;
        try {
          const created = await clients[i % clients.length]!.createProcessInstance({
            bpmnProcessId,
            variables: { i },
          });
          this.acknowledged.push({ key: created.processInstanceKey, at: Date.now() });
        } catch {
          this.refused += 1;
          // A node down refuses at once: do not spin.
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    })();
  }

  /** Deploys a one-task process through the first node and starts the load, with a worker, on every port. */
  static async start(grpcPorts: number[], bpmnProcessId: string): Promise<SdkLoad> {
    const taskType = `${bpmnProcessId}-work`;
    const deployer = sdkClient(grpcPorts[0]!);
    try {
      await deployer.deployResource({
        process: Buffer.from(await oneTask(bpmnProcessId, taskType)),
        name: `${bpmnProcessId}.bpmn`,
      });
    } finally {
      await deployer.close();
    }
    return new SdkLoad(grpcPorts, bpmnProcessId, taskType);
  }

  /** Moves the load and the workers to other nodes (the clients and workers so far are closed). */
  async moveTo(grpcPorts: number[]): Promise<void> {
    const [clients, workers] = [this.clients, this.workers];
    this.connect(grpcPorts);
    await SdkLoad.disconnect(clients, workers);
  }

  private connect(grpcPorts: number[]): void {
    this.clients = grpcPorts.map((port) => sdkClient(port));
    this.workers = this.clients.map((zeebe) =>
      zeebe.createWorker({
        taskType: this.taskType,
        pollInterval: 100,
        timeout: 5_000,
        taskHandler: async (job) => {
          const outcome = await job.complete({});
          this.completionAcks.set(job.key, (this.completionAcks.get(job.key) ?? 0) + 1);
          return outcome;
        },
      }),
    );
  }

  private static async disconnect(clients: Zeebe[], workers: { close(): Promise<unknown> }[]): Promise<void> {
    for (const worker of workers) await worker.close().catch(() => undefined);
    for (const zeebe of clients) await zeebe.close().catch(() => undefined);
  }

  /** Resolves once `count` instances were acknowledged in all; fails after `timeoutMs`. */
  async waitFor(count: number, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.acknowledged.length < count) {
      if (Date.now() > deadline)
        throw new Error(
          `${this.acknowledged.length} of ${count} instances acknowledged within ${timeoutMs} ms`,
        );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Stops creating instances (the workers go on). */
  async stop(): Promise<void> {
    this.loading = false;
    await this.loop;
  }

  /** Stops everything: creation, workers, clients. */
  async close(): Promise<void> {
    await this.stop();
    await SdkLoad.disconnect(this.clients, this.workers);
  }

  /**
   * Waits until every acknowledged instance completed in the log of the cluster's schema, then checks that
   * each completed exactly once, that no job completed twice (in the log, or acknowledged twice to a worker),
   * and that the log holds no more instances than were asked for. Returns the log.
   */
  async auditExactlyOnce(
    schema: string,
    partitions: number,
    url?: string,
    timeoutMs = 90_000,
  ): Promise<LoggedRecord[]> {
    await this.stop();
    const expected = new Set(this.acknowledged.map((a) => a.key));
    const deadline = Date.now() + timeoutMs;
    // This load's instances only: other loads may share the cluster.
    const ours = (records: LoggedRecord[]) =>
      completedInstances(
        records.filter((r) => (r.value as { bpmnProcessId?: string }).bpmnProcessId === this.bpmnProcessId),
      );
    let log = await logOf(schema, partitions, url);
    for (;;) {
      const done = new Set(ours(log));
      const missing = [...expected].filter((key) => !done.has(key));
      if (missing.length === 0) break;
      if (Date.now() > deadline)
        throw new Error(`${missing.length} acknowledged instances not completed within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      log = await logOf(schema, partitions, url);
    }
    const completed = ours(log);
    assert.equal(completed.length, new Set(completed).size, 'an instance completed twice');
    // Beyond the acknowledged ones, only instances whose answer was lost (counted as refused) may be there.
    assert.ok(completed.length - expected.size <= this.refused, 'more instances than were asked for');
    const jobs = log
      .filter((r) => r.recordType === 'EVENT' && r.valueType === 'JOB' && r.intent === 'COMPLETED')
      .map((r) => r.key);
    assert.equal(jobs.length, new Set(jobs).size, 'a job completed twice in the log');
    for (const [key, times] of this.completionAcks)
      assert.equal(times, 1, `job ${key}: completion acknowledged ${times} times`);
    return log;
  }
}
