import type {
  BpmnElementType,
  EventDefinition,
  ExecutableElement,
  ExecutableSequenceFlow,
} from './executable.js';
import type { ModelProblem } from './deployment-error.js';

type Kind = EventDefinition['kind'] | 'none';

/** Which event definitions each kind of event may carry (Camunda 8's BPMN coverage). */
const ALLOWED: Partial<Record<BpmnElementType, readonly Kind[]>> = {
  INTERMEDIATE_CATCH_EVENT: ['message', 'timer', 'signal', 'link'],
  INTERMEDIATE_THROW_EVENT: ['none', 'message', 'signal', 'escalation', 'link', 'compensation'],
  END_EVENT: ['none', 'message', 'signal', 'error', 'escalation', 'terminate', 'compensation'],
  BOUNDARY_EVENT: ['message', 'timer', 'signal', 'error', 'escalation', 'compensation'],
};

const ACTIVITIES: ReadonlySet<BpmnElementType> = new Set([
  'SERVICE_TASK',
  'SCRIPT_TASK',
  'SEND_TASK',
  'RECEIVE_TASK',
  'TASK',
  'MANUAL_TASK',
  'SUB_PROCESS',
  'AD_HOC_SUB_PROCESS',
  'CALL_ACTIVITY',
  'USER_TASK',
  'BUSINESS_RULE_TASK',
]);

/** Checks the rules an executable process must follow; each problem names the element. */
export function validateProcess(
  processId: string,
  elements: Readonly<Record<string, ExecutableElement>>,
  flows: Readonly<Record<string, ExecutableSequenceFlow>>,
  problems: ModelProblem[],
): void {
  // Every rule below reads these indexes, built once: a rule that scanned all elements for each element made
  // validation quadratic (a 5,000-task chain took 30 s).
  const index = indexOf(elements);
  for (const flow of Object.values(flows)) validateFlow(flow, elements, problems);
  for (const element of Object.values(elements)) {
    const kind: Kind = element.eventDefinition?.kind ?? 'none';
    const allowed = ALLOWED[element.type];
    if (allowed && !allowed.includes(kind)) {
      problems.push({
        elementId: element.id,
        message: `a ${element.type} with a ${kind} event definition is not supported`,
      });
    }
    if (
      kind === 'timer' &&
      element.eventDefinition?.kind === 'timer' &&
      element.eventDefinition.timer === 'cycle'
    ) {
      const repeatable =
        element.type === 'START_EVENT' ||
        (element.type === 'BOUNDARY_EVENT' && element.interrupting === false);
      if (!repeatable) {
        problems.push({
          elementId: element.id,
          message: 'a timer cycle is only allowed on start events and non-interrupting boundary events',
        });
      }
    }
    if (element.multiInstance && !ACTIVITIES.has(element.type)) {
      problems.push({
        elementId: element.id,
        message: `a ${element.type} cannot be multi-instance (only activities)`,
      });
    }
    validateElement(element, elements, flows, index, problems);
  }
  for (const [containerId, children] of index.children) {
    if (!elements[containerId]) continue;
    const noneStarts = children.filter((e) => e.type === 'START_EVENT' && !e.eventDefinition);
    if (noneStarts.length > 1) {
      problems.push({
        elementId: containerId,
        message: `at most one none start event is allowed, found ${noneStarts.map((e) => e.id).join(', ')}`,
      });
    }
  }
  const process = elements[processId];
  const processStarts = index.childrenOf(processId).filter((e) => e.type === 'START_EVENT');
  if (process && processStarts.length === 0) {
    problems.push({ elementId: processId, message: 'the process must have at least one start event' });
  }
}

/** The relations the rules look up, each built in one pass over the elements. */
interface ProcessIndex {
  /** Elements by the id of their flow scope (an element is never its own child). */
  readonly children: ReadonlyMap<string, readonly ExecutableElement[]>;
  childrenOf(scopeId: string): readonly ExecutableElement[];
  /** Link catch events by scope and link name: how many there are. */
  linkCatches(scopeId: string, linkName: string): number;
}

