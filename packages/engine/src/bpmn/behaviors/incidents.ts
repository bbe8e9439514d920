import type { ProcessingContext } from '../../processing/processing-context.js';
import type { IncidentErrorType } from '../../records/incident.js';
import type { ElementContext } from '../element-context.js';

/** Raises an incident on an element instance (or its job); the instance waits until it is resolved. */
export function raiseIncident(
  ctx: ProcessingContext,
  el: ElementContext,
  errorType: IncidentErrorType,
  errorMessage: string,
  jobKey = '-1',
): void {
  ctx.appendEvent(ctx.nextKey(), {
    valueType: 'INCIDENT',
    intent: 'CREATED',
    value: {
      errorType,
      errorMessage,
      bpmnProcessId: el.value.bpmnProcessId,
      processDefinitionKey: el.value.processDefinitionKey,
      processInstanceKey: el.value.processInstanceKey,
      elementId: el.value.elementId,
      elementInstanceKey: el.key,
      jobKey,
      variableScopeKey: el.key,
    },
  });
}

/** Resolves the incident of an element instance that is being terminated, so none is left dangling. */
export function resolveIncidentOf(ctx: ProcessingContext, elementInstanceKey: string): void {
  const incident = ctx.state.incidentOfElementInstance(elementInstanceKey);
  if (incident)
    ctx.appendEvent(incident.key, { valueType: 'INCIDENT', intent: 'RESOLVED', value: incident.value });
}
