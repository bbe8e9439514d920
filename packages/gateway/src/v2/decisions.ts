import { z } from 'zod';
import type { DecisionEvaluation } from '@baton-engine/baton';
import { decisionInstanceKey } from '@baton-engine/read-model';
import { DEFAULT_TENANT, ensureDefaultTenant } from '../tenancy.js';
import { pathKey, zKey } from './keys.js';
import { parseWith } from './problem.js';
import type { V2Routes } from './routes.js';
import { getOne, requireReadModel, runSearch } from './search.js';
import type { SearchDefinition } from './search.js';

const variables = z.record(z.string(), z.unknown());
const byId = z
  .object({
    decisionDefinitionId: z.string().min(1, 'expected a decision id'),
    variables: variables.optional(),
    tenantId: z.string().optional(),
  })
  .strict();
const byKey = z
  .object({ decisionDefinitionKey: zKey, variables: variables.optional(), tenantId: z.string().optional() })
  .strict();
/** The spec's `DecisionEvaluationInstruction`: by id (the latest version) or by key, never both. */
const evaluationBody = z.union([byId, byKey], {
  errorMap: () => ({ message: 'expected either decisionDefinitionId or decisionDefinitionKey (not both)' }),
});

/** `POST /v2/decision-definitions/search`: deployed decisions (deleted ones are gone). */
export const decisionDefinitionSearch: SearchDefinition<Record<string, unknown>> = {
  resource: 'decisionDefinition',
  filter: [
    'decisionDefinitionKey',
    'decisionDefinitionId',
    'name',
    'version',
    'decisionRequirementsId',
    'decisionRequirementsKey',
  ],
  sort: [
    'decisionDefinitionKey',
    'decisionDefinitionId',
    'name',
    'version',
    'decisionRequirementsId',
    'decisionRequirementsKey',
  ],
  item: (row) => row,
};

/** `POST /v2/decision-requirements/search`: the deployed DRGs, one per version of a DMN resource. */
export const decisionRequirementsSearch: SearchDefinition<Record<string, unknown>> = {
  resource: 'decisionRequirements',
  filter: [
    'decisionRequirementsKey',
    'decisionRequirementsName',
    'version',
    'decisionRequirementsId',
    'resourceName',
  ],
  sort: ['decisionRequirementsKey', 'decisionRequirementsName', 'version', 'decisionRequirementsId'],
  item: (row) => row,
};

/** `POST /v2/decision-instances/search`: every decision evaluated, by the API or by a business rule task. */
export const decisionInstanceSearch: SearchDefinition<Record<string, unknown>> = {
  resource: 'decisionInstance',
  filter: [
    'decisionEvaluationInstanceKey',
    'decisionEvaluationKey',
    'state',
    'evaluationFailure',
    'evaluationDate',
    'decisionDefinitionId',
    'decisionDefinitionKey',
    'decisionDefinitionName',
    'decisionDefinitionVersion',
    'decisionDefinitionType',
    'processDefinitionKey',
    'processInstanceKey',
    'elementInstanceKey',
  ],
  sort: [
    'decisionDefinitionId',
    'decisionDefinitionKey',
    'decisionDefinitionName',
    'decisionDefinitionType',
    'decisionDefinitionVersion',
    'decisionEvaluationInstanceKey',
    'decisionEvaluationKey',
    'elementInstanceKey',
    'evaluationDate',
    'evaluationFailure',
    'processDefinitionKey',
    'processInstanceKey',
    'state',
  ],
  // The search answers without the inputs and matched rules; the get has them.
  item: ({ evaluatedInputs: _inputs, matchedRules: _rules, ...row }) => row,
};

/** One decision instance with what it was evaluated with and which rules matched (values as JSON text). */
const decisionInstanceDetails: SearchDefinition<Record<string, unknown>> = {
  ...decisionInstanceSearch,
  item: ({ evaluatedInputs, matchedRules, ...row }) => ({
    ...row,
    evaluatedInputs: inputsOf(JSON.parse(evaluatedInputs as string)),
    matchedRules: rulesOf(JSON.parse(matchedRules as string)),
  }),
};

/**
 * DMN (`/v2/decision-definitions`, `/v2/decision-requirements`, `/v2/decision-instances`): evaluating a deployed
 * decision, searching and getting definitions and DRGs with their XML, and the evaluated decision instances.
 */
