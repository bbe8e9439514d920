import type { AdHocDefinition, BpmnElementType, ExecutableElement } from './executable.js';
import type { ModelProblem } from './deployment-error.js';
import type { ModdleElement } from './moddle-element.js';
import { extensionOf } from './moddle-element.js';
import { checkExpression } from './compile-expressions.js';

/** Zeebe's id of the inner instance element of an ad-hoc sub-process. */
export function innerInstanceIdOf(adHocId: string): string {
  return `${adHocId}#innerInstance`;
}

/** Element kinds that an ad-hoc sub-process can activate (when they have no incoming flow), as in Zeebe. */
const NOT_AD_HOC_ACTIVITIES: ReadonlySet<BpmnElementType> = new Set([
  'START_EVENT',
  'END_EVENT',
  'BOUNDARY_EVENT',
  'EVENT_SUB_PROCESS',
  'AD_HOC_SUB_PROCESS_INNER_INSTANCE',
]);

/**
 * The flow scope of an element directly inside `container`: the inner instance for the elements of an ad-hoc
 * sub-process (each activation runs in one), except its event sub-processes, which belong to the sub-process.
 */
export function childScopeId(container: ModdleElement, child: ModdleElement): string {
  const id = container.id ?? '';
  const isEventSubProcess = child.$type === 'bpmn:SubProcess' && child.triggeredByEvent === true;
  return container.$type === 'bpmn:AdHocSubProcess' && !isEventSubProcess ? innerInstanceIdOf(id) : id;
}

/**
 * What an agent reads about an element of an ad-hoc sub-process (in `adHocSubProcessElements`): its
 * documentation and its `zeebe:properties`.
 */
export function adHocMetadataOf(
  element: ModdleElement,
): Pick<ExecutableElement, 'documentation' | 'properties'> {
  const docs = (element.documentation as { text?: string }[] | undefined) ?? [];
  const documentation = docs.map((d) => d.text ?? '').join('\n');
  const values = (extensionOf(element, 'zeebe:Properties')?.properties as ModdleElement[] | undefined) ?? [];
  const properties = Object.fromEntries(
    values.filter((p) => typeof p.name === 'string').map((p) => [p.name as string, String(p.value ?? '')]),
  );
  return {
    ...(documentation ? { documentation } : {}),
    ...(values.length > 0 ? { properties } : {}),
  };
}

/** Reads `zeebe:adHoc`, the completion condition and `cancelRemainingInstances` of an ad-hoc sub-process. */
export function compileAdHoc(element: ModdleElement, problems: ModelProblem[]): AdHocDefinition {
  const id = element.id ?? '';
  const zeebe = extensionOf(element, 'zeebe:AdHoc');
  const text = (value: unknown) =>
    typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  const expression = (what: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    if (!value.startsWith('=')) {
      problems.push({
        elementId: id,
        message: `the ${what} '${value}' must be a FEEL expression starting with '='`,
      });
      return undefined;
    }
    checkExpression(id, what, value.slice(1), problems);
    return value.slice(1);
  };
  const condition = text((element.completionCondition as { body?: string } | undefined)?.body);
  const outputCollection = text(zeebe?.outputCollection);
  const outputElement = text(zeebe?.outputElement);
  if ((outputElement === undefined) !== (outputCollection === undefined)) {
    problems.push({ elementId: id, message: 'outputCollection and outputElement must be given together' });
  }
  const jobWorker = extensionOf(element, 'zeebe:TaskDefinition') !== undefined;
  if (jobWorker) {
    // Zeebe's rules: the worker activates the elements and decides the completion.
    const refuse = (what: string) =>
      problems.push({
        elementId: id,
        message: `must not set ${what} in combination with zeebe:taskDefinition`,
      });
    if (element.cancelRemainingInstances === false) refuse('cancelRemainingInstances to false');
    if (condition !== undefined) refuse('completionCondition');
    if (text(zeebe?.activeElementsCollection) !== undefined) refuse('activeElementsCollection');
  }
  return {
    implementation: jobWorker ? 'jobWorker' : 'bpmn',
    innerInstanceId: innerInstanceIdOf(id),
    activityIds: [],
    activeElementsCollection: expression('active elements collection', text(zeebe?.activeElementsCollection)),
    completionCondition: expression(
      'completion condition',
      condition && (condition.startsWith('=') ? condition : `=${condition}`),
    ),
    cancelRemainingInstances: element.cancelRemainingInstances !== false,
    outputCollection,
    outputElement:
      outputElement &&
      (outputElement.startsWith('=') ? outputElement.slice(1) : JSON.stringify(outputElement)),
  };
}

/**
 * After linking: each ad-hoc sub-process gets its activatable elements (no incoming flow), and its inner
 * instance element is added to the graph.
 */
export function withAdHocInnerInstances(
  elements: Record<string, ExecutableElement>,
): Record<string, ExecutableElement> {
  // The activatable elements of every inner instance, found in one pass over the elements.
  const activatable = new Map<string, string[]>();
  for (const e of Object.values(elements)) {
    if (e.incoming.length > 0 || NOT_AD_HOC_ACTIVITIES.has(e.type)) continue;
    const list = activatable.get(e.flowScopeId);
    if (list) list.push(e.id);
    else activatable.set(e.flowScopeId, [e.id]);
  }
  for (const adHoc of Object.values(elements)) {
    if (adHoc.type !== 'AD_HOC_SUB_PROCESS' || !adHoc.adHoc) continue;
    const innerId = adHoc.adHoc.innerInstanceId;
    const activityIds = activatable.get(innerId) ?? [];
    elements[adHoc.id] = { ...adHoc, adHoc: { ...adHoc.adHoc, activityIds } };
    elements[innerId] = {
      id: innerId,
      type: 'AD_HOC_SUB_PROCESS_INNER_INSTANCE',
      flowScopeId: adHoc.id,
      incoming: [],
      outgoing: [],
      inputMappings: [],
      outputMappings: [],
    };
  }
  return elements;
}
