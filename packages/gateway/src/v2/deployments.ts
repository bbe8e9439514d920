import type { FastifyRequest } from 'fastify';
import { BatonError } from '@baton-engine/baton';
import type { Deployment } from '@baton-engine/baton';
import { DEFAULT_TENANT, ensureDefaultTenant } from '../tenancy.js';
import { invalidField, ProblemError } from './problem.js';
import type { V2Routes } from './routes.js';

/**
 * `POST /v2/deployments`: `multipart/form-data` with one or more `resources` files (BPMN, DMN, forms) and an
 * optional `tenantId` field. All deploy or none; the answer lists each deployed definition.
 */
export const deploymentRoutes: V2Routes = (app, { engine, log }) => {
  app.post('/deployments', async (request) => {
    const resources = await uploadedResources(request);
    const deployment = await engine.deploy(resources);
    for (const warning of deployment.warnings) log?.warn({ deploymentKey: deployment.key }, warning);
    return deploymentResult(deployment);
  });
};

/** The `resources` files of the upload (read by @fastify/multipart, which the server registers). */
async function uploadedResources(request: FastifyRequest): Promise<{ name: string; content: Buffer }[]> {
  if (!request.isMultipart())
    throw new ProblemError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `Expected a multipart/form-data body with 'resources' files, got '${request.headers['content-type'] ?? 'no content type'}'`,
    );
  const limit = request.routeOptions.bodyLimit;
  const resources: { name: string; content: Buffer }[] = [];
  let size = 0;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        if (part.fieldname !== 'tenantId')
          throw invalidField(
            part.fieldname,
            "not a deployment field (expected 'resources' files and 'tenantId')",
          );
        ensureDefaultTenant('CreateDeployment', String(part.value), 'REST');
        continue;
      }
      if (part.fieldname !== 'resources')
        throw invalidField(
          part.fieldname,
          "not a deployment field (expected 'resources' files and 'tenantId')",
        );
      const content = await part.toBuffer();
      size += content.length;
      if (size > limit) throw Object.assign(new Error('too large'), { statusCode: 413 });
      resources.push({ name: part.filename || 'resource', content });
    }
  } catch (error) {
    if (error instanceof ProblemError || error instanceof BatonError) throw error;
    if ((error as { statusCode?: number }).statusCode === 413)
      throw new ProblemError(
        413,
        'PAYLOAD_TOO_LARGE',
        `Expected a deployment of at most ${limit} bytes, but it is larger`,
      );
    throw invalidField('body', `not a multipart/form-data body (${(error as Error).message})`);
  }
  if (resources.length === 0) throw invalidField('resources', 'expected at least one file to deploy');
  return resources;
}

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
