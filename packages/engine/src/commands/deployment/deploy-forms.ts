import type { ProcessingContext } from '../../processing/processing-context.js';
import type { DeployedFormMetadata, DeploymentRecordValue } from '../../records/deployment.js';
import { checksumOf } from './checksum.js';

/**
 * The first form id that two form resources of a deployment share, as a rejection reason; undefined when
 * every id is unique.
 */
export function duplicateFormId(value: DeploymentRecordValue): string | undefined {
  const seen = new Map<string, string>();
  for (const { formId, resourceIndex } of value.compiledForms ?? []) {
    const resourceName = value.resources[resourceIndex]!.resourceName;
    const first = seen.get(formId);
    if (first !== undefined)
      return `Expected the form ids to be unique within a deployment, but found a duplicated id '${formId}' in the resources '${first}' and '${resourceName}'`;
    seen.set(formId, resourceName);
  }
  return undefined;
}

/**
 * Writes FORM CREATED for every form resource. A form is a duplicate (same key and version again) when it
 * equals its latest version (content and resource name) and nothing else in the deployment is new;
 * otherwise it is a new version, so that the forms of a deployment are versioned with its processes, as
 * Zeebe does (`bindingType="deployment"` finds them by deployment key).
 */
export function deployForms(
  ctx: ProcessingContext,
  value: DeploymentRecordValue,
  deploymentKey: string,
  somethingElseIsNew: boolean,
): DeployedFormMetadata[] {
  const forms = (value.compiledForms ?? []).map((form) => {
    const resource = value.resources[form.resourceIndex]!;
    const checksum = checksumOf(resource.content);
    const latest = ctx.state.forms.latest(form.formId);
    const same =
      latest !== undefined &&
      latest.checksum === checksum &&
      latest.resource === resource.content &&
      latest.resourceName === resource.resourceName;
    return { form, resource, checksum, latest, same };
  });
  const allSame = !somethingElseIsNew && forms.every((f) => f.same);
  return forms.map(({ form, resource, checksum, latest, same }) => {
    if (same && allSame) {
      return {
        formId: form.formId,
        version: latest!.version,
        formKey: latest!.formKey,
        resourceName: resource.resourceName,
        checksum,
        duplicate: true,
      };
    }
    const formKey = ctx.nextKey();
    const version = (latest?.version ?? 0) + 1;
    ctx.appendEvent(formKey, {
      valueType: 'FORM',
      intent: 'CREATED',
      value: {
        formId: form.formId,
        version,
        formKey,
        versionTag: form.versionTag,
        resourceName: resource.resourceName,
        checksum,
        resource: resource.content,
        deploymentKey,
      },
    });
    return {
      formId: form.formId,
      version,
      formKey,
      resourceName: resource.resourceName,
      checksum,
      duplicate: false,
    };
  });
}
