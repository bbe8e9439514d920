import type { CommandProcessor } from '../../processing/processing-context.js';
import type { LoggedRecordOf } from '../../records/record.js';
import type { DeployedProcessMetadata } from '../../records/deployment.js';
import { checksumOf } from './checksum.js';
import type { TimerStart } from './timer-start-events.js';
import { replaceTimerStarts, timerStartsOf } from './timer-start-events.js';
import { deployDecisions } from './deploy-decisions.js';
import { deployForms, duplicateFormId } from './deploy-forms.js';

/**
 * CREATE: registers the processes, decisions and forms the runtime compiled from the resources. Same resource
 * as the latest version → that version again (duplicate); changed resource → a new version. All or nothing.
 */
export const createDeployment: CommandProcessor<'DEPLOYMENT:CREATE'> = (command, ctx) => {
  const { value } = command;
  if (value.parseError !== undefined) {
    ctx.reject('INVALID_ARGUMENT', value.parseError);
    return;
  }
  if (value.resources.length === 0) {
    ctx.reject('INVALID_ARGUMENT', 'Expected to deploy at least one resource, but none given');
    return;
  }
  const duplicateForm = duplicateFormId(value);
  if (duplicateForm !== undefined) {
    ctx.reject('INVALID_ARGUMENT', duplicateForm);
    return;
  }
  const compiled = value.compiled ?? [];
  const seen = new Set<string>();
  for (const process of compiled) {
    if (seen.has(process.bpmnProcessId)) {
      ctx.reject(
        'INVALID_ARGUMENT',
        `Expected process IDs to be unique in a deployment, but '${process.bpmnProcessId}' occurs twice`,
      );
      return;
    }
    seen.add(process.bpmnProcessId);
  }
  const timerStarts = new Map<string, TimerStart[]>();
  for (const process of compiled) {
    const starts = timerStartsOf(process, ctx.timestamp);
    if (!starts.ok) {
      ctx.reject('INVALID_ARGUMENT', starts.message);
      return;
    }
    timerStarts.set(process.bpmnProcessId, starts.value);
  }
  const deploymentKey = ctx.nextKey();
  const metadata: DeployedProcessMetadata[] = [];
  for (const [index, process] of compiled.entries()) {
    const resource = resourceOf(value, index);
    const checksum = checksumOf(resource.content);
    const latest = ctx.state.latestProcess(process.bpmnProcessId);
    // A definition deployed before version tags were read holds none: the same resource deployed again is
    // then a new version, which call activities bound to its tag can find.
    if (
      latest &&
      latest.checksum === checksum &&
      latest.resource === resource.content &&
      latest.executable.versionTag === process.versionTag
    ) {
      metadata.push({
        bpmnProcessId: latest.bpmnProcessId,
        version: latest.version,
        processDefinitionKey: latest.key,
        resourceName: latest.resourceName,
        checksum,
        duplicate: true,
      });
      continue;
    }
    const processDefinitionKey = ctx.nextKey();
    const version = (latest?.version ?? 0) + 1;
    ctx.appendEvent(processDefinitionKey, {
      valueType: 'PROCESS',
      intent: 'CREATED',
      value: {
        bpmnProcessId: process.bpmnProcessId,
        version,
        processDefinitionKey,
        resourceName: resource.resourceName,
        checksum,
        resource: resource.content,
        deploymentKey,
        executable: process,
      },
    });
    replaceTimerStarts(
      ctx,
      process.bpmnProcessId,
      processDefinitionKey,
      timerStarts.get(process.bpmnProcessId) ?? [],
    );
    metadata.push({
      bpmnProcessId: process.bpmnProcessId,
      version,
      processDefinitionKey,
      resourceName: resource.resourceName,
      checksum,
      duplicate: false,
    });
  }
  const { decisions, decisionRequirements } = deployDecisions(ctx, value, deploymentKey);
  const somethingElseIsNew = [...metadata, ...decisions].some((m) => !m.duplicate);
  const formsMetadata = deployForms(ctx, value, deploymentKey, somethingElseIsNew);
  const created = ctx.appendEvent(deploymentKey, {
    valueType: 'DEPLOYMENT',
    intent: 'CREATED',
    value: {
      resources: value.resources,
      processesMetadata: metadata,
      decisionsMetadata: decisions,
      decisionRequirementsMetadata: decisionRequirements,
      formsMetadata,
      ...(value.warnings?.length ? { warnings: value.warnings } : {}),
    },
  });
  ctx.respond(created);
};

/** The runtime lists compiled processes with the index of their resource in `resourceIndexes`. */
function resourceOf(value: LoggedRecordOf<'DEPLOYMENT'>['value'], processIndex: number) {
  const index = value.resourceIndexes?.[processIndex] ?? 0;
  return value.resources[index] ?? value.resources[0]!;
}
