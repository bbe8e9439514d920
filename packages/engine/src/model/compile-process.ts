import type {
  ElementType,
  ExecutableElement,
  ExecutableProcess,
  ExecutableSequenceFlow,
} from './executable.js';
import type { ModelProblem } from './deployment-error.js';
import { extensionOf } from './moddle-element.js';
import type { ModdleElement } from './moddle-element.js';
import { compileCommon, compileSequenceFlow } from './compile-element.js';
import { elementKindOf } from '../bpmn/element-kinds.js';
import { validateProcess } from './validate-process.js';
import { withCompensationHandlers } from './compile-compensation.js';
import { adHocMetadataOf, childScopeId, withAdHocInnerInstances } from './compile-ad-hoc.js';

const ELEMENT_TYPES: Readonly<Record<string, ElementType>> = {
  'bpmn:StartEvent': 'START_EVENT',
  'bpmn:EndEvent': 'END_EVENT',
  'bpmn:IntermediateCatchEvent': 'INTERMEDIATE_CATCH_EVENT',
  'bpmn:IntermediateThrowEvent': 'INTERMEDIATE_THROW_EVENT',
  'bpmn:BoundaryEvent': 'BOUNDARY_EVENT',
  'bpmn:ServiceTask': 'SERVICE_TASK',
  'bpmn:ScriptTask': 'SCRIPT_TASK',
  'bpmn:SendTask': 'SEND_TASK',
  'bpmn:ReceiveTask': 'RECEIVE_TASK',
  'bpmn:Task': 'TASK',
  'bpmn:ManualTask': 'MANUAL_TASK',
  'bpmn:ExclusiveGateway': 'EXCLUSIVE_GATEWAY',
  'bpmn:InclusiveGateway': 'INCLUSIVE_GATEWAY',
  'bpmn:ParallelGateway': 'PARALLEL_GATEWAY',
  'bpmn:EventBasedGateway': 'EVENT_BASED_GATEWAY',
  'bpmn:SubProcess': 'SUB_PROCESS',
  'bpmn:AdHocSubProcess': 'AD_HOC_SUB_PROCESS',
  'bpmn:CallActivity': 'CALL_ACTIVITY',
  'bpmn:UserTask': 'USER_TASK',
  'bpmn:BusinessRuleTask': 'BUSINESS_RULE_TASK',
};

/** Flow elements that carry no behaviour and are left out of the executable graph. */
const IGNORED_TYPES = new Set(['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference']);

export type CompileResult = { ok: true; value: ExecutableProcess } | { ok: false; problems: ModelProblem[] };

/** Validates one `bpmn:Process` and compiles it (with its sub-processes) into an executable graph. */
export function compileProcess(process: ModdleElement): CompileResult {
  const problems: ModelProblem[] = [];
  const processId = process.id ?? '';
  if (!processId) problems.push({ message: 'the process has no id' });
  const elements: Record<string, ExecutableElement> = {};
  const flows: Record<string, ExecutableSequenceFlow> = {};
  const containers: ModdleElement[] = [process];
  // Sub-processes are walked breadth first; every element records the container it lives in.
  for (let i = 0; i < containers.length; i++) {
    const container = containers[i]!;
    const flowElements = (container.flowElements as ModdleElement[] | undefined) ?? [];
    for (const element of flowElements) {
      if (element.$type === 'bpmn:SequenceFlow') {
        const flow = compileSequenceFlow(element, problems);
        if (flow) flows[flow.id] = flow;
        continue;
      }
      if (IGNORED_TYPES.has(element.$type)) continue;
      let type = ELEMENT_TYPES[element.$type];
      if (!type) {
        problems.push({ elementId: element.id, message: `element type '${element.$type}' is not supported` });
        continue;
      }
      if (type === 'SUB_PROCESS' || type === 'AD_HOC_SUB_PROCESS') {
        if (type === 'SUB_PROCESS' && element.triggeredByEvent === true) type = 'EVENT_SUB_PROCESS';
        containers.push(element);
      }
      if (element.id && elements[element.id]) {
        problems.push({ elementId: element.id, message: 'the id is used by more than one element' });
        continue;
      }
      const compiled = compileElement(element, type, childScopeId(container, element), problems);
      elements[element.id ?? ''] =
        container.$type === 'bpmn:AdHocSubProcess' ? { ...compiled, ...adHocMetadataOf(element) } : compiled;
    }
  }
  elements[processId] = {
    id: processId,
    name: process.name,
    type: 'PROCESS',
    flowScopeId: '',
    incoming: [],
    outgoing: [],
    inputMappings: [],
    outputMappings: [],
  };
  const linked = withCompensationHandlers(
    withAdHocInnerInstances(withJoinUpstreams(link(elements, flows), flows, problems)),
    containers,
    problems,
  );
  validateProcess(processId, linked, flows, problems);
  if (problems.length > 0) return { ok: false, problems };
  const tag = extensionOf(process, 'zeebe:VersionTag')?.value;
  const versionTag = typeof tag === 'string' && tag.trim() !== '' ? tag.trim() : undefined;
  return {
    ok: true,
    value: { bpmnProcessId: processId, name: process.name, versionTag, elements: linked, flows },
  };
}

/**
 * Compiles one flow node: what every element has, then its kind's own parts (problems in that order of the
 * XML's reading: the kind's parts first, then loop characteristics and mappings).
 */
