import type { Form } from '@baton-engine/baton';
import { HttpError } from '../http-error.js';
import type { Route } from '../router.js';
import { pathKey } from '../schemas.js';

/**
 * Deployed Camunda Forms, shaped like Camunda's `GET /v2/forms/{formKey}`: by key, the start form of a process
 * definition and the linked form of an open user task (204 when there is none, as Camunda answers).
 */
export const formRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/v1/forms/:key',
    async handle(ctx) {
      const key = pathKey(ctx.params);
      const form = ctx.engine.form(key);
      if (!form)
        throw new HttpError(
          404,
          'NOT_FOUND',
          `Expected a deployed form with key '${key}', but none was found`,
        );
      return { status: 200, body: formJson(form) };
    },
  },
  {
    method: 'GET',
    path: '/v1/process-definitions/:key/form',
    async handle(ctx) {
      const form = ctx.engine.startForm(pathKey(ctx.params));
      return form ? { status: 200, body: formJson(form) } : { status: 204 };
    },
  },
  {
    method: 'GET',
    path: '/v1/user-tasks/:key/form',
    async handle(ctx) {
      const form = ctx.engine.userTaskForm(pathKey(ctx.params));
      return form ? { status: 200, body: formJson(form) } : { status: 204 };
    },
  },
];

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