function indexOf(elements: Readonly<Record<string, ExecutableElement>>): ProcessIndex {
  const children = new Map<string, ExecutableElement[]>();
  const linkCatches = new Map<string, number>();
  const linkKey = (scopeId: string, linkName: string) => JSON.stringify([scopeId, linkName]);
  for (const element of Object.values(elements)) {
    if (element.flowScopeId !== element.id) {
      const list = children.get(element.flowScopeId);
      if (list) list.push(element);
      else children.set(element.flowScopeId, [element]);
    }
    if (element.type === 'INTERMEDIATE_CATCH_EVENT' && element.eventDefinition?.kind === 'link') {
      const key = linkKey(element.flowScopeId, element.eventDefinition.linkName);
      linkCatches.set(key, (linkCatches.get(key) ?? 0) + 1);
    }
  }
  return {
    children,
    childrenOf: (scopeId) => children.get(scopeId) ?? [],
    linkCatches: (scopeId, linkName) => linkCatches.get(linkKey(scopeId, linkName)) ?? 0,
  };
}

function validateFlow(
  flow: ExecutableSequenceFlow,
  elements: Readonly<Record<string, ExecutableElement>>,
  problems: ModelProblem[],
): void {
  const source = elements[flow.sourceId];
  const target = elements[flow.targetId];
  if (!source)
    problems.push({
      elementId: flow.id,
      message: `the source '${flow.sourceId}' is not an executable element`,
    });
  if (!target)
    problems.push({
      elementId: flow.id,
      message: `the target '${flow.targetId}' is not an executable element`,
    });
  if (source && target && source.flowScopeId !== target.flowScopeId) {
    problems.push({ elementId: flow.id, message: 'a sequence flow must not cross a sub-process boundary' });
  }
  if (
    flow.condition !== undefined &&
    source &&
    source.type !== 'EXCLUSIVE_GATEWAY' &&
    source.type !== 'INCLUSIVE_GATEWAY'
  ) {
    problems.push({
      elementId: flow.id,
      message: `a condition is only allowed on a flow leaving an exclusive or inclusive gateway, not a ${source.type}`,
    });
  }
}

