import { z } from 'zod';
import type { Route } from '../router.js';
import { pathKey, variablesSchema } from '../schemas.js';

const variablesBody = z
  .object({
    variables: variablesSchema,
    /** Keep the variables on this scope instead of propagating them to the scope that defines them. */
    local: z.boolean().optional(),
  })
  .strict();

/** `PUT /v1/element-instances/:key/variables`: sets variables on a process or element instance scope. */
export const variableRoutes: readonly Route[] = [
  {
    method: 'PUT',
    path: '/v1/element-instances/:key/variables',
    async handle(ctx) {
      const key = pathKey(ctx.params);
      const body = await ctx.json(variablesBody);
      await ctx.engine.setVariables(key, body.variables, { local: body.local === true });
      return { status: 204 };
    },
  },
];
