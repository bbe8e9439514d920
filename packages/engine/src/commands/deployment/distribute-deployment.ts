import type { CommandProcessor } from '../../processing/processing-context.js';

/**
 * DISTRIBUTE: makes processes, decisions and forms deployed on partition 1 known on this partition under the same keys.
 * Idempotent: a process already known is skipped, so the runtime may distribute again after a crash.
 */
export const distributeDeployment: CommandProcessor<'DEPLOYMENT:DISTRIBUTE'> = (command, ctx) => {
  const { value } = command;
  for (const process of value.distributedProcesses ?? []) {
    if (ctx.state.processByKey(process.processDefinitionKey)) continue;
    ctx.appendEvent(process.processDefinitionKey, {
      valueType: 'PROCESS',
      intent: 'CREATED',
      value: process,
    });
  }
  for (const decision of value.distributedDecisions ?? []) {
    if (ctx.state.decisionByKey(decision.decisionKey)) continue;
    ctx.appendEvent(decision.decisionKey, { valueType: 'DECISION', intent: 'CREATED', value: decision });
  }
  for (const form of value.distributedForms ?? []) {
    if (ctx.state.forms.byKey(form.formKey)) continue;
    ctx.appendEvent(form.formKey, { valueType: 'FORM', intent: 'CREATED', value: form });
  }
  ctx.respond(
    ctx.appendEvent(command.key, {
      valueType: 'DEPLOYMENT',
      intent: 'DISTRIBUTED',
      value: { resources: [], processesMetadata: value.processesMetadata },
    }),
  );
};
