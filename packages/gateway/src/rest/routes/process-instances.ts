import type { RestPlugin } from '../plugin.js';
import type { KeyParams } from '../schemas.js';
import {
  keyParams,
  keySchema,
  millisSchema,
  nameSchema,
  objectSchema,
  requireExactlyOne,
  variablesSchema,
} from '../schemas.js';

type Variables = Record<string, unknown>;

interface CreationBody {
  readonly bpmnProcessId?: string;
  readonly processDefinitionKey?: string;
  /** A specific version of `bpmnProcessId`; default the latest. */
  readonly version?: number;
  readonly variables?: Variables;
  /** Answer only when the instance has completed, with its variables. */
  readonly awaitResult?: boolean;
  /** With `awaitResult`: how long to wait, in milliseconds (default 60,000). */
  readonly requestTimeout?: number;
  /** With `awaitResult`: only these variables in the answer (default all). */
  readonly fetchVariables?: string[];
  /** Start before these elements instead of at the none start event (Zeebe's start instructions). */
  readonly startInstructions?: { elementId: string }[];
}
const creationBody = objectSchema({
  bpmnProcessId: nameSchema,
  processDefinitionKey: keySchema,
  version: { type: 'integer', minimum: 1 },
  variables: variablesSchema,
  awaitResult: { type: 'boolean' },
  requestTimeout: millisSchema,
  fetchVariables: { type: 'array', items: { type: 'string' } },
  startInstructions: { type: 'array', items: objectSchema({ elementId: nameSchema }, ['elementId']) },
});

interface ModificationBody {
  readonly activate?: { elementId: string; ancestorElementInstanceKey?: string; variables?: Variables }[];
  readonly terminate?: string[];
}
const modificationBody = objectSchema({
  activate: {
    type: 'array',
    items: objectSchema(
      { elementId: nameSchema, ancestorElementInstanceKey: keySchema, variables: variablesSchema },
      ['elementId'],
    ),
  },
  terminate: { type: 'array', items: keySchema },
});

interface MigrationBody {
  readonly targetProcessDefinitionKey: string;
  /** Source element id → target element id, for every active element. */
  readonly mapping: Record<string, string>;
}
const migrationBody = objectSchema(
  {
    targetProcessDefinitionKey: keySchema,
    mapping: { type: 'object', additionalProperties: { type: 'string' } },
  },
  ['targetProcessDefinitionKey', 'mapping'],
);

interface AdHocActivationBody {
  readonly elements: { elementId: string; variables?: Variables }[];
}
const adHocActivationBody = objectSchema(
  {
    elements: {
      type: 'array',
      items: objectSchema({ elementId: nameSchema, variables: variablesSchema }, ['elementId']),
    },
  },
  ['elements'],
);

/** Starting, cancelling, modifying and migrating process instances; activating ad-hoc activities. */
export const processInstanceRoutes: RestPlugin = async (app, { engine }) => {
  app.post<{ Body: CreationBody }>(
    '/v1/process-instances',
    { schema: { body: creationBody } },
    async (request, reply) => {
      const body = request.body;
      requireExactlyOne(body, 'bpmnProcessId', 'processDefinitionKey');
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
        return engine.createInstanceWithResult(id, body.variables ?? {}, {
          ...options,
          timeout: body.requestTimeout ?? 60_000,
          fetchVariables: body.fetchVariables ?? [],
        });
      }
      return reply.code(201).send(await engine.createInstance(id, body.variables ?? {}, options));
    },
  );
  app.post<{ Params: KeyParams }>(
    '/v1/process-instances/:key/cancel',
    { schema: { params: keyParams } },
    async (request, reply) => {
      await engine.cancelInstance(request.params.key);
      return reply.code(204).send();
    },
  );
  app.post<{ Params: KeyParams; Body: ModificationBody }>(
    '/v1/process-instances/:key/modification',
    { schema: { params: keyParams, body: modificationBody } },
    async (request, reply) => {
      await engine.modifyInstance(request.params.key, request.body);
      return reply.code(204).send();
    },
  );
  app.post<{ Params: KeyParams; Body: MigrationBody }>(
    '/v1/process-instances/:key/migration',
    { schema: { params: keyParams, body: migrationBody } },
    async (request, reply) => {
      const { targetProcessDefinitionKey, mapping } = request.body;
      await engine.migrateInstance(request.params.key, targetProcessDefinitionKey, mapping);
      return reply.code(204).send();
    },
  );
  app.post<{ Params: KeyParams; Body: AdHocActivationBody }>(
    '/v1/element-instances/ad-hoc-activities/:key/activation',
    { schema: { params: keyParams, body: adHocActivationBody } },
    async (request, reply) => {
      await engine.activateAdHocSubProcessActivities(request.params.key, request.body.elements);
      return reply.code(204).send();
    },
  );
};
