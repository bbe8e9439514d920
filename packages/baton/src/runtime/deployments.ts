import type {
  DecisionRecordValue,
  DeploymentRecordValue,
  DeploymentResource,
  ExecutableDrg,
  ExecutableProcess,
  FormRecordValue,
  ProcessRecordValue,
} from '@baton-engine/engine';
import { parseBpmn, parseDmn, parseForm } from '@baton-engine/engine';
import type { PartitionRuntime } from './partition.js';

/**
 * Parses and compiles resources (BPMN processes, DMN decisions, forms) before the DEPLOYMENT command is
 * submitted (parsing is asynchronous; processing is not). A problem becomes `parseError`, which processing
 * turns into a logged rejection; what does not affect execution becomes one of `warnings`.
 */
export async function deploymentCommandValue(
  resources: readonly DeploymentResource[],
): Promise<DeploymentRecordValue> {
  const compiled: ExecutableProcess[] = [];
  const resourceIndexes: number[] = [];
  const compiledDrgs: { resourceIndex: number; drg: ExecutableDrg }[] = [];
  const compiledForms: { resourceIndex: number; formId: string; versionTag: string }[] = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const [index, resource] of resources.entries()) {
    if (/\.form$/i.test(resource.resourceName)) {
      const form = parseForm(resource.resourceName, resource.content);
      if (form.ok) compiledForms.push({ resourceIndex: index, ...form.value });
      else errors.push(form.message);
      continue;
    }
    if (
      /\.dmn$/i.test(resource.resourceName) ||
      /<(dmn:)?definitions[^>]*DMN\//.test(resource.content.slice(0, 2000))
    ) {
      const drg = await parseDmn(resource.resourceName, resource.content);
      warnings.push(...drg.modelWarnings);
      if (drg.ok) compiledDrgs.push({ resourceIndex: index, drg: drg.value });
      else errors.push(drg.message);
      continue;
    }
    if (!/\.(bpmn|xml)$/i.test(resource.resourceName) && !resource.content.includes('<')) {
      errors.push(`'${resource.resourceName}' is not a BPMN or DMN resource`);
      continue;
    }
    const result = await parseBpmn(resource.resourceName, resource.content);
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
    const missing: ProcessRecordValue[] = [];
    for (const process of first.engineState.processes()) {
      if (partition.engineState.processByKey(process.key)) continue;
      missing.push({
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
    const decisions: DecisionRecordValue[] = [...first.engineState.decisions()].filter(
      (d) => !partition.engineState.decisionByKey(d.decisionKey),
    );
    const forms: FormRecordValue[] = [...first.engineState.forms.all()].filter(
      (f) => !partition.engineState.forms.byKey(f.formKey),
    );
    if (missing.length === 0 && decisions.length === 0 && forms.length === 0) continue;
    await partition.submit({
      valueType: 'DEPLOYMENT',
      intent: 'DISTRIBUTE',
      value: {
        resources: [],
        processesMetadata: [],
        distributedProcesses: missing,
        distributedDecisions: decisions,
        distributedForms: forms,
      },
    });
  }
}