function compileElement(
  element: ModdleElement,
  type: ElementType,
  flowScopeId: string,
  problems: ModelProblem[],
): ExecutableElement {
  const kind = elementKindOf(type);
  if (!kind.compile) throw new Error(`element kind ${type} is built by the compiler, not parsed`);
  const commonProblems: ModelProblem[] = [];
  const base = compileCommon(element, type, flowScopeId, commonProblems);
  const compiled = kind.compile(element, base, problems);
  problems.push(...commonProblems);
  return compiled;
}

/**
 * Derives the relations the runtime needs: flows per element (from sourceRef/targetRef, declared order
 * first), boundary events per activity, and start events and event sub-processes per container.
 */
function link(
  elements: Record<string, ExecutableElement>,
  flows: Record<string, ExecutableSequenceFlow>,
): Record<string, ExecutableElement> {
  // Each relation is indexed in one pass; looking them up per element by scanning made linking quadratic.
  const incoming = new Map<string, string[]>();
  const outgoing = new Map<string, string[]>();
  for (const flow of Object.values(flows)) {
    push(incoming, flow.targetId, flow.id);
    push(outgoing, flow.sourceId, flow.id);
  }
  const list = Object.values(elements);
  const childrenOf = new Map<string, ExecutableElement[]>();
  const boundariesOf = new Map<string, string[]>();
  for (const element of list) {
    if (element.flowScopeId !== element.id) push(childrenOf, element.flowScopeId, element);
    if (element.attachedToId !== undefined) push(boundariesOf, element.attachedToId, element.id);
  }
  const out: Record<string, ExecutableElement> = {};
  for (const element of list) {
    const children = childrenOf.get(element.id) ?? [];
    const starts = children.filter((e) => e.type === 'START_EVENT');
    const boundaries = boundariesOf.get(element.id) ?? [];
    const flowsAndBoundaries = {
      incoming: ordered(element.incoming, incoming.get(element.id) ?? []),
      outgoing: ordered(element.outgoing, outgoing.get(element.id) ?? []),
      ...(boundaries.length > 0 ? { boundaryEventIds: boundaries } : {}),
    };
    const containerRelations = {
      noneStartEventId: starts.find((s) => !s.eventDefinition)?.id,
      eventSubProcessIds: children.filter((e) => e.type === 'EVENT_SUB_PROCESS').map((e) => e.id),
    };
    if (element.type === 'PROCESS') {
      const eventStartEventIds = starts.filter((s) => s.eventDefinition).map((s) => s.id);
      out[element.id] = { ...element, ...flowsAndBoundaries, ...containerRelations, eventStartEventIds };
    } else if (element.type === 'EVENT_SUB_PROCESS') {
      const eventStartId = starts[0]?.id;
      out[element.id] = { ...element, ...flowsAndBoundaries, ...containerRelations, eventStartId };
    } else if (element.type === 'SUB_PROCESS' || element.type === 'AD_HOC_SUB_PROCESS') {
      out[element.id] = { ...element, ...flowsAndBoundaries, ...containerRelations };
    } else {
      out[element.id] = { ...element, ...flowsAndBoundaries };
    }
  }
  return out;
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The flows an element really has (from sourceRef/targetRef), in the order its XML declares them first. */
function ordered(declared: readonly string[], actual: readonly string[]): string[] {
  const actualIds = new Set(actual);
  const declaredIds = new Set(declared);
  return [...declared.filter((id) => actualIds.has(id)), ...actual.filter((id) => !declaredIds.has(id))];
}

/**
 * The most elements all inclusive joins of a process may list as upstream of their incoming flows, together.
 * Each incoming flow lists every element a token could still come from, so the lists grow with branches ×
 * elements before them; past this bound the model is refused instead of filling memory and the log.
 */
export const MAX_JOIN_UPSTREAM_ENTRIES = 250_000;

/** Computes `joinUpstream` for every inclusive gateway with more than one incoming flow. */
function withJoinUpstreams(
  elements: Record<string, ExecutableElement>,
  flows: Record<string, ExecutableSequenceFlow>,
  problems: ModelProblem[],
): Record<string, ExecutableElement> {
  let budget = MAX_JOIN_UPSTREAM_ENTRIES;
  for (const gateway of Object.values(elements)) {
    if (gateway.type !== 'INCLUSIVE_GATEWAY' || gateway.incoming.length < 2) continue;
    const joinUpstream: Record<string, string[]> = {};
    for (const flowId of gateway.incoming) {
      const seen = new Set<string>();
      const stack = [flows[flowId]!.sourceId];
      while (stack.length > 0) {
        const id = stack.pop()!;
        if (id === gateway.id || seen.has(id)) continue;
        if (budget-- === 0) {
          problems.push({
            elementId: gateway.id,
            message: `the inclusive joins of this process would track more than ${MAX_JOIN_UPSTREAM_ENTRIES} upstream elements (incoming flows × elements before them); use fewer branches or a parallel join`,
          });
          return elements;
        }
        seen.add(id);
        const element = elements[id];
        if (!element) continue;
        for (const incoming of element.incoming) stack.push(flows[incoming]!.sourceId);
        // A token in an activity can leave it through one of its boundary events.
        if (element.attachedToId) stack.push(element.attachedToId);
      }
      joinUpstream[flowId] = [...seen];
    }
    elements[gateway.id] = { ...gateway, joinUpstream };
  }
  return elements;
}
