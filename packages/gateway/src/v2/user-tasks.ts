import { z } from 'zod';
import type { FieldCondition } from '@baton-engine/read-model';
import { pathKey } from './keys.js';
import { invalidField, parseWith } from './problem.js';
import type { V2Routes } from './routes.js';
import { getOne, runSearch } from './search.js';
import type { SearchDefinition } from './search.js';

const variables = z.record(z.string(), z.unknown());
/** A custom action name the spec lets a client record; Baton keeps no audit of it, so it is accepted and unused. */
const action = z.string().nullish();

const assignmentBody = z
  .object({
    assignee: z.string().min(1, 'expected an assignee'),
    /** false: claim — refused (409) when someone else already has the task. Default true, as Camunda's. */
    allowOverride: z.boolean().nullish(),
    action,
  })
  .strict();

const completionBody = z.object({ variables: variables.nullish(), action }).strict();

/** An ISO 8601 date-time with a zone, or "" to clear it; null or absent keeps it. */
const dateTime = z
  .string()
  .refine((s) => s === '' || /[Zz]|[+-]\d\d:?\d\d$/.test(s), 'expected an ISO 8601 date-time with a zone')
  .refine((s) => s === '' || Number.isFinite(Date.parse(s)), 'expected an ISO 8601 date-time');
const updateBody = z
  .object({
    // The spec: other attributes of the changeset are ignored.
    changeset: z
      .object({
        dueDate: dateTime.nullish(),
        followUpDate: dateTime.nullish(),
        candidateUsers: z.array(z.string()).nullish(),
        candidateGroups: z.array(z.string()).nullish(),
        priority: z.number().int().min(0).max(100).nullish(),
      })
      .passthrough()
      .nullish(),
    action,
  })
  .strict();

/** `POST /v2/user-tasks/search` over the read model's user tasks (Camunda user tasks, `zeebe:userTask`). */
export const userTaskSearch: SearchDefinition<Record<string, unknown>> = {
  resource: 'userTask',
  filter: [
    'userTaskKey',
    'state',
    'assignee',
    'priority',
    'elementId',
    'processDefinitionId',
    'processDefinitionKey',
    'processInstanceKey',
    'elementInstanceKey',
    'creationDate',
    'completionDate',
    'followUpDate',
    'dueDate',
  ],
  sort: ['creationDate', 'completionDate', 'followUpDate', 'dueDate', 'priority'],
  item: ({ candidateGroups, candidateUsers, ...rest }) => ({
    ...rest,
    candidateGroups: JSON.parse(candidateGroups as string) as string[],
    candidateUsers: JSON.parse(candidateUsers as string) as string[],
    customHeaders: {},
  }),
};

/** The variables of a user task's scope (`POST /v2/user-tasks/{key}/variables/search`); values as JSON text. */
const taskVariableSearch: SearchDefinition<Record<string, unknown>> = {
  resource: 'variable',
  filter: ['name'],
  sort: ['name', 'value', 'variableKey', 'scopeKey', 'processInstanceKey'],
  item: (row) => ({ ...row, isTruncated: false }),
};

/**
 * User tasks (`/v2/user-tasks`): search and get (read model), assignment (or claim, `allowOverride: false`),
 * unassignment, update of schedule, candidates and priority, completion with variables, and the task's
 * variables. Its linked form is in forms.ts.
 */
