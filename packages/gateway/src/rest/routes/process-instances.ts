import { z } from 'zod';
import type { Route } from '../router.js';
import { keySchema, millisSchema, pathKey, variablesSchema } from '../schemas.js';

const creationBody = z
  .object({
    bpmnProcessId: z.string().min(1).optional(),
    processDefinitionKey: keySchema.optional(),
    /** A specific version of `bpmnProcessId`; default the latest. */
    version: z.number().int().positive().optional(),
    variables: variablesSchema.optional(),
    /** Answer only when the instance has completed, with its variables. */
    awaitResult: z.boolean().optional(),
    /** With `awaitResult`: how long to wait, in milliseconds (default 60,000). */
    requestTimeout: millisSchema.optional(),
    /** With `awaitResult`: only these variables in the answer (default all). */
    fetchVariables: z.array(z.string()).optional(),
    /** Start before these elements instead of at the none start event (Zeebe's start instructions). */
    startInstructions: z.array(z.object({ elementId: z.string().min(1) }).strict()).optional(),
  })
  .strict()
  .refine((b) => (b.bpmnProcessId === undefined) !== (b.processDefinitionKey === undefined), {
    message: 'Expected exactly one of bpmnProcessId and processDefinitionKey',
  });

const modificationBody = z
  .object({
    activate: z
      .array(
        z
          .object({
            elementId: z.string().min(1),
            ancestorElementInstanceKey: keySchema.optional(),
            variables: variablesSchema.optional(),
          })
          .strict(),
      )
      .optional(),
    terminate: z.array(keySchema).optional(),
  })
  .strict();

const migrationBody = z
  .object({
    targetProcessDefinitionKey: keySchema,
    /** Source element id → target element id, for every active element. */
    mapping: z.record(z.string(), z.string()),
  })
  .strict();

const adHocActivationBody = z
  .object({
    elements: z.array(
      z.object({ elementId: z.string().min(1), variables: variablesSchema.optional() }).strict(),
    ),
  })
  .strict();

/** Starting, cancelling, modifying and migrating process instances; activating ad-hoc activities. */
export const processInstanceRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: '/v1/process-instances',
    async handle(ctx) {
      const body = await ctx.json(creationBody);
      // The engine looks a process up by id; with a definition key the id is only used in messages.
      const id = body.bpmnProcessId ?? '';
      const options = {
        ...(body.processDefinitionKey
          ? { processDefinitionKey: body.processDefinitionKey }
          : body.version !== undefined
            ? { version: body.version }
            : {}),
        ...(body.startInstructions ? { startInstructions: body.startInstructions } : {}),
      };
      if (body.awaitResult) {
        const result = await ctx.engine.createInstanceWithResult(id, body.variables ?? {}, {
          ...options,
          timeout: body.requestTimeout ?? 60_000,
          fetchVariables: body.fetchVariables ?? [],
        });
        return { status: 200, body: result };
      }
      return { status: 201, body: await ctx.engine.createInstance(id, body.variables ?? {}, options) };
    },
  },
  {
    method: 'POST',
    path: '/v1/process-instances/:key/cancel',
    async handle(ctx) {
      await ctx.engine.cancelInstance(pathKey(ctx.params));
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    path: '/v1/process-instances/:key/modification',
    async handle(ctx) {
      const key = pathKey(ctx.params);
      await ctx.engine.modifyInstance(key, await ctx.json(modificationBody));
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    path: '/v1/process-instances/:key/migration',
    async handle(ctx) {
      const key = pathKey(ctx.params);
      const body = await ctx.json(migrationBody);
      await ctx.engine.migrateInstance(key, body.targetProcessDefinitionKey, body.mapping);
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    path: '/v1/element-instances/ad-hoc-activities/:key/activation',
    async handle(ctx) {
      const key = pathKey(ctx.params);
      const body = await ctx.json(adHocActivationBody);
      await ctx.engine.activateAdHocSubProcessActivities(key, body.elements);
      return { status: 204 };
    },
  },
];
