import { z } from 'zod';
import type { ActivatedJob } from '@baton-engine/baton';
import type { Route } from '../router.js';
import { millisSchema, pathKey, variablesSchema } from '../schemas.js';

/** The longest a long poll may wait, so that a forgotten request does not pin a connection for hours. */
const MAX_REQUEST_TIMEOUT = 300_000;

const activationBody = z
  .object({
    type: z.string().min(1),
    worker: z.string().default(''),
    /** Milliseconds the worker has before the jobs can be activated by another worker. */
    timeout: z.number().int().positive(),
    maxJobsToActivate: z.number().int().positive(),
    fetchVariables: z.array(z.string()).optional(),
    /** Long polling: wait up to this many milliseconds for jobs when none are there (default 0: answer at once). */
    requestTimeout: millisSchema.max(MAX_REQUEST_TIMEOUT).optional(),
  })
  .strict();

/** Camunda's job result for the job of an ad-hoc sub-process: what to activate next, or that it is done. */
const adHocJobResult = z
  .object({
    type: z.literal('adHocSubProcess'),
    activateElements: z
      .array(z.object({ elementId: z.string().min(1), variables: variablesSchema.optional() }).strict())
      .optional(),
    isCompletionConditionFulfilled: z.boolean().optional(),
    isCancelRemainingInstances: z.boolean().optional(),
  })
  .strict();
const completeBody = z
  .object({ variables: variablesSchema.optional(), result: adHocJobResult.optional() })
  .strict();
const failBody = z
  .object({
    retries: z.number().int().nonnegative(),
    errorMessage: z.string().optional(),
    /** Milliseconds before the job can be activated again. */
    retryBackOff: millisSchema.optional(),
    variables: variablesSchema.optional(),
  })
  .strict();
const errorBody = z
  .object({
    errorCode: z.string().min(1),
    errorMessage: z.string().optional(),
    variables: variablesSchema.optional(),
  })
  .strict();
const retriesBody = z.object({ retries: z.number().int().nonnegative() }).strict();
const timeoutBody = z.object({ timeout: z.number().int().positive() }).strict();

/** Job activation (with long polling) and the commands that finish or adjust a job. */
export const jobRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: '/v1/jobs/activate',
    async handle(ctx) {
      const body = await ctx.json(activationBody);
      const jobs = await ctx.engine.activateJobs({
        type: body.type,
        worker: body.worker,
        timeout: body.timeout,
        maxJobsToActivate: body.maxJobsToActivate,
        fetchVariables: body.fetchVariables ?? [],
        requestTimeout: body.requestTimeout ?? 0,
        // A client that hangs up ends the poll; jobs activated in that instant time out and come back.
        signal: ctx.signal,
      });
      return { status: 200, body: { jobs: jobs.map(jobJson) } };
    },
  },
  {
    method: 'POST',
    path: '/v1/jobs/:key/complete',
    async handle(ctx) {
      const key = pathKey(ctx.params);
      const body = await ctx.json(completeBody);
      await ctx.engine.completeJob(key, body.variables ?? {}, body.result);
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    path: '/v1/jobs/:key/fail',
    async handle(ctx) {
      const key = pathKey(ctx.params);
      const body = await ctx.json(failBody);
      await ctx.engine.failJob(key, {
        retries: body.retries,
        errorMessage: body.errorMessage ?? '',
        retryBackoff: body.retryBackOff ?? 0,
        variables: body.variables ?? {},
      });
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    path: '/v1/jobs/:key/error',
    async handle(ctx) {
      const key = pathKey(ctx.params);
      const body = await ctx.json(errorBody);
      await ctx.engine.throwError(key, {
        errorCode: body.errorCode,
        errorMessage: body.errorMessage ?? '',
        variables: body.variables ?? {},
      });
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    path: '/v1/jobs/:key/retries',
    async handle(ctx) {
      const key = pathKey(ctx.params);
      await ctx.engine.updateJobRetries(key, (await ctx.json(retriesBody)).retries);
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    path: '/v1/jobs/:key/timeout',
    async handle(ctx) {
      const key = pathKey(ctx.params);
      await ctx.engine.updateJobTimeout(key, (await ctx.json(timeoutBody)).timeout);
      return { status: 204 };
    },
  },
];

/** An activated job as REST clients see it: variables and headers as objects, keys as strings. */
export function jobJson(job: ActivatedJob) {
  return {
    key: job.key,
    type: job.type,
    processInstanceKey: job.processInstanceKey,
    bpmnProcessId: job.bpmnProcessId,
    processDefinitionVersion: job.processDefinitionVersion,
    processDefinitionKey: job.processDefinitionKey,
    elementId: job.elementId,
    elementInstanceKey: job.elementInstanceKey,
    customHeaders: job.customHeaders,
    worker: job.worker,
    retries: job.retries,
    deadline: job.deadline,
    variables: job.variables,
  };
}
