import { z } from 'zod';
import type { FieldCondition, ReadModelQueries } from '@baton-engine/read-model';
import { MAX_LIMIT } from '@baton-engine/read-model';
import type { Variables } from '@baton-engine/baton';
import { DEFAULT_TENANT, ensureDefaultTenant } from '../tenancy.js';
import { pathKey, zKey, zLong } from './keys.js';
import { invalidField, parseWith } from './problem.js';
import type { V2Routes } from './routes.js';
import { getOne, propertyConditions, requireReadModel, runSearch } from './search.js';
import type { SearchDefinition } from './search.js';
import { incidentSearch } from './incidents.js';

const variables = z.record(z.unknown(), { invalid_type_error: 'expected an object of variables' });
const operationReference = zLong.optional();

const creation = z
  .strictObject({
    processDefinitionId: z.string().min(1).optional(),
    processDefinitionKey: zKey.optional(),
    processDefinitionVersion: z.number().int().optional(),
    variables: variables.optional(),
    tenantId: z.string().optional(),
    operationReference,
    startInstructions: z.array(z.strictObject({ elementId: z.string().min(1) })).optional(),
    runtimeInstructions: z.array(z.unknown()).max(0, 'runtime instructions are not supported').optional(),
    awaitCompletion: z.boolean().optional(),
    fetchVariables: z.array(z.string()).optional(),
    requestTimeout: zLong.optional(),
    tags: z.array(z.string()).max(0, 'tags are not supported by Baton').optional(),
  })
  .refine((b) => (b.processDefinitionId === undefined) !== (b.processDefinitionKey === undefined), {
    message: 'give exactly one of processDefinitionId and processDefinitionKey',
    path: ['processDefinitionId'],
  });

const cancellation = z.strictObject({ operationReference }).nullable().optional();

const migration = z.strictObject({
  targetProcessDefinitionKey: zKey,
  mappingInstructions: z
    .array(z.strictObject({ sourceElementId: z.string().min(1), targetElementId: z.string().min(1) }))
    .min(1),
  operationReference,
});

const modification = z.strictObject({
  operationReference,
  activateInstructions: z
    .array(
      z.strictObject({
        elementId: z.string().min(1),
        variableInstructions: z
          .array(z.strictObject({ variables, scopeId: z.string().optional() }))
          .optional(),
        ancestorElementInstanceKey: zKey.optional(),
      }),
    )
    .optional(),
  terminateInstructions: z.array(z.strictObject({ elementInstanceKey: zKey })).optional(),
});

/** The spec's process instance search; `variables: [{ name, value }]` is answered through the variables. */
export function instances(
  readModel: ReadModelQueries | undefined,
): SearchDefinition<Record<string, unknown>> {
  return {
    resource: 'processInstance',
    filter: [
      'processInstanceKey',
      'processDefinitionId',
      'processDefinitionName',
      'processDefinitionVersion',
      'processDefinitionKey',
      'parentProcessInstanceKey',
      'parentElementInstanceKey',
      'startDate',
      'endDate',
      'state',
      'hasIncident',
    ],
    unsupported: [
      'processDefinitionVersionTag',
      'batchOperationId',
      'errorMessage',
      'hasRetriesLeft',
      'elementInstanceState',
      'elementId',
      'hasElementInstanceIncident',
      'incidentErrorHashCode',
      'tags',
    ],
    or: true,
    special: { variables: (value, path) => withVariables(readModel, value, path) },
    sort: [
      'processInstanceKey',
      'processDefinitionId',
      'processDefinitionName',
      'processDefinitionVersion',
      'processDefinitionKey',
      'parentProcessInstanceKey',
      'parentElementInstanceKey',
      'startDate',
      'endDate',
      'state',
      'hasIncident',
    ],
    item: instanceResult,
  };
}

export function instanceResult(row: Record<string, unknown>): Record<string, unknown> {
  const { partitionId: _partition, ...rest } = row;
  return {
    ...rest,
    processDefinitionName: row.processDefinitionName ?? row.processDefinitionId,
  };
}

/**
 * `variables: [{ name, value }]`: instances having every such variable (the value is its JSON text, an exact
 * string or an advanced string filter). Resolved through the variables to at most MAX_LIMIT instances.
 */
