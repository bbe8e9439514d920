import type { ExecutableElement } from './executable.js';
import type { ModelProblem } from './deployment-error.js';
import type { ModdleElement } from './moddle-element.js';

/**
 * Links each activity with a compensation boundary event to its handler: the activity the boundary event is
 * associated with (`bpmn:association`), which must be marked `isForCompensation`.
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