export const decisionRoutes: V2Routes = (app, { engine, readModel }) => {
  app.post('/decision-definitions/evaluation', async (request) => {
    const body = parseWith(evaluationBody, request.body, 'body');
    ensureDefaultTenant('EvaluateDecision', body.tenantId, 'REST');
    const decision =
      'decisionDefinitionKey' in body
        ? { decisionKey: body.decisionDefinitionKey }
        : body.decisionDefinitionId;
    // A decision that fails is an answer (failedDecisionDefinitionId, failureMessage), as Zeebe's gateway gives it.
    const evaluation = await engine.evaluateDecision(decision, body.variables ?? {}, { failure: 'answer' });
    return evaluationResult(evaluation);
  });

  app.post('/decision-definitions/search', async (request) =>
    runSearch(readModel, decisionDefinitionSearch, request.body),
  );
  app.get('/decision-definitions/:decisionDefinitionKey', async (request) => {
    const key = pathKey(request.params, 'decisionDefinitionKey');
    return getOne(readModel, decisionDefinitionSearch, 'decisionDefinitionKey', key, 'a decision definition');
  });
  app.get('/decision-definitions/:decisionDefinitionKey/xml', async (request, reply) => {
    const key = pathKey(request.params, 'decisionDefinitionKey');
    const xml = await requireReadModel(readModel).decisionDefinitionXml(key);
    return reply.type('text/xml; charset=utf-8').send(xml);
  });

  app.post('/decision-requirements/search', async (request) =>
    runSearch(readModel, decisionRequirementsSearch, request.body),
  );
  app.get('/decision-requirements/:decisionRequirementsKey', async (request) => {
    const key = pathKey(request.params, 'decisionRequirementsKey');
    return getOne(
      readModel,
      decisionRequirementsSearch,
      'decisionRequirementsKey',
      key,
      'decision requirements',
    );
  });
  app.get('/decision-requirements/:decisionRequirementsKey/xml', async (request, reply) => {
    const key = pathKey(request.params, 'decisionRequirementsKey');
    const xml = await requireReadModel(readModel).decisionRequirementsXml(key);
    return reply.type('text/xml; charset=utf-8').send(xml);
  });

  app.post('/decision-instances/search', async (request) =>
    runSearch(readModel, decisionInstanceSearch, request.body),
  );
  app.get('/decision-instances/:decisionEvaluationInstanceKey', async (request) => {
    const key = pathKey(request.params, 'decisionEvaluationInstanceKey');
    return getOne(
      readModel,
      decisionInstanceDetails,
      'decisionEvaluationInstanceKey',
      key,
      'a decision instance',
    );
  });
};

/** A JSON value as the spec carries decision outputs and inputs: its JSON text. */
const json = (value: unknown) => JSON.stringify(value ?? null);

/** An evaluation as the spec's `EvaluateDecisionResult`. */
export function evaluationResult(e: DecisionEvaluation) {
  return {
    decisionDefinitionId: e.decisionId,
    decisionDefinitionName: e.decisionName,
    decisionDefinitionVersion: e.version,
    decisionDefinitionKey: e.decisionKey,
    decisionRequirementsId: e.decisionRequirementsId,
    decisionRequirementsKey: e.decisionRequirementsKey,
    output: json(e.output),
    failedDecisionDefinitionId: e.failedDecisionId ?? '',
    failureMessage: e.failureMessage ?? '',
    tenantId: DEFAULT_TENANT,
    decisionEvaluationKey: e.decisionEvaluationKey,
    decisionInstanceKey: e.decisionEvaluationKey,
    evaluatedDecisions: e.evaluatedDecisions.map((d, i) => ({
      decisionDefinitionId: d.decisionId,
      decisionDefinitionName: d.decisionName,
      decisionDefinitionVersion: d.decisionVersion,
      decisionDefinitionType: d.decisionType,
      decisionDefinitionKey: d.decisionKey,
      decisionEvaluationInstanceKey: decisionInstanceKey(e.decisionEvaluationKey, i + 1),
      output: json(d.output),
      tenantId: DEFAULT_TENANT,
      evaluatedInputs: inputsOf(d.evaluatedInputs),
      matchedRules: rulesOf(d.matchedRules),
    })),
  };
}

interface Input {
  readonly inputId: string;
  readonly inputName: string;
  readonly inputValue: unknown;
}
interface Rule {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly evaluatedOutputs: readonly { outputId: string; outputName: string; outputValue: unknown }[];
}

function inputsOf(inputs: readonly Input[]) {
  return inputs.map((i) => ({ inputId: i.inputId, inputName: i.inputName, inputValue: json(i.inputValue) }));
}

function rulesOf(rules: readonly Rule[]) {
  return rules.map((r) => ({
    ruleId: r.ruleId,
    ruleIndex: r.ruleIndex,
    evaluatedOutputs: r.evaluatedOutputs.map((o) => ({
      outputId: o.outputId,
      outputName: o.outputName,
      outputValue: json(o.outputValue),
    })),
  }));
}
