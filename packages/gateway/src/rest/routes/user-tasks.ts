import { z } from 'zod';
import type { Route } from '../router.js';
import { pathKey, variablesSchema } from '../schemas.js';

const assignmentBody = z
  .object({
    assignee: z.string().min(1, 'Expected an assignee'),
    /** false: claim — refused (409) when someone else already has the task. Default true, as Camunda 8. */
    allowOverride: z.boolean().optional(),
  })
  .strict();

const completionBody = z.object({ variables: variablesSchema.optional() }).strict();

/**
 * Camunda 8 user tasks (`zeebe:userTask`), shaped like Camunda's own REST API: assign or claim, unassign,
 * complete with variables. Listing them is a search (`GET /v1/user-tasks`, read model).
 */
export const userTaskRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: '/v1/user-tasks/:key/assignment',
    async handle(ctx) {
      const key = pathKey(ctx.params);
      const body = await ctx.json(assignmentBody);
      if (body.allowOverride === false) await ctx.engine.claimUserTask(key, body.assignee);
      else await ctx.engine.assignUserTask(key, body.assignee);
      return { status: 204 };
    },
  },
  {
    method: 'DELETE',
    path: '/v1/user-tasks/:key/assignee',
    async handle(ctx) {
      await ctx.engine.assignUserTask(pathKey(ctx.params), undefined);
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    path: '/v1/user-tasks/:key/completion',
    async handle(ctx) {
      const key = pathKey(ctx.params);
      const body = await ctx.json(completionBody);
      await ctx.engine.completeUserTask(key, body.variables ?? {});
      return { status: 204 };
    },
  },
];
