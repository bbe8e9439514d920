import type * as grpc from '@grpc/grpc-js';
import type { ActivatedJob, Engine } from '@baton-engine/baton';
import type { Logger } from 'pino';
import { toGrpcError } from '../status-mapping.js';
import { yieldJobs } from '../yield-jobs.js';
import { ensureDefaultTenants } from '../tenancy.js';
import { millisOf, toActivatedJob } from './wire.js';

/** A server-streaming call as grpc-js hands it to a handler. */
export type StreamCall = grpc.ServerWritableStream<Record<string, unknown>, unknown>;

/** What the job streaming handlers need from the server. */
export interface JobStreaming {
  readonly engine: Engine;
  /** An abort controller that fires when the client goes away or the gateway stops. */
  readonly pollFor: (call: StreamCall) => AbortController;
  readonly log?: Logger;
}

/** Zeebe's default long-polling duration when a client sends requestTimeout 0. */
const DEFAULT_REQUEST_TIMEOUT = 10_000;
/** Jobs activated per round of a job stream. */
const STREAM_BATCH = 32;
/** Room left before the client's deadline, so that the answer arrives before the client gives up. */
const DEADLINE_MARGIN = 500;

interface ActivateJobsRequest {
  readonly type: string;
  readonly worker: string;
  readonly timeout: string;
  readonly maxJobsToActivate: number;
  readonly fetchVariable: string[];
  readonly requestTimeout: string;
  readonly tenantIds?: string[];
}

/**
 * `ActivateJobs`: long polling. The call stays open until jobs are activated or `requestTimeout` passes
 * (0: 10 s, negative: answer at once), and is answered with one response holding the jobs.
 */
export function activateJobsHandler({ engine, pollFor, log }: JobStreaming) {
  return (call: StreamCall) => {
    const request = call.request as unknown as ActivateJobsRequest;
    try {
      ensureDefaultTenants('ActivateJobs', request.tenantIds);
    } catch (error) {
      call.emit('error', toGrpcError(error));
      return;
    }
    const abort = pollFor(call);
    const asked = millisOf(request.requestTimeout);
    const requestTimeout = Math.min(
      asked === 0 ? DEFAULT_REQUEST_TIMEOUT : Math.max(0, asked),
      // Jobs activated after the client stopped listening would sit out their timeout for nothing.
      Math.max(0, millisUntil(call.getDeadline()) - DEADLINE_MARGIN),
    );
    engine
      .activateJobs({
        type: request.type,
        worker: request.worker,
        timeout: millisOf(request.timeout),
        maxJobsToActivate: request.maxJobsToActivate,
        fetchVariables: request.fetchVariable ?? [],
        requestTimeout,
        signal: abort.signal,
      })
      .then(
        (jobs) => {
          if (call.cancelled) return yieldJobs(engine, jobs, log);
          if (jobs.length > 0) call.write({ jobs: jobs.map(toActivatedJob) });
          call.end();
        },
        (error: unknown) => call.emit('error', toGrpcError(error)),
      );
  };
}

/**
 * `StreamActivatedJobs`: job push. While the client listens, jobs of its type are activated as they become
 * activatable and written one by one. When the client goes away, activation stops, and the jobs activated
 * for it that were not written yet are yielded: activatable again at once, as Zeebe yields a job it could not
 * push. Jobs written that the client never finished time out and become activatable again, as with any worker.
 * In a cluster the other nodes push the jobs of their partitions too (`engine.streamJobs`).
 */
export function streamActivatedJobsHandler({ engine, pollFor, log }: JobStreaming) {
  return (call: StreamCall) => {
    const request = call.request as unknown as ActivateJobsRequest;
    try {
      ensureDefaultTenants('StreamActivatedJobs', request.tenantIds);
    } catch (error) {
      call.emit('error', toGrpcError(error));
      return;
    }
    const abort = pollFor(call);
    const drained = () =>
      new Promise<void>((resolve) => {
        const done = () => {
          call.off('drain', done);
          abort.signal.removeEventListener('abort', done);
          resolve();
        };
        call.on('drain', done);
        abort.signal.addEventListener('abort', done);
      });
    const deliver = async (jobs: ActivatedJob[]) => {
      let buffered = false;
      let written = 0;
      for (const job of jobs) {
        if (abort.signal.aborted) break;
        buffered = !call.write(toActivatedJob(job));
        written += 1;
      }
      if (written < jobs.length) await yieldJobs(engine, jobs.slice(written), log);
      // A slow client gets no more jobs until it has taken the ones written.
      if (buffered && !abort.signal.aborted) await drained();
    };
    const asked = {
      type: request.type,
      worker: request.worker,
      timeout: millisOf(request.timeout),
      maxJobsToActivate: STREAM_BATCH,
      fetchVariables: request.fetchVariable ?? [],
    };
    engine.streamJobs(asked, deliver, abort.signal).then(
      () => {
        if (!call.cancelled) call.end();
      },
      (error: unknown) => {
        if (!abort.signal.aborted) call.emit('error', toGrpcError(error));
      },
    );
  };
}

function millisUntil(deadline: grpc.Deadline): number {
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  return at === Infinity ? Infinity : at - Date.now();
}
