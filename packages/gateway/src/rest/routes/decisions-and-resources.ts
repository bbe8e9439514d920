import { z } from 'zod';
import type { Route } from '../router.js';
import { keySchema, pathKey, variablesSchema } from '../schemas.js';

const evaluationBody = z
  .object({
    decisionId: z.string().min(1).optional(),
    decisionKey: keySchema.optional(),
    variables: variablesSchema.optional(),
  })
  .strict()
  .refine((b) => (b.decisionId === undefined) !== (b.decisionKey === undefined), {
    message: 'Expected exactly one of decisionId and decisionKey',
  });

/** Evaluating DMN decisions and deleting deployed resources. */
export const decisionAndResourceRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: '/v1/decisions/evaluate',
    async handle(ctx) {
      const body = await ctx.json(evaluationBody);
      const decision = body.decisionKey ? { decisionKey: body.decisionKey } : body.decisionId!;
      return { status: 200, body: await ctx.engine.evaluateDecision(decision, body.variables ?? {}) };
    },
  },
  {
    method: 'DELETE',
    path: '/v1/resources/:key',
    async handle(ctx) {
      await ctx.engine.deleteResource(pathKey(ctx.params));
      return { status: 204 };
    },
  },
];
