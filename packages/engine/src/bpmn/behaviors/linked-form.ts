import type { ProcessingContext } from '../../processing/processing-context.js';
import type { IncidentErrorType } from '../../records/incident.js';
import { feelTypeName } from '../../expressions/feel.js';
import type { ElementContext } from '../element-context.js';
import { evaluateInScope } from './expressions.js';

export type LinkedForm =
  | { readonly ok: true; readonly formKey: string | undefined }
  | { readonly ok: false; readonly errorType: IncidentErrorType; readonly message: string };

/**
 * The key of the form a user task links to (`zeebe:formDefinition formId`), by its binding: the latest
 * version, the version deployed with the process, or the latest with a version tag. A form id expression
 * that fails is an EXTRACT_VALUE_ERROR; a form that is not deployed is FORM_NOT_FOUND (deploy it, then
 * resolve the incident). `formKey` is undefined when the task links no form.
 */
export function linkedFormKey(ctx: ProcessingContext, el: ElementContext): LinkedForm {
  const form = el.element.userTask?.form;
  if (!form) return { ok: true, formKey: undefined };
  let formId: unknown;
  if (form.formId.kind === 'static') formId = form.formId.value;
  else {
    const evaluated = evaluateInScope(ctx, el.key, form.formId.expression);
    if (!evaluated.ok) return { ok: false, errorType: 'EXTRACT_VALUE_ERROR', message: evaluated.message };
    formId = evaluated.value;
  }
  if (typeof formId !== 'string' || formId === '') {
    return {
      ok: false,
      errorType: 'EXTRACT_VALUE_ERROR',
      message: `Expected the form id to be a non-empty string, but was '${feelTypeName(formId)}'.`,
    };
  }
  const forms = ctx.state.forms;
  if (form.binding === 'deployment') {
    const deploymentKey = ctx.state.processByKey(el.value.processDefinitionKey)?.deploymentKey ?? '-1';
    const found = forms.byIdAndDeploymentKey(formId, deploymentKey);
    if (found) return { ok: true, formKey: found.formKey };
    return notFound(
      `Expected to use a form with id '${formId}' with binding type 'deployment', but no such form found in the deployment with key ${deploymentKey} which contained the current process. To resolve this incident, migrate the process instance to a process definition that is deployed together with the intended form to use.`,
    );
  }
  if (form.binding === 'versionTag') {
    const found = forms.byIdAndVersionTag(formId, form.versionTag ?? '');
    if (found) return { ok: true, formKey: found.formKey };
    return notFound(
      `Expected to use a form with id '${formId}' and version tag '${form.versionTag ?? ''}', but no such form found. To resolve the incident, deploy a form with the given id and version tag.`,
    );
  }
  const latest = forms.latest(formId);
  if (latest) return { ok: true, formKey: latest.formKey };
  return notFound(
    `Expected to find a form with id '${formId}', but no form with this id is found, at least a form with this id should be available. To resolve the Incident please deploy a form with the same id`,
  );
}

function notFound(message: string): LinkedForm {
  return { ok: false, errorType: 'FORM_NOT_FOUND', message };
}
