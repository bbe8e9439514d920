import type { Form } from '@baton-engine/baton';
import { DEFAULT_TENANT } from '../tenancy.js';
import { pathKey } from './keys.js';
import type { V2Routes } from './routes.js';

/**
 * The linked form of a user task (`GET /v2/user-tasks/{userTaskKey}/form`): the deployed Camunda Form its
 * `zeebe:formDefinition` names, 204 when it links none, 404 when there is no such open task. (The start form
 * of a process definition is with the process definitions, `GET /v2/process-definitions/{key}/form`.)
 */
export const formRoutes: V2Routes = (app, { engine }) => {
  app.get('/user-tasks/:userTaskKey/form', async (request, reply) => {
    const form = await engine.userTaskForm(pathKey(request.params, 'userTaskKey'));
    return form ? formResult(form) : reply.code(204).send();
  });
};

/** A deployed form as the spec's `FormResult`: its schema as the JSON object it is. */
export function formResult(form: Form) {
  return {
    formKey: form.formKey,
    formId: form.formId,
    version: form.version,
    tenantId: DEFAULT_TENANT,
    schema: JSON.parse(form.schema) as Record<string, unknown>,
  };
}
