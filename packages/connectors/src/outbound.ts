import type { ActivatedJob } from '@baton-engine/engine';
import type { Engine } from '@baton-engine/baton';
import { BatonError } from '@baton-engine/baton';
import type { Bus } from './bus/bus.js';
import { BusUnavailableError } from './bus/bus.js';
import { ENVELOPE_CONTENT_TYPE, encodeEnvelope } from './envelope.js';
import type { ConnectorLog } from './log.js';
import type { ConnectorMetrics } from './metrics.js';
import { buildOutboundMessage } from './outbound-message.js';
import { Backoff, sleep } from './util/backoff.js';

export interface OutboundOptions {
  /** The job type of outbound connectors (default `baton:bus-publish`). */
  readonly jobType: string;
  /** The envelope source and id namespace. */
  readonly source: string;
  /** Jobs published at once, at most. */
  readonly maxJobsActive: number;
  /** Milliseconds a taken job is ours; after a crash it is published again (same id) once this passed. */
  readonly jobTimeout: number;
  /** Long-poll duration for jobs (default 10 s). */
  readonly pollTimeout?: number;
  /** The cluster node this runs on: the jobs it takes show the worker `baton-connectors@<node>`. */
  readonly node?: string;
}

/** The worker name outbound jobs show while they are being published (`@<node>` added in a cluster). */
export const OUTBOUND_WORKER = 'baton-connectors';

/**
 * The outbound side, a transactional outbox: a send task or message throw/end event bound to the bus is a job,
 * created in the same committed batch as the step that reached it (nothing exists for an uncommitted step).
 * This takes such jobs, builds the message, publishes it and waits for the broker's confirm, and only then
 * completes the job. A crash before the completion leaves the job in the engine: it is taken again after its
 * timeout and published again with the same id (at least once; consumers de-duplicate by id). While the bus
 * is unreachable no job is taken: they wait in the engine and go out when the broker is back.
 *
 * In a cluster each node takes the jobs of the partitions it leads only, so publishing for a partition happens
 * on its leader; a new leader takes over the jobs its predecessor had not completed once their timeout passed.
 */
export class OutboundConnector {
  private readonly inHand = new Set<Promise<void>>();
  private readonly attempts = new Map<string, number>();
  private stopped = false;
  private poll: AbortController | undefined;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private readonly offState: () => void;

  constructor(
    private readonly engine: Engine,
    private readonly bus: Bus,
    private readonly options: OutboundOptions,
    private readonly log: ConnectorLog,
    private readonly metrics: ConnectorMetrics,
  ) {
    this.offState = bus.onStateChange((state) => {
      if (state === 'disconnected') this.poll?.abort();
      this.wakeUp();
    });
  }

  start(): void {
    this.loop ??= this.run();
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private sleepUntilWoken(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }

  private async run(): Promise<void> {
    const backoff = new Backoff(500, 10_000);
    while (!this.stopped) {
      if (this.bus.state !== 'connected' || this.inHand.size >= this.options.maxJobsActive) {
        await this.sleepUntilWoken();
        continue;
      }
      this.poll = new AbortController();
      let jobs: ActivatedJob[];
      try {
        jobs = await this.engine.activateJobs({
          type: this.options.jobType,
          worker: this.options.node ? `${OUTBOUND_WORKER}@${this.options.node}` : OUTBOUND_WORKER,
          timeout: this.options.jobTimeout,
          maxJobsToActivate: this.options.maxJobsActive - this.inHand.size,
          requestTimeout: this.options.pollTimeout ?? 10_000,
          signal: this.poll.signal,
          // In a cluster: not the jobs of partitions other nodes lead (their own connectors publish those).
          localOnly: true,
        });
        backoff.reset();
      } catch (error) {
        if (this.stopped) break;
        this.log.warn({ error: (error as Error).message }, 'outbound: could not take jobs from the engine');
        await sleep(backoff.next());
        continue;
      }
      for (const job of jobs) {
        const handled: Promise<void> = this.handle(job).finally(() => {
          this.inHand.delete(handled);
          this.wakeUp();
        });
        this.inHand.add(handled);
      }
    }
  }

  private async handle(job: ActivatedJob): Promise<void> {
    const where = { process: job.bpmnProcessId, element: job.elementId, job: job.key };
    const built = buildOutboundMessage(job, this.options.source, this.engine.clock.now());
    if (!built.ok) {
      await this.incident(job, built.message);
      return;
    }
    const { subject, envelope, resultVariable } = built.value;
    try {
      await this.bus.publish(subject, {
        id: envelope.id,
        headers: { 'content-type': ENVELOPE_CONTENT_TYPE },
        body: encodeEnvelope(envelope),
      });
    } catch (error) {
      if (!(error instanceof BusUnavailableError)) {
        await this.incident(job, `the message cannot be published: ${(error as Error).message}`);
        return;
      }
      this.metrics.outboundPublishFailures.inc();
      const attempt = (this.attempts.get(job.key) ?? 0) + 1;
      this.attempts.set(job.key, attempt);
      const retryBackoff = Math.min(60_000, 1_000 * 2 ** (attempt - 1));
      // Retries stay as they are: an unreachable broker is waited for, it is not the model's fault.
      await this.engine
        .failJob(job.key, {
          retries: job.retries,
          retryBackoff,
          errorMessage: `the bus did not take the message to '${subject}' (attempt ${attempt}, next in ${retryBackoff} ms): ${error.message}`,
        })
        .catch(() => this.attempts.delete(job.key)); // gone meanwhile (canceled): nothing to wait for
      return;
    }
    this.attempts.delete(job.key);
    this.metrics.outboundPublished.inc();
    const variables = resultVariable
      ? { [resultVariable]: { id: envelope.id, subject, type: envelope.type, time: envelope.time } }
      : {};
    await this.engine.completeJob(job.key, variables).catch((error: unknown) => {
      // Canceled meanwhile (the instance went on without it): the message is out, which at-least-once allows.
      if (error instanceof BatonError && error.code === 'NOT_FOUND') return;
      // Otherwise the job comes back after its timeout and goes out again with the same id.
      this.log.warn(
        { ...where, error: (error as Error).message },
        'outbound: published, but could not complete the job',
      );
    });
  }

  private async incident(job: ActivatedJob, message: string): Promise<void> {
    this.metrics.outboundIncidents.inc();
    this.log.warn(
      { process: job.bpmnProcessId, element: job.elementId, job: job.key, reason: message },
      'outbound: the message cannot be built; incident raised',
    );
    // A job canceled meanwhile needs no incident.
    await this.engine.failJob(job.key, { retries: 0, errorMessage: message }).catch(() => undefined);
  }

  /** Stops taking jobs and waits for the ones being published. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.offState();
    this.poll?.abort();
    this.wakeUp();
    await this.loop;
    await Promise.all(this.inHand);
  }
}
