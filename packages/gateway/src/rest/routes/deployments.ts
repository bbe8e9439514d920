import { z } from 'zod';
import type { Deployment } from '@baton-engine/baton';
import { HttpError } from '../http-error.js';
import { parseMultipart } from '../multipart.js';
import { parseJsonBody } from '../request-body.js';
import type { Route } from '../router.js';
import { validate } from '../schemas.js';
import { ensureDefaultTenant } from '../../tenancy.js';

const deploymentBody = z
  .object({
    resources: z
      .array(z.object({ name: z.string().min(1), xml: z.string().min(1) }).strict())
      .min(1, 'Expected at least one resource to deploy'),
  })
  .strict();

/**
 * `POST /v1/deployments`: BPMN, DMN and form resources, as JSON `{ resources: [{ name, xml }] }` (`xml` holds
 * a form's JSON text too) or as `multipart/form-data` file uploads (`curl -F resources=@order.bpmn`), whose
 * bytes are decoded by their XML declaration. All deploy or none do; warnings are answered and logged.
 */
export const deploymentRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: '/v1/deployments',
    async handle(ctx) {
      const contentType = ctx.req.headers['content-type'] ?? '';
      const body = await ctx.body();
      const parts = /^multipart\/form-data/i.test(contentType)
        ? parseMultipart(body, contentType)
        : undefined;
      // Camunda's REST deployment takes a tenantId form field; Baton has one tenant (see tenancy.ts).
      for (const part of parts ?? []) {
        if (part.filename === undefined && part.name === 'tenantId')
          ensureDefaultTenant('POST /v1/deployments', part.content.toString('utf8'), 'REST');
      }
      const resources = parts
        ? parts
            .filter((part) => part.filename !== undefined)
            .map((part) => ({ name: part.filename || part.name, content: part.content }))
        : validate(deploymentBody, parseJsonBody(body)).resources;
      if (resources.length === 0) {
        throw new HttpError(
          400,
          'INVALID_ARGUMENT',
          'Expected at least one file to deploy in the multipart body',
        );
      }
      const deployment = await ctx.engine.deploy(resources);
      for (const warning of deployment.warnings) ctx.log?.warn({ deploymentKey: deployment.key }, warning);
      return { status: 200, body: deploymentJson(deployment) };
    },
  },
];

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