async function withVariables(
  readModel: ReadModelQueries | undefined,
  value: unknown,
  path: string,
): Promise<FieldCondition[] | false> {
  if (!Array.isArray(value)) throw invalidField(path, 'expected an array of { name, value }');
  const model = requireReadModel(readModel);
  let keys: Set<string> | undefined;
  for (const [i, entry] of (value as unknown[]).entries()) {
    const at = `${path}.${i}`;
    if (!entry || typeof entry !== 'object') throw invalidField(at, 'expected { name, value }');
    const { name, value: filter } = entry as { name?: unknown; value?: unknown };
    if (typeof name !== 'string') throw invalidField(`${at}.name`, 'expected a string');
    const found = await model.search('variable', {
      conditions: [
        { field: 'name', op: '$eq', value: name },
        ...propertyConditions(`${at}.value`, 'value', 'string', filter),
      ],
      limit: MAX_LIMIT,
    });
    const these = new Set(found.items.map((v) => v.processInstanceKey as string));
    keys = keys ? new Set([...keys].filter((k) => these.has(k))) : these;
  }
  if (!keys) return [];
  if (keys.size === 0) return false;
  return [{ field: 'processInstanceKey', op: '$in', value: [...keys] }];
}

/**
 * Process instances: create (optionally awaiting the result), get, search, cancel, migrate, modify, the
 * call hierarchy, element statistics, taken sequence flows and the instance's incidents. Batch operations
 * over many instances (`/process-instances/cancellation` …) are in batch-operations.ts.
 */
