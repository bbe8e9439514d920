import type { ActivatedJob, LoggedRecord } from '@baton-engine/engine';
import type { PartitionRuntime } from './partition.js';
import { BatonError } from '../errors.js';

export interface ActivateJobsRequest {
  readonly type: string;
  readonly worker: string;
  /** Milliseconds the worker has before the job times out and can be activated by another worker. */
  readonly timeout: number;
  readonly maxJobsToActivate: number;
  readonly fetchVariables?: readonly string[];
  /** Long polling: wait up to this many milliseconds for jobs when none are there (0: answer at once). */
  readonly requestTimeout?: number;
  /** Aborting ends a long poll early with the jobs found so far (none). */
  readonly signal?: AbortSignal;
  /** In a cluster: only the partitions this process leads (a node answering another node's activation). */
  readonly localOnly?: boolean;
}

interface Waiter {
  readonly type: string;
  readonly wake: () => void;
}

/**
 * Activates jobs across partitions and parks long-polling requests until a committed batch makes a job of
 * their type activatable (created, timed out, failed with retries, back-off over, incident resolved).
 */
export class JobDispatcher {
  private readonly waiters = new Set<Waiter>();
  private next = 0;

  constructor(private readonly partitions: readonly PartitionRuntime[]) {
    for (const partition of partitions) this.add(partition);
  }

  /**
   * Follows the commits of a partition added to the list (a cluster node took its lease). Long polls look
   * again at once: the partition may bring activatable jobs recovered from its log, which no commit announces.
   */
  add(partition: PartitionRuntime): void {
    partition.onCommit((records) => this.onCommit(records));
    // Woken waiters continue after the caller's synchronous step, which puts the partition in the list.
    this.wakeAll();
  }

  async activate(request: ActivateJobsRequest): Promise<ActivatedJob[]> {
    if (!request.type) throw new BatonError('INVALID_ARGUMENT', 'Expected a non-empty job type');
    if (!(request.timeout > 0)) {
      throw new BatonError(
        'INVALID_ARGUMENT',
        `Expected a positive job timeout, but it was ${request.timeout}`,
      );
    }
    if (!(request.maxJobsToActivate > 0)) {
      throw new BatonError(
        'INVALID_ARGUMENT',
        `Expected maxJobsToActivate > 0, but it was ${request.maxJobsToActivate}`,
      );
    }
    const deadline = Date.now() + Math.max(0, request.requestTimeout ?? 0);
    for (;;) {
      const jobs = await this.activateNow(request);
      if (jobs.length > 0 || Date.now() >= deadline || request.signal?.aborted) return jobs;
      await this.waitForJobs(request.type, deadline - Date.now(), request.signal);
    }
  }

  private async activateNow(request: ActivateJobsRequest): Promise<ActivatedJob[]> {
    const jobs: ActivatedJob[] = [];
    const count = this.partitions.length;
    const start = this.next++ % count;
    for (let i = 0; i < count && jobs.length < request.maxJobsToActivate; i++) {
      // The list changes while a cluster node takes and releases partitions.
      const partition = this.partitions[(start + i) % count];
      if (!partition?.engineState.hasActivatableJobs(request.type)) continue;
      const response = await partition.submit({
        valueType: 'JOB_BATCH',
        intent: 'ACTIVATE',
        value: {
          type: request.type,
          worker: request.worker,
          timeout: request.timeout,
          maxJobsToActivate: request.maxJobsToActivate - jobs.length,
          fetchVariables: request.fetchVariables ?? [],
          jobs: [],
          truncated: false,
        },
      });
      if (response.valueType === 'JOB_BATCH') jobs.push(...response.value.jobs);
    }
    return jobs;
  }

  /** Resolves when a job of the type may be activatable here, after `ms`, or on abort. */
  waitForJobs(type: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const waiter: Waiter = { type, wake: () => finish() };
      const timer = setTimeout(() => finish(), Math.max(0, ms));
      const onAbort = () => finish();
      signal?.addEventListener('abort', onAbort, { once: true });
      const finish = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.waiters.delete(waiter);
        resolve();
      };
      this.waiters.add(waiter);
    });
  }

  private onCommit(records: readonly LoggedRecord[]): void {
    if (this.waiters.size === 0) return;
    const types = new Set<string>();
    for (const record of records) {
      if (record.recordType !== 'EVENT') continue;
      if (record.valueType === 'JOB' && ACTIVATABLE_AGAIN.has(record.intent)) types.add(record.value.type);
      if (record.valueType === 'INCIDENT' && record.intent === 'RESOLVED' && record.value.jobKey !== '-1') {
        types.add('*');
      }
    }
    if (types.size === 0) return;
    for (const waiter of [...this.waiters]) {
      if (types.has(waiter.type) || types.has('*')) waiter.wake();
    }
  }

  /** Makes every long poll look for jobs again (a partition was added; on shutdown). */
  wakeAll(): void {
    for (const waiter of [...this.waiters]) waiter.wake();
  }
}

const ACTIVATABLE_AGAIN: ReadonlySet<string> = new Set([
  'CREATED',
  'TIMED_OUT',
  'FAILED',
  'RECURRED_AFTER_BACKOFF',
  'YIELDED',
  'RETRIES_UPDATED',
]);
