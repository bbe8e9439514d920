import { AssertionError } from 'node:assert';
import type { ActivatedJob } from '@baton-engine/engine';
import type { Engine } from '../engine.js';
import type { Variables } from '../api-types.js';
import type { TimeSpan } from './duration.js';
import { spanToMillis } from './duration.js';
import type { RecordHistory } from './instance-history.js';
import { describeJob } from './instance-report.js';
import { activatableCounts, liveJobs } from './jobs.js';
import { sleep } from './idle.js';

/** The worker name the helpers activate jobs as, so that records show who did the work. */
export const TEST_WORKER = 'baton-testing';
/**
 * The job timeout the helpers activate with. They finish the job at once, on the same clock reading, so it
 * only matters when a test moves the clock while it holds the job; long enough that it never does by accident.
 */
const ACTIVATION_TIMEOUT = 5 * 60_000;

/** What the job helpers need from a test engine. */
export interface JobHelperContext {
  readonly engine: Engine;
  readonly history: RecordHistory;
  waitForIdle(): Promise<void>;
  /** Milliseconds (wall clock) to wait for a job to become activatable. */
  readonly waitTimeout: number;
}

/** The variables to complete a job with, or a function of the job that computes them. */
export type JobResult = Variables | ((job: ActivatedJob) => Variables | void | Promise<Variables | void>);

/** How `failJob` fails the next job of a type. */
export interface FailNextJobOptions {
  /** Retries left after this failure; default the job's retries minus one (as a worker that throws). 0 raises an incident. */
  readonly retries?: number;
  readonly errorMessage?: string;
  /** Milliseconds or an ISO 8601 duration before the job can be activated again. */
  readonly retryBackoff?: TimeSpan;
  /** Set as local variables of the task. */
  readonly variables?: Variables;
}

/**
 * Activates the next job of a type as a worker would get it, waiting up to `waitTimeout` ms for one.
 * Fails with an `AssertionError` listing the job types that are activatable, and the state of the jobs of
 * this type (in back-off, activated elsewhere …), when none comes.
 */
export async function activateNextJob(
  ctx: JobHelperContext,
  type: string,
  operator = 'activateNextJob',
): Promise<ActivatedJob> {
  const end = Date.now() + ctx.waitTimeout;
  for (;;) {
    await ctx.waitForIdle();
    const [job] = await ctx.engine.activateJobs({
      type,
      worker: TEST_WORKER,
      timeout: ACTIVATION_TIMEOUT,
      maxJobsToActivate: 1,
      requestTimeout: 0,
    });
    if (job) return job;
    if (Date.now() >= end) throw noJobError(ctx, type, operator);
    await sleep(5);
  }
}

/** Completes the next job of a type; resolves with the job once the engine has moved on. */
export async function completeNextJob(
  ctx: JobHelperContext,
  type: string,
  result: JobResult = {},
): Promise<ActivatedJob> {
  const job = await activateNextJob(ctx, type, 'completeJob');
  const variables = typeof result === 'function' ? ((await result(job)) ?? {}) : result;
  await ctx.engine.completeJob(job.key, variables);
  await ctx.waitForIdle();
  return job;
}

/** Fails the next job of a type; resolves with the job (as it was before failing) once the engine has moved on. */
export async function failNextJob(
  ctx: JobHelperContext,
  type: string,
  options: FailNextJobOptions = {},
): Promise<ActivatedJob> {
  const job = await activateNextJob(ctx, type, 'failJob');
  const retryBackoff =
    options.retryBackoff === undefined ? 0 : spanToMillis(options.retryBackoff, ctx.engine.clock.now());
  await ctx.engine.failJob(job.key, {
    retries: options.retries ?? job.retries - 1,
    errorMessage: options.errorMessage,
    retryBackoff,
    variables: options.variables,
  });
  await ctx.waitForIdle();
  return job;
}

/** Throws a BPMN error from the next job of a type; resolves with the job once the engine has moved on. */
export async function throwErrorOnNextJob(
  ctx: JobHelperContext,
  type: string,
  errorCode: string,
  errorMessage?: string,
  variables?: Variables,
): Promise<ActivatedJob> {
  const job = await activateNextJob(ctx, type, 'throwError');
  await ctx.engine.throwError(job.key, { errorCode, errorMessage, variables });
  await ctx.waitForIdle();
  return job;
}

function noJobError(ctx: JobHelperContext, type: string, operator: string): AssertionError {
  const counts = activatableCounts(ctx.engine, ctx.history.jobTypes());
  const activatable = [...counts].map(([t, n]) => `'${t}' (${n})`);
  const jobs = liveJobs(ctx.engine, ctx.history.jobKeys(type));
  const ofType = jobs.map(
    (j) => `${j.key} at '${j.elementId}' of instance ${j.processInstanceKey}: ${describeJob(j)}`,
  );
  const lines = [
    `Expected a job of type '${type}' to work on, but none was activatable within ${ctx.waitTimeout} ms.`,
    `  Activatable jobs:    ${activatable.length > 0 ? activatable.join(', ') : '(none)'}`,
    `  Jobs of '${type}':${ofType.length > 0 ? `\n    ${ofType.join('\n    ')}` : ' (none)'}`,
  ];
  if (jobs.some((j) => j.state === 'BACKOFF' || j.state === 'ACTIVATED')) {
    lines.push('  (a job in back-off or held by a worker becomes activatable when time passes: advanceTime)');
  }
  return new AssertionError({ message: lines.join('\n'), operator });
}
