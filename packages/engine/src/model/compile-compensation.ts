import type { ExecutableElement } from './executable.js';
import type { ModelProblem } from './deployment-error.js';
import type { ModdleElement } from './moddle-element.js';

/**
 * Links each activity with a compensation boundary event to its handler: the activity the boundary event is
 * associated with (`bpmn:association`), which must be marked `isForCompensation`; and each embedded
 * sub-process containing a compensation event sub-process to that event sub-process.
 */
export function withCompensationHandlers(
  elements: Record<string, ExecutableElement>,
  containers: readonly ModdleElement[],
  problems: ModelProblem[],
): Record<string, ExecutableElement> {
  const associations = new Map<string, string>();
  for (const container of containers) {
    const artifacts = [
      ...((container.artifacts as ModdleElement[] | undefined) ?? []),
      ...((container.flowElements as ModdleElement[] | undefined) ?? []),
    ];
    for (const artifact of artifacts) {
      if (artifact.$type !== 'bpmn:Association') continue;
      const source = (artifact.sourceRef as ModdleElement | undefined)?.id;
      const target = (artifact.targetRef as ModdleElement | undefined)?.id;
      if (source && target) associations.set(source, target);
    }
  }
  for (const boundary of Object.values(elements)) {
    if (boundary.type !== 'BOUNDARY_EVENT' || boundary.eventDefinition?.kind !== 'compensation') continue;
    const handlerId = associations.get(boundary.id);
    const handler = handlerId ? elements[handlerId] : undefined;
    if (!handler || !handler.isForCompensation) {
      problems.push({
        elementId: boundary.id,
        message: 'a compensation boundary event must be associated with an activity marked isForCompensation',
      });
      continue;
    }
    const activity = elements[boundary.attachedToId ?? ''];
    if (activity) elements[activity.id] = { ...activity, compensationHandlerId: handler.id };
  }
  // A compensation event sub-process is the handler of the embedded sub-process that contains it.
  for (const eventSubProcess of Object.values(elements)) {
    if (eventSubProcess.type !== 'EVENT_SUB_PROCESS') continue;
    const start = elements[eventSubProcess.eventStartId ?? ''];
    if (start?.eventDefinition?.kind !== 'compensation') continue;
    const activity = elements[eventSubProcess.flowScopeId];
    if (activity?.type !== 'SUB_PROCESS') {
      problems.push({
        elementId: eventSubProcess.id,
        message: 'a compensation event sub-process must be inside an embedded sub-process',
      });
      continue;
    }
    if (activity.compensationHandlerId) {
      problems.push({
        elementId: activity.id,
        message:
          'a sub-process has either a compensation boundary event or a compensation event sub-process, not both',
      });
      continue;
    }
    elements[eventSubProcess.id] = { ...eventSubProcess, isForCompensation: true };
    elements[activity.id] = { ...activity, compensationHandlerId: eventSubProcess.id };
  }
  for (const element of Object.values(elements)) {
    if (element.isForCompensation && (element.incoming.length > 0 || element.outgoing.length > 0)) {
      problems.push({
        elementId: element.id,
        message: 'a compensation handler must not have sequence flows',
      });
    }
  }
  return elements;
}
