import type { RestPlugin } from '../plugin.js';
import type { KeyParams } from '../schemas.js';
import { keyParams, nameSchema, objectSchema, variablesSchema } from '../schemas.js';

interface AssignmentBody {
  readonly assignee: string;
  /** false: claim — refused (409) when someone else already has the task. Default true, as Camunda 8. */
  readonly allowOverride?: boolean;
}
const assignmentBody = objectSchema({ assignee: nameSchema, allowOverride: { type: 'boolean' } }, [
  'assignee',
]);

const completionBody = objectSchema({ variables: variablesSchema });

/**
 * Camunda 8 user tasks (`zeebe:userTask`), shaped like Camunda's own REST API: assign or claim, unassign,
 * complete with variables. Listing them is a search (`GET /v1/user-tasks`, read model).
 */
export const userTaskRoutes: RestPlugin = async (app, { engine }) => {
  app.post<{ Params: KeyParams; Body: AssignmentBody }>(
    '/v1/user-tasks/:key/assignment',
    { schema: { params: keyParams, body: assignmentBody } },
    async (request, reply) => {
      const { assignee, allowOverride } = request.body;
      if (allowOverride === false) await engine.claimUserTask(request.params.key, assignee);
      else await engine.assignUserTask(request.params.key, assignee);
      return reply.code(204).send();
    },
  );
  app.delete<{ Params: KeyParams }>(
    '/v1/user-tasks/:key/assignee',
    { schema: { params: keyParams } },
    async (request, reply) => {
      await engine.assignUserTask(request.params.key, undefined);
      return reply.code(204).send();
    },
  );
  app.post<{ Params: KeyParams; Body: { variables?: Record<string, unknown> } }>(
    '/v1/user-tasks/:key/completion',
    { schema: { params: keyParams, body: completionBody } },
    async (request, reply) => {
      await engine.completeUserTask(request.params.key, request.body.variables ?? {});
      return reply.code(204).send();
    },
  );
};
