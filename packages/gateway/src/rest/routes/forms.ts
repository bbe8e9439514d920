import type { Form } from '@baton-engine/baton';
import { HttpError } from '../http-error.js';
import type { RestPlugin } from '../plugin.js';
import type { KeyParams } from '../schemas.js';
import { keyParams } from '../schemas.js';

/**
 * Deployed Camunda Forms, shaped like Camunda's `GET /v2/forms/{formKey}`: by key, the start form of a process
 * definition and the linked form of an open user task (204 when there is none, as Camunda answers).
 */
export const formRoutes: RestPlugin = async (app, { engine }) => {
  const schema = { params: keyParams };
  app.get<{ Params: KeyParams }>('/v1/forms/:key', { schema }, async (request) => {
    const key = request.params.key;
    const form = engine.form(key);
    if (!form)
      throw new HttpError(404, 'NOT_FOUND', `Expected a deployed form with key '${key}', but none was found`);
    return formJson(form);
  });
  app.get<{ Params: KeyParams }>('/v1/process-definitions/:key/form', { schema }, async (request, reply) => {
    const form = engine.startForm(request.params.key);
    return form ? formJson(form) : reply.code(204).send();
  });
  app.get<{ Params: KeyParams }>('/v1/user-tasks/:key/form', { schema }, async (request, reply) => {
    const form = engine.userTaskForm(request.params.key);
    return form ? formJson(form) : reply.code(204).send();
  });
};

function formJson(form: Form) {
  return {
    formKey: form.formKey,
    formId: form.formId,
    version: form.version,
    versionTag: form.versionTag,
    resourceName: form.resourceName,
    deploymentKey: form.deploymentKey,
    tenantId: '<default>',
    schema: form.schema,
  };
}
