import type { DecisionEvaluation, Engine } from '@baton-engine/baton';
import type { Logger } from 'pino';
import { topologyOf } from '../topology.js';
import { BatonError } from '@baton-engine/baton';
import { ZEEBE_VERSION } from '../zeebe-proto.js';
import { DEFAULT_TENANT, ensureDefaultTenant } from '../tenancy.js';
import { keyOf, millisOf, variablesOf } from './wire.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- requests are protobuf objects decoded by proto-loader */
type Request = any;

/** Version reported by Topology (gateway and broker); clients check compatibility against it. */
export const GATEWAY_VERSION = ZEEBE_VERSION;

/**
 * The unary RPCs of `gateway_protocol.Gateway`, each a thin translation between the protocol and the engine
 * API. Errors are thrown as BatonErrors and mapped to gRPC status in one place (status-mapping.ts).
 */
export function unaryHandlers(engine: Engine, address: () => { host: string; port: number }, log?: Logger) {
  return {
    // One node that leads every partition, or every live node of a cluster with the partitions it leads.
    Topology: async () => ({ ...(await topologyOf(engine, address())), gatewayVersion: GATEWAY_VERSION }),

    DeployResource: async (req: Request) => {
      ensureDefaultTenant('DeployResource', req.tenantId);
      return deploy(engine, req.resources ?? [], log);
    },
    DeployProcess: async (req: Request) => {
      const result = await deploy(
        engine,
        (req.processes ?? []).map((p: Request) => ({ name: p.name, content: p.definition })),
        log,
      );
      return {
        key: result.key,
        processes: result.deployments.map((d: Request) => d.process).filter(Boolean),
      };
    },

    CreateProcessInstance: async (req: Request) => {
      ensureDefaultTenant('CreateProcessInstance', req.tenantId);
      const instance = await engine.createInstance(
        req.bpmnProcessId,
        variablesOf(req.variables),
        creation(req),
      );
      return { ...instance, tenantId: DEFAULT_TENANT };
    },
    CreateProcessInstanceWithResult: async (req: Request) => {
      const inner = req.request ?? {};
      ensureDefaultTenant('CreateProcessInstanceWithResult', inner.tenantId);
      const timeout = millisOf(req.requestTimeout) || 60_000;
      const result = await engine.createInstanceWithResult(
        inner.bpmnProcessId,
        variablesOf(inner.variables),
        {
          ...creation(inner),
          timeout,
          fetchVariables: req.fetchVariables ?? [],
        },
      );
      const { variables, ...instance } = result;
      return { ...instance, variables: JSON.stringify(variables), tenantId: DEFAULT_TENANT };
    },
    CancelProcessInstance: async (req: Request) => {
      await engine.cancelInstance(requiredKey(req.processInstanceKey, 'processInstanceKey'));
      return {};
    },

    CompleteJob: async (req: Request) => {
      await engine.completeJob(requiredKey(req.jobKey, 'jobKey'), variablesOf(req.variables));
      return {};
    },
    FailJob: async (req: Request) => {
      await engine.failJob(requiredKey(req.jobKey, 'jobKey'), {
        retries: req.retries,
        errorMessage: req.errorMessage,
        retryBackoff: millisOf(req.retryBackOff),
        variables: variablesOf(req.variables),
      });
      return {};
    },
    ThrowError: async (req: Request) => {
      await engine.throwError(requiredKey(req.jobKey, 'jobKey'), {
        errorCode: req.errorCode,
        errorMessage: req.errorMessage,
        variables: variablesOf(req.variables),
      });
      return {};
    },
    UpdateJobRetries: async (req: Request) => {
      await engine.updateJobRetries(requiredKey(req.jobKey, 'jobKey'), req.retries);
      return {};
    },
    UpdateJobTimeout: async (req: Request) => {
      await engine.updateJobTimeout(requiredKey(req.jobKey, 'jobKey'), millisOf(req.timeout));
      return {};
    },

    PublishMessage: async (req: Request) => {
      ensureDefaultTenant('PublishMessage', req.tenantId);
      const { key } = await engine.publishMessage(
        req.name,
        req.correlationKey ?? '',
        variablesOf(req.variables),
        {
          timeToLive: millisOf(req.timeToLive),
          messageId: req.messageId ?? '',
        },
      );
      return { key, tenantId: DEFAULT_TENANT };
    },
    BroadcastSignal: async (req: Request) => {
      ensureDefaultTenant('BroadcastSignal', req.tenantId);
      const { key } = await engine.broadcastSignal(req.signalName, variablesOf(req.variables));
      return { key, tenantId: DEFAULT_TENANT };
    },
    SetVariables: async (req: Request) =>
      engine.setVariables(
        requiredKey(req.elementInstanceKey, 'elementInstanceKey'),
        variablesOf(req.variables),
        {
          local: req.local === true,
        },
      ),
    ResolveIncident: async (req: Request) => {
      await engine.resolveIncident(requiredKey(req.incidentKey, 'incidentKey'));
      return {};
    },

    ModifyProcessInstance: async (req: Request) => {
      await engine.modifyInstance(requiredKey(req.processInstanceKey, 'processInstanceKey'), {
        activate: (req.activateInstructions ?? []).map((a: Request) => ({
          elementId: a.elementId,
          ancestorElementInstanceKey: keyOf(a.ancestorElementInstanceKey),
          variables: Object.assign(
            {},
            ...(a.variableInstructions ?? []).map((v: Request) =>
              variablesOf(v.variables, 'variableInstructions.variables'),
            ),
          ),
        })),
        terminate: (req.terminateInstructions ?? []).map((t: Request) =>
          requiredKey(t.elementInstanceKey, 'terminateInstructions.elementInstanceKey'),
        ),
      });
      return {};
    },
    MigrateProcessInstance: async (req: Request) => {
      const plan = req.migrationPlan ?? {};
      const mapping = Object.fromEntries(
        (plan.mappingInstructions ?? []).map((m: Request) => [m.sourceElementId, m.targetElementId]),
      );
      await engine.migrateInstance(
        requiredKey(req.processInstanceKey, 'processInstanceKey'),
        requiredKey(plan.targetProcessDefinitionKey, 'migrationPlan.targetProcessDefinitionKey'),
        mapping,
      );
      return {};
    },
    DeleteResource: async (req: Request) => {
      await engine.deleteResource(requiredKey(req.resourceKey, 'resourceKey'));
      return {};
    },
    EvaluateDecision: async (req: Request) => {
      ensureDefaultTenant('EvaluateDecision', req.tenantId);
      const key = keyOf(req.decisionKey);
      const result = await engine.evaluateDecision(
        key ? { decisionKey: key } : req.decisionId,
        variablesOf(req.variables),
        { failure: 'answer' },
      );
      return evaluateDecisionResponse(result);
    },
  };
}

