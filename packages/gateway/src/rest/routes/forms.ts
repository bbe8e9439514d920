import { HttpError } from '../http-error.js';
import type { RestPlugin } from '../plugin.js';
import type { KeyParams } from '../schemas.js';
import { keyParams } from '../schemas.js';
import { formResult } from '../../v2/forms.js';
import { extensionPath } from './extension-paths.js';

/**
 * `GET /baton/v1/forms/{key}`: a deployed Camunda Form by key, which Camunda's `/v2` has no operation for (it
 * serves a user task's form and a process definition's start form only). Answered like those (`schema` the form
 * JSON as an object), plus where the form came from (`versionTag`, `resourceName`, `deploymentKey`).
 */
export const formRoutes: RestPlugin = async (app, { engine }) => {
  app.get<{ Params: KeyParams }>(
    extensionPath('/forms/:key'),
    { schema: { params: keyParams } },
    async (request) => {
      const key = request.params.key;
      const form = await engine.form(key);
      if (!form)
        throw new HttpError(
          404,
          'NOT_FOUND',
          `Expected a deployed form with key '${key}', but none was found`,
        );
      return {
        ...formResult(form),
        versionTag: form.versionTag,
        resourceName: form.resourceName,
        deploymentKey: form.deploymentKey,
      };
    },
  );
};