export const processInstanceRoutes: V2Routes = (app, { engine, readModel }) => {
  const search = instances(readModel);

  app.post('/process-instances', async (request) => {
    const body = parseWith(creation, request.body ?? {}, 'body');
    ensureDefaultTenant('CreateProcessInstance', body.tenantId, 'REST');
    const options = {
      ...(body.processDefinitionVersion !== undefined ? { version: body.processDefinitionVersion } : {}),
      ...(body.processDefinitionKey !== undefined ? { processDefinitionKey: body.processDefinitionKey } : {}),
      ...(body.startInstructions ? { startInstructions: body.startInstructions } : {}),
    };
    const id = body.processDefinitionId ?? '';
    const vars = (body.variables ?? {}) as Variables;
    if (body.awaitCompletion) {
      const result = await engine.createInstanceWithResult(id, vars, {
        ...options,
        ...(body.requestTimeout ? { timeout: body.requestTimeout } : {}),
        ...(body.fetchVariables?.length ? { fetchVariables: body.fetchVariables } : {}),
      });
      return creationResult(result, result.variables);
    }
    return creationResult(await engine.createInstance(id, vars, options), {});
  });

  app.get('/process-instances/:processInstanceKey', async (request) => {
    const key = pathKey(request.params, 'processInstanceKey');
    return getOne(readModel, search, 'processInstanceKey', key, 'a process instance');
  });

  app.post('/process-instances/search', async (request) => runSearch(readModel, search, request.body));

  app.post('/process-instances/:processInstanceKey/incidents/search', async (request) => {
    const key = pathKey(request.params, 'processInstanceKey');
    await getOne(readModel, search, 'processInstanceKey', key, 'a process instance');
    return runSearch(readModel, incidentSearch, request.body, [
      { field: 'processInstanceKey', op: '$eq', value: key },
    ]);
  });

  app.post('/process-instances/:processInstanceKey/cancellation', async (request, reply) => {
    const key = pathKey(request.params, 'processInstanceKey');
    parseWith(cancellation, request.body, 'body');
    await engine.cancelInstance(key);
    return reply.code(204).send();
  });

  app.post('/process-instances/:processInstanceKey/migration', async (request, reply) => {
    const key = pathKey(request.params, 'processInstanceKey');
    const body = parseWith(migration, request.body, 'body');
    const mapping: Record<string, string> = {};
    for (const m of body.mappingInstructions) mapping[m.sourceElementId] = m.targetElementId;
    await engine.migrateInstance(key, body.targetProcessDefinitionKey, mapping);
    return reply.code(204).send();
  });

  app.post('/process-instances/:processInstanceKey/modification', async (request, reply) => {
    const key = pathKey(request.params, 'processInstanceKey');
    const body = parseWith(modification, request.body ?? {}, 'body');
    const activate = (body.activateInstructions ?? []).map((a, i) => {
      let vars: Variables | undefined;
      (a.variableInstructions ?? []).forEach((v, j) => {
        if (v.scopeId !== undefined && v.scopeId !== '' && v.scopeId !== a.elementId)
          throw invalidField(
            `body.activateInstructions.${i}.variableInstructions.${j}.scopeId`,
            `Baton sets the variables of an activation on the activated element ('${a.elementId}') only`,
          );
        vars = { ...vars, ...(v.variables as Variables) };
      });
      return {
        elementId: a.elementId,
        ...(a.ancestorElementInstanceKey ? { ancestorElementInstanceKey: a.ancestorElementInstanceKey } : {}),
        ...(vars ? { variables: vars } : {}),
      };
    });
    const terminate = (body.terminateInstructions ?? []).map((t) => t.elementInstanceKey);
    await engine.modifyInstance(key, { activate, terminate });
    return reply.code(204).send();
  });

  app.get('/process-instances/:processInstanceKey/call-hierarchy', async (request) => {
    const key = pathKey(request.params, 'processInstanceKey');
    const chain: Record<string, unknown>[] = [];
    for (let next: string | undefined = key; next !== undefined;) {
      const instance: Record<string, unknown> = await getOne(
        readModel,
        search,
        'processInstanceKey',
        next,
        'a process instance',
      );
      chain.unshift({
        processInstanceKey: instance.processInstanceKey,
        processDefinitionKey: instance.processDefinitionKey,
        processDefinitionName: instance.processDefinitionName,
      });
      next = instance.parentProcessInstanceKey as string | undefined;
      if (chain.length > 1_000) break;
    }
    return chain;
  });

  app.get('/process-instances/:processInstanceKey/statistics/element-instances', async (request) => {
    const key = pathKey(request.params, 'processInstanceKey');
    const model = requireReadModel(readModel);
    await getOne(readModel, search, 'processInstanceKey', key, 'a process instance');
    const elements = await model.search('elementInstance', {
      conditions: [{ field: 'processInstanceKey', op: '$eq', value: key }],
      limit: MAX_LIMIT,
    });
    const stats = new Map<
      string,
      { active: number; canceled: number; incidents: number; completed: number }
    >();
    for (const e of elements.items) {
      if (e.type === 'PROCESS') continue;
      const s = stats.get(e.elementId as string) ?? { active: 0, canceled: 0, incidents: 0, completed: 0 };
      if (e.state === 'ACTIVE') s.active++;
      else if (e.state === 'COMPLETED') s.completed++;
      else s.canceled++;
      if (e.hasIncident) s.incidents++;
      stats.set(e.elementId as string, s);
    }
    return { items: [...stats].map(([elementId, s]) => ({ elementId, ...s })) };
  });

  app.get('/process-instances/:processInstanceKey/sequence-flows', async (request) => {
    const key = pathKey(request.params, 'processInstanceKey');
    const instance = await getOne(readModel, search, 'processInstanceKey', key, 'a process instance');
    const flows = (await requireReadModel(readModel).instance(key)).takenFlows;
    return {
      items: flows.map((flowId) => ({
        sequenceFlowId: flowId,
        processInstanceKey: key,
        processDefinitionKey: instance.processDefinitionKey,
        processDefinitionId: instance.processDefinitionId,
        elementId: flowId,
        tenantId: DEFAULT_TENANT,
      })),
    };
  });
};

function creationResult(
  instance: {
    processInstanceKey: string;
    bpmnProcessId: string;
    version: number;
    processDefinitionKey: string;
  },
  variables: Variables,
) {
  return {
    processDefinitionId: instance.bpmnProcessId,
    processDefinitionVersion: instance.version,
    tenantId: DEFAULT_TENANT,
    variables,
    processDefinitionKey: instance.processDefinitionKey,
    processInstanceKey: instance.processInstanceKey,
  };
}
