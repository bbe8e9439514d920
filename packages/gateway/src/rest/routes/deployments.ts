import { BatonError, decodeResource } from '@baton-engine/baton';
import type { Deployment } from '@baton-engine/baton';
import type { FastifyRequest } from 'fastify';
import { HttpError } from '../http-error.js';
import type { RestPlugin } from '../plugin.js';
import { nameSchema, objectSchema } from '../schemas.js';
import { ensureDefaultTenant } from '../../tenancy.js';
import { extensionPath } from './extension-paths.js';

interface DeploymentBody {
  readonly resources: { name: string; xml: string }[];
}
const deploymentBody = objectSchema(
  {
    resources: {
      type: 'array',
      minItems: 1,
      items: objectSchema({ name: nameSchema, xml: nameSchema }, ['name', 'xml']),
    },
  },
  ['resources'],
);

/**
 * `POST /baton/v1/deployments`: BPMN, DMN and form resources, as JSON `{ resources: [{ name, xml }] }` (`xml`
 * holds a form's JSON text too) or as `multipart/form-data` file uploads (`curl -F resources=@order.bpmn`), whose
 * bytes are decoded by their XML declaration. All deploy or none do; warnings are answered (Camunda's
 * multipart-only `POST /v2/deployments` has no field for them) and logged.
 */
export const deploymentRoutes: RestPlugin = async (app, { engine, log }) => {
  app.post<{ Body: DeploymentBody }>(
    extensionPath('/deployments'),
    {
      schema: { body: deploymentBody },
      // An upload becomes the JSON body's shape before validation: one resource per file.
      preValidation: async (request) => {
        if (request.isMultipart()) request.body = { resources: await uploadedFiles(request) };
      },
    },
    async (request) => {
      const deployment = await engine.deploy(request.body.resources);
      for (const warning of deployment.warnings) log?.warn({ deploymentKey: deployment.key }, warning);
      return deploymentJson(deployment);
    },
  );
};

/**
 * The files of a multipart upload, decoded by their XML declaration; Camunda's `tenantId` field must name the
 * one tenant (see tenancy.ts).
 */
async function uploadedFiles(request: FastifyRequest): Promise<{ name: string; xml: string }[]> {
  const limit = request.routeOptions.bodyLimit;
  const files: { name: string; xml: string }[] = [];
  let size = 0;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        if (part.fieldname === 'tenantId')
          ensureDefaultTenant(`POST ${request.routeOptions.url}`, String(part.value), 'REST');
        continue;
      }
      const content = await part.toBuffer();
      size += content.length;
      if (size > limit) throw Object.assign(new Error('too large'), { statusCode: 413 });
      const name = part.filename || part.fieldname;
      files.push({ name, xml: decodeResource(name, content) });
    }
  } catch (error) {
    if (error instanceof HttpError || error instanceof BatonError) throw error;
    if ((error as { statusCode?: number }).statusCode === 413)
      throw new HttpError(
        413,
        'PAYLOAD_TOO_LARGE',
        `Expected a request body of at most ${limit} bytes, but it is larger`,
      );
    throw new HttpError(400, 'INVALID_ARGUMENT', `Expected multipart/form-data: ${(error as Error).message}`);
  }
  if (files.length === 0)
    throw new HttpError(
      400,
      'INVALID_ARGUMENT',
      'Expected at least one file to deploy in the multipart body',
    );
  return files;
}

function deploymentJson(deployment: Deployment) {
  return {
    key: deployment.key,
    processes: deployment.processes.map((p) => ({
      bpmnProcessId: p.bpmnProcessId,
      version: p.version,
      processDefinitionKey: p.processDefinitionKey,
      resourceName: p.resourceName,
      duplicate: p.duplicate,
    })),
    decisions: deployment.decisions.map((d) => ({
      decisionId: d.decisionId,
      decisionName: d.decisionName,
      version: d.version,
      decisionKey: d.decisionKey,
      decisionRequirementsId: d.decisionRequirementsId,
      decisionRequirementsKey: d.decisionRequirementsKey,
      duplicate: d.duplicate,
    })),
    decisionRequirements: deployment.decisionRequirements.map((r) => ({ ...r })),
    forms: deployment.forms.map((f) => ({
      formId: f.formId,
      version: f.version,
      formKey: f.formKey,
      resourceName: f.resourceName,
      duplicate: f.duplicate,
    })),
    warnings: deployment.warnings,
  };
}
