import type { RestPlugin } from '../plugin.js';
import type { KeyParams } from '../schemas.js';
import {
  keyParams,
  keySchema,
  nameSchema,
  objectSchema,
  requireExactlyOne,
  variablesSchema,
} from '../schemas.js';

interface EvaluationBody {
  readonly decisionId?: string;
  readonly decisionKey?: string;
  readonly variables?: Record<string, unknown>;
}

const evaluationBody = objectSchema({
  decisionId: nameSchema,
  decisionKey: keySchema,
  variables: variablesSchema,
});

/** Evaluating DMN decisions and deleting deployed resources. */
export const decisionAndResourceRoutes: RestPlugin = async (app, { engine }) => {
  app.post<{ Body: EvaluationBody }>(
    '/v1/decisions/evaluate',
    { schema: { body: evaluationBody } },
    async (request) => {
      const body = request.body;
      requireExactlyOne(body, 'decisionId', 'decisionKey');
      const decision = body.decisionKey ? { decisionKey: body.decisionKey } : body.decisionId!;
      return engine.evaluateDecision(decision, body.variables ?? {});
    },
  );
  app.delete<{ Params: KeyParams }>(
    '/v1/resources/:key',
    { schema: { params: keyParams } },
    async (request, reply) => {
      await engine.deleteResource(request.params.key);
      return reply.code(204).send();
    },
  );
};
