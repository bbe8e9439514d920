import { z } from 'zod';
import type { ActivatedJob } from '@baton-engine/baton';
import type { ReadModelQueries } from '@baton-engine/read-model';
import { DEFAULT_TENANT, ensureDefaultTenants } from '../tenancy.js';
import { yieldJobs } from '../yield-jobs.js';
import { pathKey, zLong } from './keys.js';
import { invalidField, parseWith } from './problem.js';
import type { V2Routes } from './routes.js';
import { runSearch } from './search.js';
import type { SearchDefinition } from './search.js';

/** Zeebe's long-polling duration when a request asks for the default (`requestTimeout` 0 or absent). */
export const DEFAULT_REQUEST_TIMEOUT = 10_000;
/** The longest a long poll waits, whatever it asks, so that a forgotten request does not pin a connection. */
export const MAX_REQUEST_TIMEOUT = 300_000;

const variables = z.record(z.string(), z.unknown());
/** Milliseconds: the spec's int64 (a JSON number, or a string of digits as the official client sends it). */
const millis = zLong;

const activationBody = z
  .object({
    type: z.string().min(1, 'expected a non-empty job type'),
    worker: z.string().optional(),
    timeout: millis.refine((t) => t > 0, 'expected a positive number of milliseconds'),
    maxJobsToActivate: z.number().int().positive(),
    fetchVariable: z.array(z.string()).optional(),
    requestTimeout: millis.optional(),
    tenantIds: z.array(z.string()).optional(),
  })
  .strict();

const adHocResult = z
  .object({
    type: z.literal('adHocSubProcess'),
    activateElements: z
      .array(z.object({ elementId: z.string().min(1), variables: variables.nullish() }).strict())
      .optional(),
    isCompletionConditionFulfilled: z.boolean().optional(),
    isCancelRemainingInstances: z.boolean().optional(),
  })
  .strict();
/** Corrections and denial come from task listeners, which Baton does not run: refused with a clear reason. */
const userTaskResult = z.object({ type: z.literal('userTask') }).passthrough();
const completionBody = z
  .object({
    variables: variables.nullish(),
    result: z.discriminatedUnion('type', [adHocResult, userTaskResult]).optional(),
  })
  .strict();

const failureBody = z
  .object({
    retries: z.number().int().nonnegative().optional(),
    errorMessage: z.string().optional(),
    retryBackOff: millis.refine((t) => t >= 0, 'expected milliseconds, 0 or more').optional(),
    variables: variables.nullish(),
  })
  .strict();

const errorBody = z
  .object({
    errorCode: z.string().min(1, 'expected a non-empty error code'),
    errorMessage: z.string().nullish(),
    variables: variables.nullish(),
  })
  .strict();

const updateBody = z
  .object({
    // The spec: other attributes of the changeset are ignored.
    changeset: z
      .object({
        retries: z.number().int().positive().nullish(),
        timeout: millis.refine((t) => t > 0, 'expected a positive number of milliseconds').nullish(),
      })
      .passthrough(),
    operationReference: zLong.optional(),
  })
  .strict();

/** `POST /v2/jobs/search` over the read model's jobs. */
export const jobSearch: SearchDefinition<Record<string, unknown>> = {
  resource: 'job',
  filter: [
    'jobKey',
    'type',
    'worker',
    'state',
    'kind',
    'listenerEventType',
    'processDefinitionId',
    'processDefinitionKey',
    'processInstanceKey',
    'elementId',
    'elementInstanceKey',
    'retries',
    'errorMessage',
    'errorCode',
    'deadline',
    'endTime',
    'hasFailedWithRetriesLeft',
  ],
  sort: [
    'deadline',
    'elementId',
    'elementInstanceKey',
    'endTime',
    'errorCode',
    'errorMessage',
    'jobKey',
    'kind',
    'listenerEventType',
    'processDefinitionId',
    'processDefinitionKey',
    'processInstanceKey',
    'retries',
    'state',
    'type',
    'worker',
  ],
  item: (row) => {
    const { customHeaders, ...rest } = row;
    return {
      ...rest,
      customHeaders: typeof customHeaders === 'string' ? (JSON.parse(customHeaders) as unknown) : {},
      worker: rest.worker ?? '',
    };
  },
};

/**
 * Jobs (`/v2/jobs`): activation with long polling as Zeebe's gateway does it (the request stays open until jobs
 * are activated or `requestTimeout` passes: 0 or absent 10 s, negative answers at once), completion, failure,
 * BPMN errors, retries and timeout (`PATCH`), and the search over the read model. A poll ends when its client
 * goes away or the server closes, so shutdown never waits for one.
 */
