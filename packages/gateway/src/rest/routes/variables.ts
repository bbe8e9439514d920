import type { RestPlugin } from '../plugin.js';
import type { KeyParams } from '../schemas.js';
import { keyParams, objectSchema, variablesSchema } from '../schemas.js';

interface VariablesBody {
  readonly variables: Record<string, unknown>;
  /** Keep the variables on this scope instead of propagating them to the scope that defines them. */
  readonly local?: boolean;
}

const variablesBody = objectSchema({ variables: variablesSchema, local: { type: 'boolean' } }, ['variables']);

/** `PUT /v1/element-instances/:key/variables`: sets variables on a process or element instance scope. */
export const variableRoutes: RestPlugin = async (app, { engine }) => {
  app.put<{ Params: KeyParams; Body: VariablesBody }>(
    '/v1/element-instances/:key/variables',
    { schema: { params: keyParams, body: variablesBody } },
    async (request, reply) => {
      const { variables, local } = request.body;
      await engine.setVariables(request.params.key, variables, { local: local === true });
      return reply.code(204).send();
    },
  );
};
