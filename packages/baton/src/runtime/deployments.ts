import type {
  DecisionRecordValue,
  DeploymentRecordValue,
  DeploymentResource,
  ExecutableDrg,
  ExecutableProcess,
  FormRecordValue,
  ProcessRecordValue,
} from '@baton-engine/engine';
import {
  countFlowElementTags,
  DEFAULT_MAX_FLOW_ELEMENTS_PER_RESOURCE,
  flowElementLimitMessage,
  parseBpmn,
  parseDmn,
  parseForm,
} from '@baton-engine/engine';
import { BatonError } from '../errors.js';
import type { PartitionRuntime } from './partition.js';

/** Bounds on what one deployment may hold, checked before its resources are parsed. */
export interface DeploymentLimits {
  /**
   * Most flow elements (events, activities, gateways, sequence flows, data objects) in one BPMN resource,
   * all its processes and sub-processes together (default 20,000).
   */
  readonly maxFlowElementsPerResource: number;
}

export const DEFAULT_DEPLOYMENT_LIMITS: DeploymentLimits = {
  maxFlowElementsPerResource: DEFAULT_MAX_FLOW_ELEMENTS_PER_RESOURCE,
};

type ResourceKind = 'form' | 'dmn' | 'bpmn' | 'unknown';

function kindOf(resource: DeploymentResource): ResourceKind {
  if (/\.form$/i.test(resource.resourceName)) return 'form';
  if (
    /\.dmn$/i.test(resource.resourceName) ||
    /<(dmn:)?definitions[^>]*DMN\//.test(resource.content.slice(0, 2000))
  )
    return 'dmn';
  if (!/\.(bpmn|xml)$/i.test(resource.resourceName) && !resource.content.includes('<')) return 'unknown';
  return 'bpmn';
}

/**
 * Refuses a deployment past the limits before anything is parsed (a count of tags, milliseconds for
 * megabytes): INVALID_ARGUMENT naming the resource, its flow elements and the limit. Nothing is logged.
 */
export function checkDeploymentLimits(
  resources: readonly DeploymentResource[],
  limits: DeploymentLimits,
): BatonError | undefined {
  for (const resource of resources) {
    if (kindOf(resource) !== 'bpmn') continue;
    const count = countFlowElementTags(resource.content);
    if (count > limits.maxFlowElementsPerResource)
      return new BatonError(
        'INVALID_ARGUMENT',
        flowElementLimitMessage(resource.resourceName, count, limits.maxFlowElementsPerResource),
      );
  }
  return undefined;
}

/**
 * Parses and compiles resources (BPMN processes, DMN decisions, forms) before the DEPLOYMENT command is
 * submitted (parsing is asynchronous; processing is not). A problem becomes `parseError`, which processing
 * turns into a logged rejection; what does not affect execution becomes one of `warnings`. Pure and
 * self-contained, so that it can run on a worker thread (`deployment-compiler.ts`): the value it returns is
 * plain data (it is written to the log as JSON).
 */
export async function deploymentCommandValue(
  resources: readonly DeploymentResource[],
  limits: DeploymentLimits = DEFAULT_DEPLOYMENT_LIMITS,
): Promise<DeploymentRecordValue> {
  const compiled: ExecutableProcess[] = [];
  const resourceIndexes: number[] = [];
  const compiledDrgs: { resourceIndex: number; drg: ExecutableDrg }[] = [];
  const compiledForms: { resourceIndex: number; formId: string; versionTag: string }[] = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const [index, resource] of resources.entries()) {
    const kind = kindOf(resource);
    if (kind === 'form') {
      const form = parseForm(resource.resourceName, resource.content);
      if (form.ok) compiledForms.push({ resourceIndex: index, ...form.value });
      else errors.push(form.message);
      continue;
    }
    if (kind === 'dmn') {
      const drg = await parseDmn(resource.resourceName, resource.content);
      warnings.push(...drg.modelWarnings);
      if (drg.ok) compiledDrgs.push({ resourceIndex: index, drg: drg.value });
      else errors.push(drg.message);
      continue;
    }
    if (kind === 'unknown') {
      errors.push(`'${resource.resourceName}' is not a BPMN or DMN resource`);
      continue;
    }
    const result = await parseBpmn(resource.resourceName, resource.content, {
      maxFlowElements: limits.maxFlowElementsPerResource,
    });
    warnings.push(...result.modelWarnings);
    if (!result.ok) {
      errors.push(result.message);
      continue;
    }
    for (const process of result.value) {
      compiled.push(process);
      resourceIndexes.push(index);
    }
  }
  return {
    resources,
    compiled,
    resourceIndexes,
    compiledDrgs,
    compiledForms,
    processesMetadata: [],
    ...(warnings.length > 0 ? { warnings } : {}),
    ...(errors.length > 0 ? { parseError: errors.join('\n') } : {}),
  };
}

/**
 * Makes every process, decision and form of partition 1 known on the other partitions under the same key
 * (idempotent), so an instance can start, and a user task find its form, on any partition. Runs after each
 * deployment and at start-up, after a crash.
 */
export async function distributeProcesses(partitions: readonly PartitionRuntime[]): Promise<void> {
  const [first, ...others] = partitions;
  if (!first) return;
  for (const partition of others) {
    const target = partition.engineState;
    const value = distribution(first.engineState, {
      process: (key) => !target.processByKey(key),
      decision: (key) => !target.decisionByKey(key),
      form: (key) => !target.forms.byKey(key),
    });
    if (value) await partition.submit({ valueType: 'DEPLOYMENT', intent: 'DISTRIBUTE', value });
  }
}

/** What a partition on another node needs of one deployment: a DISTRIBUTE of its processes, decisions, forms. */
export function deploymentDistribution(
  state: PartitionRuntime['engineState'],
  deploymentKey: string,
): DeploymentRecordValue | undefined {
  const ofIt = (key: string | undefined) => key === deploymentKey;
  return distribution(state, {
    process: (key) => ofIt(state.processByKey(key)?.deploymentKey),
    decision: (key) => ofIt(state.decisionByKey(key)?.deploymentKey),
    form: (key) => ofIt(state.forms.byKey(key)?.deploymentKey),
  });
}

/** The DISTRIBUTE value of what `wanted` picks among the processes, decisions and forms `state` knows. */
function distribution(
  state: PartitionRuntime['engineState'],
  wanted: { process(key: string): boolean; decision(key: string): boolean; form(key: string): boolean },
): DeploymentRecordValue | undefined {
  const processes: ProcessRecordValue[] = [];
  for (const process of state.processes()) {
    if (!wanted.process(process.key)) continue;
    processes.push({
      bpmnProcessId: process.bpmnProcessId,
      version: process.version,
      processDefinitionKey: process.key,
      resourceName: process.resourceName,
      checksum: process.checksum,
      resource: process.resource,
      deploymentKey: process.deploymentKey,
      executable: process.executable,
    });
  }
  const decisions: DecisionRecordValue[] = [...state.decisions()].filter((d) =>
    wanted.decision(d.decisionKey),
  );
  const forms: FormRecordValue[] = [...state.forms.all()].filter((f) => wanted.form(f.formKey));
  if (processes.length === 0 && decisions.length === 0 && forms.length === 0) return undefined;
  return {
    resources: [],
    processesMetadata: [],
    distributedProcesses: processes,
    distributedDecisions: decisions,
    distributedForms: forms,
  };
}