/** An evaluation as Zeebe's EvaluateDecisionResponse: JSON-encoded values, the failure (if any) as fields. */
function evaluateDecisionResponse(result: DecisionEvaluation) {
  const json = (value: unknown) => JSON.stringify(value ?? null);
  return {
    decisionKey: result.decisionKey,
    decisionId: result.decisionId,
    decisionName: result.decisionName,
    decisionVersion: result.version,
    decisionRequirementsId: result.decisionRequirementsId,
    decisionRequirementsKey: result.decisionRequirementsKey,
    decisionOutput: result.failureMessage === undefined ? json(result.output) : '',
    evaluatedDecisions: result.evaluatedDecisions.map((d) => ({
      decisionKey: d.decisionKey,
      decisionId: d.decisionId,
      decisionName: d.decisionName,
      decisionVersion: d.decisionVersion,
      decisionType: d.decisionType,
      decisionOutput: json(d.output),
      evaluatedInputs: d.evaluatedInputs.map((i) => ({
        inputId: i.inputId,
        inputName: i.inputName,
        inputValue: json(i.inputValue),
      })),
      matchedRules: d.matchedRules.map((r) => ({
        ruleId: r.ruleId,
        ruleIndex: r.ruleIndex,
        evaluatedOutputs: r.evaluatedOutputs.map((o) => ({
          outputId: o.outputId,
          outputName: o.outputName,
          outputValue: json(o.outputValue),
        })),
      })),
      tenantId: DEFAULT_TENANT,
    })),
    failedDecisionId: result.failedDecisionId ?? '',
    failureMessage: result.failureMessage ?? '',
    tenantId: DEFAULT_TENANT,
    decisionInstanceKey: result.decisionEvaluationKey,
  };
}

/** The options of a CreateProcessInstanceRequest: which definition, and where to start (start instructions). */
function creation(req: Request) {
  const processDefinitionKey = keyOf(req.processDefinitionKey);
  const version = Number(req.version ?? -1);
  const startInstructions = (req.startInstructions ?? []).map((i: Request) => ({
    elementId: String(i.elementId ?? ''),
  }));
  return {
    ...(processDefinitionKey ? { processDefinitionKey } : version > 0 ? { version } : {}),
    ...(startInstructions.length > 0 ? { startInstructions } : {}),
  };
}

function requiredKey(value: string | undefined, field: string): string {
  const key = keyOf(value);
  if (!key) throw new BatonError('INVALID_ARGUMENT', `Expected '${field}' to be a key, but it was not given`);
  return key;
}

async function deploy(engine: Engine, resources: { name: string; content: Buffer | string }[], log?: Logger) {
  if (resources.length === 0)
    throw new BatonError('INVALID_ARGUMENT', 'Expected at least one resource to deploy');
  // Bytes are decoded by the engine (XML declaration, byte order mark), not assumed to be UTF-8.
  const deployment = await engine.deploy(resources.map((r) => ({ name: r.name, content: r.content })));
  // Zeebe's protocol has no field for warnings: they go to the log.
  for (const warning of deployment.warnings) log?.warn({ deploymentKey: deployment.key }, warning);
  return {
    key: deployment.key,
    deployments: [
      ...deployment.processes.map((p) => ({
        process: {
          bpmnProcessId: p.bpmnProcessId,
          version: p.version,
          processDefinitionKey: p.processDefinitionKey,
          resourceName: p.resourceName,
          tenantId: DEFAULT_TENANT,
        },
      })),
      ...deployment.decisions.map((d) => ({
        decision: {
          dmnDecisionId: d.decisionId,
          dmnDecisionName: d.decisionName,
          version: d.version,
          decisionKey: d.decisionKey,
          dmnDecisionRequirementsId: d.decisionRequirementsId,
          decisionRequirementsKey: d.decisionRequirementsKey,
          tenantId: DEFAULT_TENANT,
        },
      })),
      ...deployment.decisionRequirements.map((r) => ({
        decisionRequirements: {
          dmnDecisionRequirementsId: r.decisionRequirementsId,
          dmnDecisionRequirementsName: r.decisionRequirementsName,
          version: r.version,
          decisionRequirementsKey: r.decisionRequirementsKey,
          resourceName: r.resourceName,
          tenantId: DEFAULT_TENANT,
        },
      })),
      ...deployment.forms.map((f) => ({
        form: {
          formId: f.formId,
          version: f.version,
          formKey: f.formKey,
          resourceName: f.resourceName,
          tenantId: DEFAULT_TENANT,
        },
      })),
    ],
    tenantId: DEFAULT_TENANT,
  };
}
