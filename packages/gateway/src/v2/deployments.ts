import type { Deployment } from '@baton-engine/baton';
import { parseMultipart } from '../rest/multipart.js';
import { DEFAULT_TENANT, ensureDefaultTenant } from '../tenancy.js';
import { invalidField, ProblemError } from './problem.js';
import type { V2Routes } from './routes.js';

/**
 * `POST /v2/deployments`: `multipart/form-data` with one or more `resources` files (BPMN, DMN, forms) and an
 * optional `tenantId` field. All deploy or none; the answer lists each deployed definition.
 */
export const deploymentRoutes: V2Routes = (app, { engine, log }) => {
  app.post('/deployments', async (request) => {
    const contentType = request.headers['content-type'] ?? '';
    if (!/^multipart\/form-data/i.test(contentType) || !Buffer.isBuffer(request.body))
      throw new ProblemError(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        `Expected a multipart/form-data body with 'resources' files, got '${contentType || 'no content type'}'`,
      );
    const parts = parseMultipart(request.body, contentType);
    const resources = [];
    for (const part of parts) {
      if (part.name === 'tenantId' && part.filename === undefined)
        ensureDefaultTenant('CreateDeployment', part.content.toString('utf8'), 'REST');
      else if (part.name === 'resources')
        resources.push({ name: part.filename || 'resource', content: part.content });
      else
        throw invalidField(part.name, "not a deployment field (expected 'resources' files and 'tenantId')");
    }
    if (resources.length === 0) throw invalidField('resources', 'expected at least one file to deploy');
    const deployment = await engine.deploy(resources);
    for (const warning of deployment.warnings) log?.warn({ deploymentKey: deployment.key }, warning);
    return deploymentResult(deployment);
  });
};

function deploymentResult(deployment: Deployment) {
  const tenantId = DEFAULT_TENANT;
  return {
    deploymentKey: deployment.key,
    tenantId,
    deployments: [
      ...deployment.processes.map((p) => ({
        processDefinition: {
          processDefinitionId: p.bpmnProcessId,
          processDefinitionVersion: p.version,
          resourceName: p.resourceName,
          tenantId,
          processDefinitionKey: p.processDefinitionKey,
        },
      })),
      ...deployment.decisions.map((d) => ({
        decisionDefinition: {
          decisionDefinitionId: d.decisionId,
          version: d.version,
          name: d.decisionName,
          tenantId,
          decisionRequirementsId: d.decisionRequirementsId,
          decisionDefinitionKey: d.decisionKey,
          decisionRequirementsKey: d.decisionRequirementsKey,
        },
      })),
      ...deployment.decisionRequirements.map((r) => ({
        decisionRequirements: {
          decisionRequirementsId: r.decisionRequirementsId,
          version: r.version,
          decisionRequirementsName: r.decisionRequirementsName,
          tenantId,
          resourceName: r.resourceName,
          decisionRequirementsKey: r.decisionRequirementsKey,
        },
      })),
      ...deployment.forms.map((f) => ({
        form: {
          formId: f.formId,
          version: f.version,
          resourceName: f.resourceName,
          tenantId,
          formKey: f.formKey,
        },
      })),
    ],
  };
}