export const userTaskRoutes: V2Routes = (app, { engine, readModel }) => {
  app.post('/user-tasks/search', async (request) => {
    const { body, candidates } = candidateFilters(request.body);
    return runSearch(readModel, userTaskSearch, body, candidates);
  });

  app.get('/user-tasks/:userTaskKey', async (request) => {
    const key = pathKey(request.params, 'userTaskKey');
    return getOne(readModel, userTaskSearch, 'userTaskKey', key, 'a user task');
  });

  app.post('/user-tasks/:userTaskKey/assignment', async (request, reply) => {
    const key = pathKey(request.params, 'userTaskKey');
    const body = parseWith(assignmentBody, request.body, 'body');
    if (body.allowOverride === false) await engine.claimUserTask(key, body.assignee);
    else await engine.assignUserTask(key, body.assignee);
    return reply.code(204).send();
  });

  app.delete('/user-tasks/:userTaskKey/assignee', async (request, reply) => {
    await engine.assignUserTask(pathKey(request.params, 'userTaskKey'), undefined);
    return reply.code(204).send();
  });

  app.patch('/user-tasks/:userTaskKey', async (request, reply) => {
    const key = pathKey(request.params, 'userTaskKey');
    const { changeset } = parseWith(updateBody, request.body ?? {}, 'body');
    const given = <T>(value: T | null | undefined) => (value === null ? undefined : value);
    await engine.updateUserTask(key, {
      ...(given(changeset?.dueDate) === undefined ? {} : { dueDate: changeset!.dueDate! }),
      ...(given(changeset?.followUpDate) === undefined ? {} : { followUpDate: changeset!.followUpDate! }),
      ...(given(changeset?.candidateUsers) === undefined
        ? {}
        : { candidateUsers: changeset!.candidateUsers! }),
      ...(given(changeset?.candidateGroups) === undefined
        ? {}
        : { candidateGroups: changeset!.candidateGroups! }),
      ...(given(changeset?.priority) === undefined ? {} : { priority: changeset!.priority! }),
    });
    return reply.code(204).send();
  });

  app.post('/user-tasks/:userTaskKey/completion', async (request, reply) => {
    const key = pathKey(request.params, 'userTaskKey');
    const body = parseWith(completionBody, request.body ?? {}, 'body');
    await engine.completeUserTask(key, body.variables ?? {});
    return reply.code(204).send();
  });

  /** The variables of the task's own scope (its element instance), as Camunda's tasklist shows them. */
  app.post('/user-tasks/:userTaskKey/variables/search', async (request) => {
    const key = pathKey(request.params, 'userTaskKey');
    const task = await getOne(readModel, userTaskSearch, 'userTaskKey', key, 'a user task');
    return runSearch(readModel, taskVariableSearch, request.body, [
      { field: 'scopeKey', op: '$eq', value: task.elementInstanceKey },
    ]);
  });
};

/**
 * The spec's `candidateGroup` and `candidateUser` filters match a task when the name is one of its candidates:
 * taken out of the body and turned into conditions on the stored lists (plain names only).
 */
function candidateFilters(body: unknown): { body: unknown; candidates: FieldCondition[] } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { body, candidates: [] };
  const { filter, ...rest } = body as { filter?: unknown };
  if (!filter || typeof filter !== 'object' || Array.isArray(filter)) return { body, candidates: [] };
  const { candidateGroup, candidateUser, ...others } = filter as Record<string, unknown>;
  const candidates: FieldCondition[] = [];
  for (const [name, value, field] of [
    ['candidateGroup', candidateGroup, 'candidateGroups'],
    ['candidateUser', candidateUser, 'candidateUsers'],
  ] as const) {
    if (value === undefined) continue;
    const plain =
      typeof value === 'string'
        ? value
        : value && typeof value === 'object' && Object.keys(value).join() === '$eq'
          ? (value as { $eq: unknown }).$eq
          : undefined;
    if (typeof plain !== 'string')
      throw invalidField(`filter.${name}`, 'expected a name (or { $eq: name }): one of the candidates');
    // The list is stored as JSON: the quoted name is in it exactly when it is a candidate.
    candidates.push({ field, op: '$like', value: `*${likeEscape(JSON.stringify(plain))}*` });
  }
  return { body: { ...rest, filter: others }, candidates };
}

/** Escapes Camunda's like wildcards (`*`, `?`, `\`) so that a name matches only itself. */
function likeEscape(text: string): string {
  return text.replace(/[\\*?]/g, (ch) => `\\${ch}`);
}
