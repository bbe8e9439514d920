import type { ActivatedJob } from '@baton-engine/baton';
import type { RestPlugin } from '../plugin.js';
import type { KeyParams } from '../schemas.js';
import { keyParams, millisSchema, nameSchema, objectSchema, variablesSchema } from '../schemas.js';

/** The longest a long poll may wait, so that a forgotten request does not pin a connection for hours. */
const MAX_REQUEST_TIMEOUT = 300_000;

type Variables = Record<string, unknown>;
const positiveInteger = { type: 'integer', minimum: 1 } as const;
const retriesSchema = { type: 'integer', minimum: 0 } as const;

interface ActivationBody {
  readonly type: string;
  readonly worker: string;
  /** Milliseconds the worker has before the jobs can be activated by another worker. */
  readonly timeout: number;
  readonly maxJobsToActivate: number;
  readonly fetchVariables?: string[];
  /** Long polling: wait up to this many milliseconds for jobs when none are there (default 0: answer at once). */
  readonly requestTimeout?: number;
}
const activationBody = objectSchema(
  {
    type: nameSchema,
    worker: { type: 'string', default: '' },
    timeout: positiveInteger,
    maxJobsToActivate: positiveInteger,
    fetchVariables: { type: 'array', items: { type: 'string' } },
    requestTimeout: { ...millisSchema, maximum: MAX_REQUEST_TIMEOUT },
  },
  ['type', 'timeout', 'maxJobsToActivate'],
);

/** Camunda's job result for the job of an ad-hoc sub-process: what to activate next, or that it is done. */
interface AdHocJobResult {
  readonly type: 'adHocSubProcess';
  readonly activateElements?: { elementId: string; variables?: Variables }[];
  readonly isCompletionConditionFulfilled?: boolean;
  readonly isCancelRemainingInstances?: boolean;
}
const adHocJobResult = objectSchema(
  {
    type: { const: 'adHocSubProcess' },
    activateElements: {
      type: 'array',
      items: objectSchema({ elementId: nameSchema, variables: variablesSchema }, ['elementId']),
    },
    isCompletionConditionFulfilled: { type: 'boolean' },
    isCancelRemainingInstances: { type: 'boolean' },
  },
  ['type'],
);

interface CompleteBody {
  readonly variables?: Variables;
  readonly result?: AdHocJobResult;
}
const completeBody = objectSchema({ variables: variablesSchema, result: adHocJobResult });

interface FailBody {
  readonly retries: number;
  readonly errorMessage?: string;
  /** Milliseconds before the job can be activated again. */
  readonly retryBackOff?: number;
  readonly variables?: Variables;
}
const failBody = objectSchema(
  {
    retries: retriesSchema,
    errorMessage: { type: 'string' },
    retryBackOff: millisSchema,
    variables: variablesSchema,
  },
  ['retries'],
);

interface ErrorBody {
  readonly errorCode: string;
  readonly errorMessage?: string;
  readonly variables?: Variables;
}
const errorBody = objectSchema(
  { errorCode: nameSchema, errorMessage: { type: 'string' }, variables: variablesSchema },
  ['errorCode'],
);

const retriesBody = objectSchema({ retries: retriesSchema }, ['retries']);
const timeoutBody = objectSchema({ timeout: positiveInteger }, ['timeout']);

/** Job activation (with long polling) and the commands that finish or adjust a job. */
export const jobRoutes: RestPlugin = async (app, { engine }) => {
  app.post<{ Body: ActivationBody }>(
    '/v1/jobs/activate',
    { schema: { body: activationBody } },
    async (request) => {
      const body = request.body;
      const jobs = await engine.activateJobs({
        type: body.type,
        worker: body.worker,
        timeout: body.timeout,
        maxJobsToActivate: body.maxJobsToActivate,
        fetchVariables: body.fetchVariables ?? [],
        requestTimeout: body.requestTimeout ?? 0,
        // A client that hangs up ends the poll; jobs activated in that instant time out and come back.
        signal: request.abortSignal,
      });
      return { jobs: jobs.map(jobJson) };
    },
  );
  app.post<{ Params: KeyParams; Body: CompleteBody }>(
    '/v1/jobs/:key/complete',
    { schema: { params: keyParams, body: completeBody } },
    async (request, reply) => {
      await engine.completeJob(request.params.key, request.body.variables ?? {}, request.body.result);
      return reply.code(204).send();
    },
  );
  app.post<{ Params: KeyParams; Body: FailBody }>(
    '/v1/jobs/:key/fail',
    { schema: { params: keyParams, body: failBody } },
    async (request, reply) => {
      const body = request.body;
      await engine.failJob(request.params.key, {
        retries: body.retries,
        errorMessage: body.errorMessage ?? '',
        retryBackoff: body.retryBackOff ?? 0,
        variables: body.variables ?? {},
      });
      return reply.code(204).send();
    },
  );
  app.post<{ Params: KeyParams; Body: ErrorBody }>(
    '/v1/jobs/:key/error',
    { schema: { params: keyParams, body: errorBody } },
    async (request, reply) => {
      const body = request.body;
      await engine.throwError(request.params.key, {
        errorCode: body.errorCode,
        errorMessage: body.errorMessage ?? '',
        variables: body.variables ?? {},
      });
      return reply.code(204).send();
    },
  );
  app.post<{ Params: KeyParams; Body: { retries: number } }>(
    '/v1/jobs/:key/retries',
    { schema: { params: keyParams, body: retriesBody } },
    async (request, reply) => {
      await engine.updateJobRetries(request.params.key, request.body.retries);
      return reply.code(204).send();
    },
  );
  app.post<{ Params: KeyParams; Body: { timeout: number } }>(
    '/v1/jobs/:key/timeout',
    { schema: { params: keyParams, body: timeoutBody } },
    async (request, reply) => {
      await engine.updateJobTimeout(request.params.key, request.body.timeout);
      return reply.code(204).send();
    },
  );
};

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