function validateElement(
  element: ExecutableElement,
  elements: Readonly<Record<string, ExecutableElement>>,
  flows: Readonly<Record<string, ExecutableSequenceFlow>>,
  index: ProcessIndex,
  problems: ModelProblem[],
): void {
  const problem = (message: string) => problems.push({ elementId: element.id, message });
  const children = index.childrenOf(element.id);
  const scope = elements[element.flowScopeId];
  switch (element.type) {
    case 'START_EVENT': {
      if (element.incoming.length > 0) problem('a start event must not have incoming sequence flows');
      const kind = element.eventDefinition?.kind ?? 'none';
      const inEventSubProcess = scope?.type === 'EVENT_SUB_PROCESS';
      const allowed: Kind[] = inEventSubProcess
        ? ['message', 'timer', 'signal', 'error', 'escalation', 'compensation']
        : scope?.type === 'PROCESS'
          ? ['none', 'message', 'timer', 'signal']
          : ['none'];
      if (!allowed.includes(kind))
        problem(`a ${kind} start event is not allowed here (allowed: ${allowed.join(', ')})`);
      if (kind === 'error' && element.interrupting === false)
        problem('an error start event must be interrupting');
      break;
    }
    case 'END_EVENT':
      if (element.outgoing.length > 0) problem('an end event must not have outgoing sequence flows');
      if (element.eventDefinition?.kind === 'error' && !element.eventDefinition.errorCode) {
        problem('an error end event must reference an error with an error code');
      }
      break;
    case 'BOUNDARY_EVENT': {
      const host = element.attachedToId ? elements[element.attachedToId] : undefined;
      if (!host || !ACTIVITIES.has(host.type)) problem('a boundary event must be attached to an activity');
      if (element.incoming.length > 0) problem('a boundary event must not have incoming sequence flows');
      const compensation = element.eventDefinition?.kind === 'compensation';
      if (compensation && element.outgoing.length > 0) {
        problem('a compensation boundary event must not have outgoing sequence flows');
      }
      if (!compensation && element.outgoing.length === 0) {
        problem('a boundary event must have at least one outgoing sequence flow');
      }
      if (element.eventDefinition?.kind === 'error' && element.interrupting === false) {
        problem('an error boundary event must be interrupting');
      }
      break;
    }
    case 'INCLUSIVE_GATEWAY':
    case 'EXCLUSIVE_GATEWAY':
      if (element.outgoing.length === 0)
        problem(
          `an ${element.type === 'INCLUSIVE_GATEWAY' ? 'inclusive' : 'exclusive'} gateway must have at least one outgoing flow`,
        );
      for (const flowId of element.outgoing) {
        const flow = flows[flowId];
        if (
          element.outgoing.length > 1 &&
          flow &&
          flow.condition === undefined &&
          flowId !== element.defaultFlowId
        ) {
          problems.push({
            elementId: flowId,
            message: `a flow leaving ${element.type === 'INCLUSIVE_GATEWAY' ? 'inclusive' : 'exclusive'} gateway '${element.id}' must have a condition or be the default flow`,
          });
        }
      }
      break;
    case 'EVENT_BASED_GATEWAY':
      if (element.outgoing.length < 2)
        problem('an event-based gateway must have at least two outgoing flows');
      for (const flowId of element.outgoing) {
        const target = elements[flows[flowId]?.targetId ?? ''];
        const ok =
          target &&
          ((target.type === 'INTERMEDIATE_CATCH_EVENT' &&
            ['message', 'timer', 'signal'].includes(target.eventDefinition?.kind ?? '')) ||
            target.type === 'RECEIVE_TASK');
        if (!ok)
          problem(
            `the flow '${flowId}' must lead to a message, timer or signal catch event or a receive task`,
          );
      }
      break;
    case 'SUB_PROCESS':
      if (!children.some((c) => c.type === 'START_EVENT' && !c.eventDefinition)) {
        problem('an embedded sub-process must have a none start event');
      }
      break;
    case 'AD_HOC_SUB_PROCESS': {
      // Zeebe's rules: the inner elements are activated, never started or ended by events.
      const inner = element.adHoc ? index.childrenOf(element.adHoc.innerInstanceId) : [];
      const named = (type: string) =>
        inner
          .filter((e) => e.type === type)
          .map((e) => `'${e.id}'`)
          .join(', ');
      if (inner.length === 0) problem('an ad-hoc sub-process must have at least one activity');
      if (named('START_EVENT'))
        problem(`an ad-hoc sub-process must not contain a start event (found ${named('START_EVENT')})`);
      if (named('END_EVENT'))
        problem(`an ad-hoc sub-process must not contain an end event (found ${named('END_EVENT')})`);
      break;
    }
    case 'EVENT_SUB_PROCESS': {
      const starts = children.filter((c) => c.type === 'START_EVENT');
      if (starts.length !== 1 || !starts[0]!.eventDefinition) {
        problem('an event sub-process must have exactly one start event with an event definition');
      }
      if (element.incoming.length > 0 || element.outgoing.length > 0) {
        problem('an event sub-process must not have incoming or outgoing sequence flows');
      }
      break;
    }
    case 'INTERMEDIATE_THROW_EVENT':
      if (element.eventDefinition?.kind === 'link') {
        const name = element.eventDefinition.linkName;
        if (index.linkCatches(element.flowScopeId, name) !== 1)
          problem(`a link throw event needs exactly one link catch event named '${name}' in its scope`);
      }
      break;
    default:
      break;
  }
}