export const jobRoutes: V2Routes = (app, { engine, readModel }) => {
  const polls = new Set<AbortController>();
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    for (const poll of polls) poll.abort();
  });

  app.post('/jobs/activation', async (request, reply) => {
    const body = parseWith(activationBody, request.body, 'body');
    ensureDefaultTenants('ActivateJobs', body.tenantIds);
    const asked = body.requestTimeout ?? 0;
    const requestTimeout = Math.min(
      asked === 0 ? DEFAULT_REQUEST_TIMEOUT : Math.max(0, asked),
      MAX_REQUEST_TIMEOUT,
    );
    const poll = new AbortController();
    // A poll that arrives while the server closes answers at once with what there is.
    if (closing) poll.abort();
    polls.add(poll);
    // The response closing before it was sent means the client hung up: the poll ends, and jobs activated
    // in that instant are yielded (activatable again at once).
    const onClose = () => poll.abort();
    reply.raw.on('close', onClose);
    try {
      const jobs = await engine.activateJobs({
        type: body.type,
        worker: body.worker ?? '',
        timeout: body.timeout,
        maxJobsToActivate: body.maxJobsToActivate,
        fetchVariables: body.fetchVariable ?? [],
        requestTimeout,
        signal: poll.signal,
      });
      const kinds = await Promise.all(jobs.map((job) => jobKind(readModel, job.elementInstanceKey)));
      if (reply.raw.destroyed) {
        await yieldJobs(engine, jobs, request.log);
        return { jobs: [] };
      }
      return { jobs: jobs.map((job, i) => activatedJob(job, kinds[i])) };
    } finally {
      reply.raw.off('close', onClose);
      polls.delete(poll);
    }
  });

  app.post('/jobs/:jobKey/completion', async (request, reply) => {
    const key = pathKey(request.params, 'jobKey');
    const body = parseWith(completionBody, request.body ?? {}, 'body');
    const result = body.result;
    if (result?.type === 'userTask')
      throw invalidField(
        'body.result.type',
        "'userTask' results (corrections, denial) are for task listeners, which Baton does not run",
      );
    await engine.completeJob(
      key,
      body.variables ?? {},
      result && {
        type: 'adHocSubProcess',
        ...(result.activateElements
          ? {
              activateElements: result.activateElements.map((e) => ({
                elementId: e.elementId,
                ...(e.variables ? { variables: e.variables } : {}),
              })),
            }
          : {}),
        ...(result.isCompletionConditionFulfilled === undefined
          ? {}
          : { isCompletionConditionFulfilled: result.isCompletionConditionFulfilled }),
        ...(result.isCancelRemainingInstances === undefined
          ? {}
          : { isCancelRemainingInstances: result.isCancelRemainingInstances }),
      },
    );
    return reply.code(204).send();
  });

  app.post('/jobs/:jobKey/failure', async (request, reply) => {
    const key = pathKey(request.params, 'jobKey');
    const body = parseWith(failureBody, request.body ?? {}, 'body');
    await engine.failJob(key, {
      retries: body.retries ?? 0,
      errorMessage: body.errorMessage ?? '',
      retryBackoff: body.retryBackOff ?? 0,
      variables: body.variables ?? {},
    });
    return reply.code(204).send();
  });

  app.post('/jobs/:jobKey/error', async (request, reply) => {
    const key = pathKey(request.params, 'jobKey');
    const body = parseWith(errorBody, request.body, 'body');
    await engine.throwError(key, {
      errorCode: body.errorCode,
      errorMessage: body.errorMessage ?? '',
      variables: body.variables ?? {},
    });
    return reply.code(204).send();
  });

  app.patch('/jobs/:jobKey', async (request, reply) => {
    const key = pathKey(request.params, 'jobKey');
    const { changeset } = parseWith(updateBody, request.body, 'body');
    if (changeset.retries !== undefined && changeset.retries !== null)
      await engine.updateJobRetries(key, changeset.retries);
    if (changeset.timeout !== undefined && changeset.timeout !== null)
      await engine.updateJobTimeout(key, changeset.timeout);
    return reply.code(204).send();
  });

  app.post('/jobs/search', async (request) => runSearch(readModel, jobSearch, request.body));
};

/**
 * The spec's job kind: the job of an ad-hoc sub-process with a job worker is `AD_HOC_SUB_PROCESS`, every other
 * job `BPMN_ELEMENT` (Baton runs no execution or task listeners). Known from the element instance the job
 * belongs to, which the read model has by the time its job can be activated; without a read model, BPMN_ELEMENT.
 */
async function jobKind(
  readModel: ReadModelQueries | undefined,
  elementInstanceKey: string,
): Promise<JobKind> {
  const [element] = readModel
    ? (
        await readModel.search('elementInstance', {
          conditions: [{ field: 'elementInstanceKey', op: '$eq', value: elementInstanceKey }],
          limit: 1,
        })
      ).items
    : [];
  return element?.type === 'AD_HOC_SUB_PROCESS' ? 'AD_HOC_SUB_PROCESS' : 'BPMN_ELEMENT';
}

type JobKind = 'BPMN_ELEMENT' | 'AD_HOC_SUB_PROCESS';

/** An activated job as the spec's `ActivatedJobResult`. */
export function activatedJob(job: ActivatedJob, kind: JobKind = 'BPMN_ELEMENT') {
  return {
    jobKey: job.key,
    type: job.type,
    processInstanceKey: job.processInstanceKey,
    processDefinitionId: job.bpmnProcessId,
    processDefinitionVersion: job.processDefinitionVersion,
    processDefinitionKey: job.processDefinitionKey,
    elementId: job.elementId,
    elementInstanceKey: job.elementInstanceKey,
    customHeaders: job.customHeaders,
    worker: job.worker,
    retries: job.retries,
    deadline: job.deadline,
    variables: job.variables,
    tenantId: DEFAULT_TENANT,
    kind,
    listenerEventType: 'UNSPECIFIED' as const,
  };
}
